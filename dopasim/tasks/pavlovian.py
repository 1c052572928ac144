"""Pavlovian (classical) conditioning: a CS predicts a reward after a fixed delay.

Each trial lasts ``trial_ms``. The CS comes on at ``cs_onset_ms`` and stays on
until the US, ``cs_us_interval_ms`` later; the US (reward of
``reward_magnitude``) is delivered with probability ``reward_prob`` unless the
trial is listed in ``omit_trials`` (probe omissions). Dopamine neurons first
burst at the reward; with training the burst moves to the CS, a predicted
reward evokes little, and an omitted one a pause (Schultz, Dayan & Montague
1997; Schultz 1998).

The task is also a ``gymnasium.Env`` for agents that act in discrete time: a
step is one ``step_ms`` (by default the circuit's serial-compound element),
observation 0 is the time before the CS, 1..n the CS steps, n+1 the time after
the US (terminal); the one action does nothing; the reward arrives on the step
into n+1. ``reset(options={"reward": r})`` replays a given outcome, which is how
the reference learner sees the circuit's very trials.

Trial table columns: ``trial``, ``reward`` (magnitude delivered, 0 if none),
``omitted`` (1 if the reward was withheld), ``da_baseline`` (DA rate before the
CS, Hz), ``da_cs`` and ``da_us`` (DA population rate in the windows after CS and
US onset minus that baseline, Hz), ``value_us`` (ventral striatal rate just
before the US, Hz), ``td_cs`` and ``td_us`` (the reference TD(lambda) error at
the same events), ``ref_value_us`` (its value of the last CS state).
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from dopasim.models.td import REFERENCE_PARAMS, TDLambda
from dopasim.params import ConfigError, Param, resolve
from dopasim.tasks import protocols
from dopasim.tasks.base import SIGNAL_DT, SignalTask
from dopasim.tasks.protocols import CueOn, Phase, Protocol, TrialType

#: a protocol's headline measures average the last trials of each phase and type
HEADLINE_TRIALS = 10


class Pavlovian(SignalTask):
    name = "pavlovian"
    summary = "CS -> reward after a delay; DA burst transfers from US to CS (Schultz et al. 1997)"
    params = {
        "trial_ms": Param(2500.0, "duration of one trial", low=100.0, high=600_000.0, unit="ms"),
        "cs_onset_ms": Param(500.0, "CS onset within the trial", low=0.0, high=600_000.0, unit="ms"),
        "cs_us_interval_ms": Param(1000.0, "CS onset to US onset", low=10.0, high=600_000.0, unit="ms"),
        "us_duration_ms": Param(50.0, "duration of the reward input volley", low=1.0, high=600_000.0, unit="ms"),
        "reward_prob": Param(1.0, "probability that a trial is rewarded", low=0.0, high=1.0),
        "reward_magnitude": Param(1.0, "reward size (scales the reward input rate)", low=0.0, high=100.0),
        "omit_trials": Param("", "comma-separated trial numbers whose reward is withheld (probes)"),
        "window_ms": Param(300.0, "length of the DA response windows after CS and US", low=10.0, high=600_000.0,
                           unit="ms"),
        "drug": Param(False, "the US is a drug: besides its reward input it acts at dopamine terminals from "
                      "the US to the trial's end, where the circuit has a drug action (--disease addiction)"),
        "step_ms": Param(100.0, "time step of the Gymnasium view (the circuit run uses the cortex element)",
                         low=1.0, high=600_000.0, unit="ms"),
    }

    reference_params = REFERENCE_PARAMS
    default_trials = 150
    default_circuit = "critic"
    #: where the DA responses and the value are read
    dopamine_region, value_region = "vta", "ventral_striatum"

    takes_protocol = True

    def __init__(self, protocol=None, **params):
        self.p = resolve("task", self.params, params)
        p = self.p
        self.cs = p["cs_onset_ms"] / 1000
        self.us = self.cs + p["cs_us_interval_ms"] / 1000
        self.duration = p["trial_ms"] / 1000
        if self.us + p["us_duration_ms"] / 1000 > self.duration:
            raise ConfigError(f"task: the US ends at {1000 * self.us + p['us_duration_ms']:.0f} ms, after the "
                              f"trial ends (trial_ms={p['trial_ms']:.0f})")
        if self.cs < p["window_ms"] / 1000:
            raise ConfigError(f"task.cs_onset_ms={p['cs_onset_ms']:.0f} leaves no room for the "
                              f"{p['window_ms']:.0f} ms baseline window before the CS")
        self.omit = self._parse_trials(p["omit_trials"])
        #: an experiment's protocol (phases of trial types, several cues), or None: every trial as set above
        self.protocol = protocols.as_protocol(protocol)
        if self.protocol is not None:
            self.p["protocol"] = protocols.to_dict(self.protocol)
            self.default_trials = self.protocol.n_trials
            self.duration = self.protocol.trial_ms / 1000
            first = min((c.onset_ms for phase in self.protocol.phases for t in phase.types for c in t.cues),
                        default=p["window_ms"])
            if first < p["window_ms"]:
                raise ConfigError(f"protocol {self.protocol.name!r}: a cue comes on at {first:g} ms, leaving no "
                                  f"room for the {p['window_ms']:.0f} ms baseline window before it")
        self._types: list[TrialType] = []
        self.n_steps = max(1, int(round(p["cs_us_interval_ms"] / p["step_ms"])))
        self.observation_space = spaces.Discrete(self.n_steps + 2)
        self.action_space = spaces.Discrete(1)
        self._state, self._reward, self._episode = 0, 0.0, -1

    # -- Gymnasium view ---------------------------------------------------
    def reset(self, *, seed=None, options=None):
        """Start a trial: rewarded with ``reward_prob`` unless an omission probe, or as ``options["reward"]``.

        A ``seed`` starts a fresh session: the draws and the trial numbering restart.
        """
        super().reset(seed=seed)
        self._episode = 0 if seed is not None else self._episode + 1
        if options and "reward" in options:
            self._reward = float(options["reward"])
        else:
            self._reward = 0.0 if self._episode in self.omit else self._draw_reward()
        self._state = 0
        return self._state, {"trial": self._episode}

    def _draw_reward(self) -> float:
        """One trial's outcome: ``reward_magnitude`` with probability ``reward_prob``, else 0."""
        return 0.0 if self.np_random.random() >= self.p["reward_prob"] else float(self.p["reward_magnitude"])

    def step(self, action):
        if not self.action_space.contains(action):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        if self._state > self.n_steps:
            raise RuntimeError("the trial has ended; call reset()")
        self._state += 1
        done = self._state == self.n_steps + 1
        reward = self._reward if done else 0.0
        return self._state, reward, done, False, {"trial": self._episode}

    # -- the circuit's session ---------------------------------------------

    @staticmethod
    def _parse_trials(text: str) -> set[int]:
        try:
            return {int(t) for t in text.replace(";", ",").split(",") if t.strip()}
        except ValueError:
            raise ConfigError(f"task.omit_trials={text!r} must be comma-separated trial numbers") from None

    #: regions the task reads from or drives
    needs = ("cortex", "reward", "ventral_striatum", "vta")

    def circuit_shape(self, mode: str | None = None) -> dict:
        return {"stimuli": len(self.session_protocol().cues)}

    def check_circuit(self, graph) -> None:
        super().check_circuit(graph)
        if self.protocol is None:
            return check_cortex_span(graph, self.p, "cs_us_interval_ms")
        cortex = graph.region("cortex")["params"]
        if cortex["stimuli"] != len(self.protocol.cues):
            raise ConfigError(f"protocol {self.protocol.name!r} has {len(self.protocol.cues)} cues "
                              f"({', '.join(self.protocol.cues)}), but circuit.cortex has stimuli={cortex['stimuli']}")
        span = cortex["n_elements"] * cortex["element_ms"]
        longest = max((c.duration_ms for phase in self.protocol.phases for t in phase.types for c in t.cues),
                      default=0.0)
        if span < longest:
            raise ConfigError(f"circuit.cortex: {cortex['n_elements']} elements of {cortex['element_ms']:.0f} ms "
                              f"cover {span:.0f} ms, shorter than a cue of protocol {self.protocol.name!r} "
                              f"({longest:.0f} ms)")

    def session_protocol(self, n_trials: int | None = None) -> Protocol:
        """The session's protocol: the one given, or one phase of ``n_trials`` trials of the trial the
        parameters describe (a CS, then a reward with ``reward_prob``), with the one cue ``cs``."""
        if self.protocol is not None:
            if n_trials is not None and n_trials != self.protocol.n_trials:
                raise ConfigError(f"protocol {self.protocol.name!r} has {self.protocol.n_trials} trials; a run of "
                                  f"it cannot have {n_trials} (leave out --trials)")
            return self.protocol
        p = self.p
        trial = TrialType("cs_reward", (CueOn("cs", p["cs_onset_ms"], p["cs_us_interval_ms"]),),
                          reward_ms=p["cs_onset_ms"] + p["cs_us_interval_ms"],
                          magnitude=p.get("reward_magnitude", 1.0), reward_prob=p.get("reward_prob", 1.0),
                          reward_duration_ms=p["us_duration_ms"])
        return Protocol(self.name, ("cs",), (Phase("training", n_trials or self.default_trials, (trial,)),),
                        p["trial_ms"])

    def trials(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The trial sequence, drawn once and shared by circuit and reference.

        Each trial's type comes from the protocol (a shuffled phase draws its
        order), then one uniform number per trial decides whether its reward
        comes (``reward_prob``); ``omit_trials`` withhold theirs.
        """
        protocol = self.session_protocol(n_trials)
        sequence = protocol.sequence(rng)
        self._types = [t for _, t in sequence]
        lucky = rng.random(n_trials) < np.array([t.reward_prob for t in self._types])
        delivered = np.array([t.rewarded for t in self._types]) & lucky & ~self._probes(n_trials)
        expected = np.array([t.expected_at_ms >= 0 for t in self._types])
        out = {"trial": np.arange(n_trials),
               "reward": np.where(delivered, [t.magnitude for t in self._types], 0.0),
               "omitted": (expected & ~delivered).astype(int)}
        if self.protocol is not None:
            nan = np.nan
            out.update(phase=np.array([protocol.phases[k].name for k, _ in sequence]),
                       trial_type=np.array([t.name for t in self._types]),
                       cues=np.array(["+".join(c.cue for c in t.cues) for t in self._types]),
                       reward_time_ms=np.array([t.reward_ms if d else nan for t, d in zip(self._types, delivered)]),
                       expected_time_ms=np.array([t.expected_at_ms if e else nan
                                                  for t, e in zip(self._types, expected)]))
        return out

    def _probes(self, n_trials: int) -> np.ndarray:
        """Per trial, whether ``omit_trials`` withholds its reward (each listed trial must exist)."""
        bad = sorted(t for t in self.omit if not 0 <= t < n_trials)
        if bad:
            raise ConfigError(f"task.omit_trials: trial {bad[0]} does not exist in a run of {n_trials} trials")
        return np.isin(np.arange(n_trials), list(self.omit))

    def signals(self, trials: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Stimulus and outcome time courses for the whole session, every SIGNAL_DT."""
        return protocols.session_signals(self._types, self.session_protocol().cues, trials["reward"], self.duration,
                                         SIGNAL_DT, self.p.get("drug", False))

    def measure(self, rec, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per-trial DA responses (VTA population, Hz above the baseline before the trial's first cue) at each
        cue's onset (``da_CUE``; NaN where it is not shown) and at the reward (``da_us``: when it came, or was
        expected; NaN if neither), and the value just before it (``value_us``)."""
        t, da = rec.population_rate(self.dopamine_region)
        _, v = rec.population_rate(self.value_region)
        w = self.p["window_ms"] / 1000
        cues = self.session_protocol().cues

        def window(offsets, length=w, x=da):
            return self.window_means(x, t[1] - t[0], table["trial"], offsets, length)

        onsets = {cue: np.array([next((c.onset_ms / 1000 for c in k.cues if c.cue == cue), np.nan)
                                 for k in self._types]) for cue in cues}
        # the baseline: the window before the first cue (a trial without cues: its first window)
        first = np.array([min((c.onset_ms / 1000 for c in k.cues), default=w) for k in self._types])
        us = np.where(np.isfinite(table.get("reward_time_ms", np.nan)), table.get("reward_time_ms", np.nan),
                      np.array([k.expected_at_ms if k.expected_at_ms >= 0 else np.nan for k in self._types])) / 1000
        base = window(first - w)
        out = {"da_baseline": base}
        out.update({f"da_{cue}": window(onsets[cue]) - base for cue in cues})
        return {**out, "da_us": window(us) - base, "value_us": window(us - 0.1, 0.1, v)}

    def window_means(self, x: np.ndarray, bin_s: float, trial: np.ndarray, offset,
                     length: float) -> np.ndarray:
        """Mean of ``x`` (binned every ``bin_s``, time on the last axis) from ``offset`` (s; one for every trial, or
        one per trial, NaN: none) into each trial, for ``length``."""
        offset = np.broadcast_to(offset, np.shape(trial))
        i0 = np.round((trial * self.duration + np.nan_to_num(offset)) / bin_s).astype(int)
        k = max(1, int(round(length / bin_s)))
        means = [x[..., i: i + k].mean(axis=-1) for i in i0]
        return np.array([m if np.isfinite(o) else np.full_like(m, np.nan) for m, o in zip(means, offset)])

    def reference(self, table: dict[str, np.ndarray], session, alpha: float, lam: float,
                  gamma: float) -> dict[str, np.ndarray]:
        """TD(lambda) on the same trials, over the same stimulus: linear in the complete serial compound of
        every cue (one feature per element of the circuit's cortex; ``step_ms`` where the circuit has none).

        One step per element from each trial's start; a reward arrives on the
        step that ends at its time. ``td_CUE``: the TD error entering each
        cue's onset; ``td_us``: at the reward (or its expected time);
        ``ref_value_us``: the value of the step before it, before the trial.
        With one cue this is tabular TD over the CS steps.
        """
        step_ms = self.reference_step_ms(session.graph)
        td = TDLambda(self.n_features(step_ms), alpha=alpha, lam=lam, gamma=gamma)
        td_cues, td_us, v_us = self.play_reference(table, step_ms, [td])
        return {**{f"td_{cue}": errors[0] for cue, errors in td_cues.items()}, "td_us": td_us[0],
                "ref_value_us": v_us[0]}

    def n_features(self, step_ms: float) -> int:
        """The reference's features: every element of every cue's serial compound at ``step_ms``."""
        protocol = self.session_protocol()
        return protocols.elements(protocol, step_ms) * len(protocol.cues)

    def reference_step_ms(self, graph) -> float:
        """The reference's time step: the circuit's serial-compound element, or ``step_ms`` without a cortex."""
        return graph.region("cortex")["params"]["element_ms"] if "cortex" in graph.regions() else self.p["step_ms"]

    def events(self) -> dict[str, float]:
        # a protocol's trial types have cues and rewards of their own times: its figures mark them per type
        return {} if self.protocol is not None else {"stimulus": self.cs, "outcome": self.us}

    def figures(self) -> dict:
        from dopasim.analysis import plots

        if self.protocol is not None:
            return {"dopamine_transfer": plots.dopamine_transfer, "dopamine_by_type": plots.dopamine_by_type}
        return {"dopamine_transfer": plots.dopamine_transfer, "value": plots.value, "da_vs_td": plots.da_vs_td}

    def play_reference(self, trials: dict[str, np.ndarray], step_ms: float, learners: list):
        """Every TD ``learner`` on the same trials, one episode per trial over its serial compound.

        Returns ``({cue: learners x trials}, learners x trials, learners x trials)``: the TD error entering
        each cue's onset, at the reward (or where it was expected), and the value of the step before it before
        each trial (NaN where a trial has no such event).
        """
        protocol = self.session_protocol()
        shape = (len(learners), len(trials["reward"]))
        td_cues = {cue: np.full(shape, np.nan) for cue in protocol.cues}
        td_us, v_us = np.full(shape, np.nan), np.full(shape, np.nan)
        features = {}
        for i, (kind, r) in enumerate(zip(self._types, trials["reward"])):
            if kind.name not in features:
                features[kind.name] = protocols.trial_features(kind, protocol, step_ms)
            x = features[kind.name]
            rewards = np.zeros(len(x))
            if r > 0:
                rewards[protocols.step_ending_at(kind.reward_ms, step_ms)] = r
            us = (protocols.step_ending_at(kind.reward_ms if r > 0 else kind.expected_at_ms, step_ms)
                  if (r > 0 or kind.expected_at_ms >= 0) else None)
            onsets = {c.cue: int(round(c.onset_ms / step_ms)) for c in kind.cues}
            for j, td in enumerate(learners):
                if us is not None:
                    v_us[j, i] = x[us] @ td.values
                errors = td.episode(x, rewards)
                if us is not None:
                    td_us[j, i] = errors[us]
                for cue, onset in onsets.items():
                    if onset >= 1:
                        td_cues[cue][j, i] = errors[onset - 1]
        return td_cues, td_us, v_us

    def headline(self, table: dict[str, np.ndarray]) -> dict[str, float]:
        """Headline measures; see the README for their definitions."""
        if self.protocol is not None:
            return self.protocol_headline(table)
        rewarded = np.flatnonzero(table["omitted"] == 0)
        early, late = rewarded[:10], rewarded[-10:]
        mean = lambda col, idx: float(np.mean(table[col][idx])) if len(idx) else None  # noqa: E731
        omitted = np.flatnonzero(table["omitted"] == 1)
        late_omitted = omitted[omitted >= len(table["trial"]) // 2]
        out = {
            "da_cs_early": mean("da_cs", early), "da_cs_late": mean("da_cs", late),
            "da_us_early": mean("da_us", early), "da_us_late": mean("da_us", late),
            "da_us_omitted_late": mean("da_us", late_omitted),
            "corr_da_td_cs": corr(table["da_cs"], table["td_cs"]),
            "corr_da_td_us": corr(table["da_us"], table["td_us"]),
            "ref_td_cs_late": mean("td_cs", late), "ref_td_us_late": mean("td_us", late),
        }
        half = np.flatnonzero(table["trial"] >= len(table["trial"]) // 2)
        out["value_slope_late"] = (float(np.polyfit(table["trial"][half], table["value_us"][half], 1)[0])
                                   if len(half) > 2 else None)
        if out["da_us_early"]:
            out["da_us_late_over_early"] = out["da_us_late"] / out["da_us_early"]
        return out


    def protocol_headline(self, table: dict[str, np.ndarray]) -> dict[str, float | None]:
        """Per phase and trial type, over its last ``HEADLINE_TRIALS`` trials: the DA response at each cue shown
        (``PHASE.TYPE.da_CUE``) and at the reward or its expected time (``PHASE.TYPE.da_us``), and the
        reference's TD errors there (``ref_...``); the correlation of DA and TD error at the reward."""
        out = {}
        for phase in self.protocol.phases:
            for kind in phase.types:
                rows = np.flatnonzero((table["phase"] == phase.name) & (table["trial_type"] == kind.name))
                rows = rows[-HEADLINE_TRIALS:]
                for column in [f"da_{c.cue}" for c in kind.cues] + ["da_us"]:
                    out[f"{phase.name}.{kind.name}.{column}"] = _mean(table[column][rows])
                    out[f"{phase.name}.{kind.name}.ref_{column.replace('da_', 'td_')}"] = _mean(
                        table[column.replace("da_", "td_")][rows])
        out["corr_da_td_us"] = corr(table["da_us"], table["td_us"])
        return out

def _mean(x) -> float | None:
    x = np.asarray(x, dtype=float)
    return float(np.mean(x)) if len(x) and np.all(np.isfinite(x)) else None


def check_cortex_span(graph, params: dict, interval: str) -> None:
    """The cortex's serial compound covers the task's ``interval`` parameter (ms)."""
    cortex = graph.region("cortex")["params"]
    span = cortex["n_elements"] * cortex["element_ms"]
    if span < params[interval]:
        raise ConfigError(f"circuit.cortex: {cortex['n_elements']} elements of {cortex['element_ms']:.0f} ms "
                          f"cover {span:.0f} ms, shorter than task.{interval}={params[interval]:.0f}")


def corr(a, b) -> float | None:
    """Pearson r over the trials where both are defined (None if either is constant)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    ok = np.isfinite(a) & np.isfinite(b)
    if ok.sum() < 2 or np.std(a[ok]) == 0 or np.std(b[ok]) == 0:
        return None
    return float(np.corrcoef(a[ok], b[ok])[0, 1])
