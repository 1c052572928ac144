"""Choice tasks: the circuit picks an action every trial and learns from the outcome.

Every choice task shares one trial structure, run inside the simulation (see
:mod:`dopasim.circuits.loop`): a baseline period, then the cue (the stimuli on
offer) from ``cue_onset_ms``; the basal ganglia release one thalamic channel and
the first to reach the decision threshold within ``response_window_ms`` is the
choice; at the end of the window the cue goes off and the outcome is delivered
(a reward volley of ``outcome_ms``, or nothing). The trial table gets, per trial:
``trial``, ``stimulus`` (the task's stimulus set or state), ``choice`` (-1: no
response), ``tied`` (1 if several channels committed in the same time step; the
lowest was taken), ``rt_ms`` (cue to commitment), ``reward``; the DA response of
the circuit (``da_baseline``, ``da_cue``, ``da_outcome``, Hz, from the simulated
VTA), ``value_outcome`` (ventral striatal rate just before the outcome), the TD
error of an abstract critic on the circuit's own outcomes (``td_outcome``), and
the reference learner's own play of the same trials (``ref_choice``,
``ref_reward``).

Outcome randomness is drawn once from the seed (``luck``: one uniform number per
trial); a trial is rewarded when ``luck < p(chosen)``, for circuit and reference
alike.
"""

from __future__ import annotations

import numpy as np

from dopasim.circuits.loop import TaskProgram
from dopasim.models.rl import REFERENCE_PARAMS, make_learner
from dopasim.params import ConfigError, Param
from dopasim.tasks.base import ProgramTask
from dopasim.tasks.pavlovian import check_cortex_span

TIMING_PARAMS = {
    "trial_ms": Param(1200.0, "duration of one trial (one decision)", low=200.0, high=60_000.0, unit="ms"),
    "cue_onset_ms": Param(200.0, "cue onset within the trial", low=50.0, high=600_000.0, unit="ms"),
    "response_window_ms": Param(500.0, "cue onset to outcome: the time allowed to respond", low=50.0,
                                high=600_000.0, unit="ms"),
    "cue_ms": Param(0.0, "how long the cue is shown from its onset (0: until the outcome, the whole response "
                    "window); a brief cue must be held in working memory", low=0.0,
                    high=600_000.0, unit="ms"),
    "go_ms": Param(0.0, "responses count from this long after the cue's onset (a memory-guided task's go "
                   "signal; 0: from the onset)", low=0.0, high=600_000.0, unit="ms"),
    "outcome_ms": Param(50.0, "duration of the reward input volley", low=1.0, high=600_000.0, unit="ms"),
    "window_ms": Param(200.0, "length of the DA response windows", low=10.0, high=600_000.0, unit="ms"),
}


