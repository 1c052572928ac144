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
from dopasim.tasks.base import SIGNAL_DT, SignalTask


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

    def __init__(self, **params):
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

    def check_circuit(self, graph) -> None:
        super().check_circuit(graph)
        check_cortex_span(graph, self.p, "cs_us_interval_ms")

    def trials(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """The trial sequence, drawn once and shared by circuit and reference."""
        trial = np.arange(n_trials)
        probes = self._probes(n_trials)
        lucky = rng.random(n_trials) < self.p["reward_prob"]
        omitted = ~lucky | probes
        reward = np.where(omitted, 0.0, self.p["reward_magnitude"])
        return {"trial": trial, "reward": reward, "omitted": omitted.astype(int)}

    def _probes(self, n_trials: int) -> np.ndarray:
        """Per trial, whether ``omit_trials`` withholds its reward (each listed trial must exist)."""
        bad = sorted(t for t in self.omit if not 0 <= t < n_trials)
        if bad:
            raise ConfigError(f"task.omit_trials: trial {bad[0]} does not exist in a run of {n_trials} trials")
        return np.isin(np.arange(n_trials), list(self.omit))

    def signals(self, trials: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Stimulus and outcome time courses for the whole session, every SIGNAL_DT."""
        steps = int(round(self.duration / SIGNAL_DT))
        t_in = np.arange(steps) * SIGNAL_DT
        since_cs = np.where((t_in >= self.cs - 1e-9) & (t_in < self.us - 1e-9), t_in - self.cs, -1.0)
        us_on = (t_in >= self.us - 1e-9) & (t_in < self.us + self.p["us_duration_ms"] / 1000 - 1e-9)
        n = len(trials["trial"])
        reward = (us_on[None, :] * trials["reward"][:, None]).ravel()
        # a drug acts for far longer than a reward volley: here until the end of the trial
        acting = (t_in >= self.us - 1e-9)[None, :] * (trials["reward"][:, None] > 0) * float(self.p.get("drug", False))
        return {"cs": np.tile(since_cs, n), "reward": reward, "drug": acting.ravel()}

    def measure(self, rec, table: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Per-trial DA responses (VTA population, Hz above the pre-CS baseline) and value before the US."""
        trials = table
        t, da = rec.population_rate(self.dopamine_region)
        _, v = rec.population_rate(self.value_region)
        w = self.p["window_ms"] / 1000

        def window(offset, length=w, x=da):
            return self.window_means(x, t[1] - t[0], trials["trial"], offset, length)

        base = window(self.cs - w)
        return {"da_baseline": base, "da_cs": window(self.cs) - base, "da_us": window(self.us) - base,
                "value_us": window(self.us - 0.1, 0.1, v)}

    def window_means(self, x: np.ndarray, bin_s: float, trial: np.ndarray, offset: float,
                     length: float) -> np.ndarray:
        """Mean of ``x`` (binned every ``bin_s``, time on the last axis) from ``offset`` into each trial, for ``length``."""
        i0 = np.round((trial * self.duration + offset) / bin_s).astype(int)
        k = max(1, int(round(length / bin_s)))
        return np.array([x[..., i: i + k].mean(axis=-1) for i in i0])

    def reference(self, table: dict[str, np.ndarray], session, alpha: float, lam: float,
                  gamma: float) -> dict[str, np.ndarray]:
        """Tabular TD(lambda) on the same trials, played through the Gymnasium view.

        One state per serial-compound element of the circuit's cortex
        (``step_ms`` where the circuit has none). State 0 is the time before
        the CS (no stimulus, value held at 0); states 1..n are the CS steps;
        the reward arrives on leaving state n.
        """
        trials, step_ms = table, self.reference_step_ms(session.graph)
        td = TDLambda(self._steps_at(step_ms) + 1, alpha=alpha, lam=lam, gamma=gamma, frozen=[0])
        td_cs, td_us, v_us = self.play_reference(trials, step_ms, [td])
        return {"td_cs": td_cs[0], "td_us": td_us[0], "ref_value_us": v_us[0]}

    def reference_step_ms(self, graph) -> float:
        """The reference's time step: the circuit's serial-compound element, or ``step_ms`` without a cortex."""
        return graph.region("cortex")["params"]["element_ms"] if "cortex" in graph.regions() else self.p["step_ms"]

    def events(self) -> dict[str, float]:
        return {"stimulus": self.cs, "outcome": self.us}

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {"dopamine_transfer": plots.dopamine_transfer, "value": plots.value, "da_vs_td": plots.da_vs_td}

    def _steps_at(self, step_ms: float) -> int:
        return type(self)(**{**self.p, "step_ms": step_ms}).n_steps

    def play_reference(self, trials: dict[str, np.ndarray], step_ms: float, learners: list):
        """Every TD ``learner`` through the Gymnasium view, on the same trials.

        Returns learners x trials arrays: the TD error at the CS and at the US,
        and the value of the last CS state before each trial.
        """
        env = type(self)(**{**self.p, "step_ms": step_ms})
        n = env.n_steps
        td_cs, td_us, v_us = (np.zeros((len(learners), len(trials["reward"]))) for _ in range(3))
        for i, r in enumerate(trials["reward"]):
            state, _ = env.reset(options={"reward": r})
            states, rewards, done = [], [], False
            while not done:
                states.append(state)
                state, reward, done, _, _ = env.step(0)
                rewards.append(reward)
            for j, td in enumerate(learners):
                v_us[j, i] = td.values[n]
                errors = td.episode(states, rewards)
                td_cs[j, i], td_us[j, i] = errors[0], errors[n]
        return td_cs, td_us, v_us

    def headline(self, table: dict[str, np.ndarray]) -> dict[str, float]:
        """Headline measures; see the README for their definitions."""
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