class ChoiceTask(ProgramTask):
    """Shared structure of the closed-loop choice tasks (subclasses define the contingencies)."""

    reference_params = REFERENCE_PARAMS
    default_trials = 300
    #: how stimuli map to action channels (see :func:`dopasim.circuits.presets.actor_critic`)
    topology = "channel"
    needs = ("cue", "cortex", "reward", "thalamus", "vta", "ventral_striatum")
    default_circuit = "actor_critic"

    def _init_timing(self):
        p = self.p
        self.duration = p["trial_ms"] / 1000
        self.cue = p["cue_onset_ms"] / 1000
        self.outcome = self.cue + p["response_window_ms"] / 1000
        if self.outcome + max(p["outcome_ms"], p["window_ms"]) / 1000 > self.duration:
            raise ConfigError(f"task: the outcome and its {max(p['outcome_ms'], p['window_ms']):.0f} ms window end "
                              f"after the trial (trial_ms={p['trial_ms']:.0f})")
        if p["cue_ms"] > p["response_window_ms"]:
            raise ConfigError(f"task.cue_ms={p['cue_ms']:.0f} is longer than the response window "
                              f"(task.response_window_ms={p['response_window_ms']:.0f}); 0 shows the cue for all of it")
        if p["go_ms"] >= p["response_window_ms"]:
            raise ConfigError(f"task.go_ms={p['go_ms']:.0f} leaves no time to respond: the response window ends "
                              f"{p['response_window_ms']:.0f} ms after the cue's onset (task.response_window_ms)")
        if self.cue < p["window_ms"] / 1000:
            raise ConfigError(f"task.cue_onset_ms={p['cue_onset_ms']:.0f} leaves no room for the "
                              f"{p['window_ms']:.0f} ms baseline window before the cue")

    # -- what the circuit must have ----------------------------------------
    #: states the critic tells apart (1: every trial starts from the same state)
    critic_stimuli = 1

    def circuit_shape(self, mode: str | None = None) -> dict:
        # a brief cue asks for a circuit that holds it (presets with working memory)
        return {"stimuli": self.n_stimuli, "actions": self.n_actions, "topology": self.topology,
                "critic_stimuli": self.critic_stimuli, "working_memory": self.p["cue_ms"] > 0}

    def check_circuit(self, graph) -> None:
        super().check_circuit(graph)
        for region, n in (("thalamus", self.n_actions), ("cue", self.n_stimuli)):
            if graph.channels(region) != n:
                raise ConfigError(f"task {self.name} has {n} {'actions' if region == 'thalamus' else 'stimuli'}, "
                                  f"but circuit.{region} has {graph.channels(region)} channels")
        check_cortex_span(graph, self.p, "response_window_ms")

    # -- the session ---------------------------------------------------------
    def program_base(self, n_trials: int, present: str = "1", critic_present: str | None = None,
                     **fields) -> TaskProgram:
        """The shared trial structure.

        ``present`` (1 or 0 per stimulus column ``{index}``) says which cues are on
        offer; ``critic_present`` (default: the same) which of the critic's states
        its serial compound shows.
        """
        p = self.p
        seen = present if critic_present is None else critic_present
        elapsed = "(timestep(t, dt) % TRIAL_STEPS - CUE_STEP) * dt / second"
        # a negative outcome is a punishment: it drives the punishment input, not the reward input
        signals = {"salience": f"in_stimulus * {present}", "reward": "(abs(task_reward) + task_reward) / 2 * in_outcome",
                   "punishment": "(abs(task_reward) - task_reward) / 2 * in_outcome",
                   "choice": "in_cue * int(task_choice == {index})",
                   "cs": f"in_cue * {seen} * {elapsed} - (1 - in_cue * {seen})"}
        return TaskProgram(trial_s=self.duration, cue_s=self.cue, outcome_s=self.outcome,
                           n_actions=self.n_actions, n_trials=n_trials, signals=signals,
                           outcome_duration_s=p["outcome_ms"] / 1000,
                           stimulus_s=p["cue_ms"] / 1000 if p["cue_ms"] > 0 else None, go_s=p["go_ms"] / 1000,
                           **fields)

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        """The trial table's behavioural columns from the outcome log."""
        rt = np.round(events["choice_time"] * 1000, 1)
        return {"trial": events["trial"], "stimulus": events["stimulus"], "choice": events["choice"],
                "tied": (events["tied"] > 0).astype(int), "rt_ms": rt, "reward": events["reward"]}

    def measure(self, rec, table: dict) -> dict[str, np.ndarray]:
        """DA responses (VTA population, Hz above the pre-cue baseline) and value before the outcome."""
        t, da = rec.population_rate("vta")
        _, v = rec.population_rate("ventral_striatum")
        bin_s = t[1] - t[0]
        w = self.p["window_ms"] / 1000
        starts = table["trial"] * self.duration

        def window(offset, length, x):
            i0 = np.round((starts + offset) / bin_s).astype(int)
            k = max(1, round(length / bin_s))
            return np.array([x[i: i + k].mean() if i + k <= len(x) else np.nan for i in i0])

        base = window(self.cue - w, w, da)
        return {"da_baseline": base, "da_cue": window(self.cue, w, da) - base,
                "da_outcome": window(self.outcome, w, da) - base,
                "value_outcome": window(self.outcome - 0.1, 0.1, v)}

    def critic_errors(self, table: dict, alpha: float, gamma: float = 0.9) -> np.ndarray:
        """TD error at each outcome of an abstract critic that sees the circuit's own stimuli and rewards.

        Each trial is one step that ends in its outcome, so ``gamma`` plays no part here.
        """
        values = np.zeros(self.observation_space.n)
        errors = np.zeros(len(table["trial"]))
        for i, (s, r) in enumerate(zip(table["stimulus"], table["reward"])):
            errors[i] = r - values[s]
            values[s] += alpha * errors[i]
        return errors

    def reference(self, table: dict, session, **params) -> dict[str, np.ndarray]:
        """``td_outcome``: the TD error of an abstract critic on the circuit's own outcomes; then the reference
        learner's own play of the same trials (:meth:`play_reference`), on a random stream of its own."""
        out = {"td_outcome": self.critic_errors(table, params["alpha"], params["gamma"])}
        out.update(self.play_reference(session.draws, table, session.reference_rng(), **params))
        return out

    def events(self) -> dict[str, float]:
        return {"stimulus": self.cue, "outcome": self.outcome}

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {"learning": plots.learning_curve, "weights": plots.opponent_weights,
                "choice_activity": plots.choice_activity}

    def play_reference(self, draws: dict, table: dict, rng: np.random.Generator, learner: str, **params):
        """The reference learner plays this task's environment on the trials of the circuit's session."""
        agent = make_learner(self.observation_space.n, self.action_space.n, learner, **params)
        env = type(self)(**self.p)
        n_trials = len(table["trial"])
        choices, rewards = np.zeros(n_trials, dtype=int), np.zeros(n_trials)
        for i, trial in enumerate(table["trial"]):
            state, _ = env.reset(options={"trial": trial, "draws": draws})
            action = agent.choose(state, rng)
            next_state, reward, done, _, _ = env.step(action)
            agent.learn(state, action, reward, next_state, done)
            choices[i], rewards[i] = action, reward
        return {"ref_choice": choices, "ref_reward": rewards}


def parse_probs(name: str, text) -> np.ndarray:
    try:
        probs = np.array([float(x) for x in str(text).replace(";", ",").split(",") if x.strip()])
    except ValueError:
        raise ConfigError(f"task.{name}={text!r} must be comma-separated probabilities, e.g. 0.8,0.2") from None
    if len(probs) < 2 or np.any((probs < 0) | (probs > 1)):
        raise ConfigError(f"task.{name}={text!r} must list at least 2 probabilities, each from 0 to 1")
    return probs


def p_best_over(table: dict, best: np.ndarray, idx) -> float | None:
    """Fraction of the trials ``idx`` on which the best option was chosen."""
    idx = np.asarray(idx)
    if len(idx) == 0:
        return None
    return float(np.mean(table["choice"][idx] == best[idx]))
