"""The two-step task (Daw, Gershman, Seymour, Dayan & Dolan 2011).

Each episode has two decisions. In the first stage (state 0) one of two
actions leads to second-stage state 1 with probability ``common_prob`` (the
common transition) and to state 2 otherwise (rare); the other action the
reverse. In the second stage (states 1 and 2) each of two actions is rewarded
(1) with a probability that drifts from episode to episode: a Gaussian random
walk of s.d. ``drift_sd`` reflected at ``reward_bounds``. A model-free learner
repeats a first-stage choice after a reward whatever the transition was; a
model-based one repeats it after a reward through a common transition and
switches after a reward through a rare one (it credits the state, not the
action). The stay probabilities of the first-stage choice by previous reward
and transition tell them apart.

Everything is drawn from the seed beforehand (the reward walks, one uniform
number per step) and played inside the simulation; see
:mod:`dopasim.tasks.episodic` for the session and the trial table. Summary:
``stay_common_rewarded``, ``stay_rare_rewarded``, ``stay_common_unrewarded``,
``stay_rare_unrewarded`` (probability of repeating the first-stage choice on
the next episode), ``mf_index`` (main effect of reward: the mean of the two
rewarded minus the mean of the two unrewarded) and ``mb_index`` (reward x
transition interaction: (common rewarded - common unrewarded) - (rare
rewarded - rare unrewarded), halved), each for the circuit and, with
``ref_``, for the reference learner on the same draws; and for the circuit,
Daw et al.'s hybrid learner fitted to all its choices
(:mod:`dopasim.analysis.hybrid_fit`): ``fitted_model_based_weight``,
``fitted_alpha``, ``fitted_beta``, ``fitted_perseveration`` and
``fitted_log_likelihood``.
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.hybrid_fit import fit_hybrid
from dopasim.circuits.loop import DECISION_PARAMS
from dopasim.models.rl import make_learner
from dopasim.params import ConfigError, Param, resolve, with_defaults
from dopasim.tasks.episodic import STEP_TIMING_PARAMS, EpisodicTask

FIRST, STATES, ACTIONS = 0, 3, 2
#: the critic's tag cascade: with 2 stages of 100 ms (and the 200 ms trace) state 0's value is credited with
#: 12% as much of its own onset burst as of the move out of it, so it settles above the second stage's values
#: and the first-stage move dips on average; 4 stages credit 3% (the burst/offset ratio of the kernels)
CRITIC_TAG_STAGES = 4
#: the model-free actor of a drifting task: its eligibility spans the second stage (a trace of the first
#: choice meets the outcome, as lambda does), it learns twice as fast as by default, and its weights relax to
#: their start in 20 s (about 8 episodes: forgetting, Ito & Doya 2009), so preferences follow recent
#: outcomes instead of saturating at the weight bound
ACTOR = {"actor_eligibility_ms": 800.0, "actor_learning_gain": 2.0, "actor_forget_s": 20.0}
#: spiking mode: the dorsomedial striatum's lateral inhibition 3 x the default, so what sets the actions'
#: model-based values apart outlasts the Poisson noise of its cells. At model_based_weight=1, 400 episodes:
#: mb_index 0.11 and 0.06 (seeds 1, 2) against -0.01 (seed 2) with the default (20 cells per channel); with
#: SPIKING_SHAPE's 80 (the DMS too): 0.01, 0.08, 0.10, 0.10 (seeds 1-4)
SPIKING_DMS_LATERAL_INHIBITION = 9.0
#: spiking mode, model-free control: 4 x the cells per action channel in the striatum, STN, GPe, GPi and
#: thalamus (80), and an actor twice as fast. With 20 cells the first choice followed the learned cue -> D1/D2
#: preference about half as steeply as in rate mode (logistic slope 3.1-5.3 against 7.8-9.1): the shot noise of
#: every stage of the loop adds up, and 4 x the cells of any one stage did not help; with 80 at every stage
#: the slope is 6.8-8.7. A spiking outcome also moved the chosen channel's weights 0.6 x as far as a rate one,
#: hence the faster actor. At model_based_weight=0, 400 episodes, seeds 1-4: mf_index 0.17, 0.07, 0.09, 0.06
#: (with neither: 0.05, 0.00 in seeds 1, 2)
SPIKING_SHAPE = {"cells_per_channel": 80, "actor_learning_gain": 2 * ACTOR["actor_learning_gain"],
                 "dms_lateral_inhibition": SPIKING_DMS_LATERAL_INHIBITION}


def reward_walks(n: int, start: np.ndarray, sd: float, low: float, high: float,
                 rng: np.random.Generator) -> np.ndarray:
    """``n`` steps of Gaussian random walks from ``start`` (any shape), reflected at ``low`` and ``high``."""
    walks = np.empty((n, *np.shape(start)))
    p = np.array(start, dtype=float)
    for i in range(n):
        walks[i] = p
        p = p + rng.normal(0.0, sd, size=p.shape)
        p = np.where(p > high, 2 * high - p, p)
        p = np.where(p < low, 2 * low - p, p)
    return walks


def stay_probabilities(first_choice, second_state, reward) -> dict[str, float | None]:
    """Stay probabilities of the first-stage choice by the previous episode's reward and transition.

    ``first_choice`` (-1: none), ``second_state`` (1 or 2) and ``reward`` per
    episode. A transition is common when action a led to state a + 1.
    """
    c, s, r = (np.asarray(x) for x in (first_choice, second_state, reward))
    valid = (c[:-1] >= 0) & (c[1:] >= 0) & (s[:-1] > 0)
    stay = c[1:] == c[:-1]
    common = s[:-1] == c[:-1] + 1
    rewarded = r[:-1] > 0
    out = {}
    for name, t_ok, r_ok in (("common_rewarded", common, rewarded), ("rare_rewarded", ~common, rewarded),
                             ("common_unrewarded", common, ~rewarded), ("rare_unrewarded", ~common, ~rewarded)):
        sel = valid & t_ok & r_ok
        out[f"stay_{name}"] = float(stay[sel].mean()) if sel.any() else None
    if all(v is not None for v in out.values()):
        cr, rr = out["stay_common_rewarded"], out["stay_rare_rewarded"]
        cu, ru = out["stay_common_unrewarded"], out["stay_rare_unrewarded"]
        out["mf_index"] = (cr + rr) / 2 - (cu + ru) / 2
        out["mb_index"] = ((cr - cu) - (rr - ru)) / 2
    else:
        out["mf_index"] = out["mb_index"] = None
    return out


#: second-stage choices are scored where the two actions' reward probabilities differ by at least this much
BEST_CHOICE_MARGIN = 0.1


def best_second_choice(table: dict) -> float | None:
    """How often a second-stage response picks the action more likely to be rewarded (where the two differ
    by at least :data:`BEST_CHOICE_MARGIN`): 0.5 for a circuit that does not know which state it is in."""
    p0, p1, choice = table["reward_prob_0"], table["reward_prob_1"], table["choice"]
    scored = np.isfinite(p0) & (np.abs(p0 - p1) >= BEST_CHOICE_MARGIN) & (choice >= 0)
    if not scored.any():
        return None
    return float(np.mean(choice[scored] == (p1[scored] > p0[scored]).astype(int)))


class TwoStep(EpisodicTask):
    """See the module docstring.

    Defaults that differ from the other episodic tasks, each measured on this
    task (README): the reference is Daw et al.'s hybrid learner with
    parameters in the range they fitted (beta 5, alpha 0.3, lambda 0.6,
    w 0.5); the decision bound collapses over the response window, so that a
    circuit whose Go and NoGo sit close together still commits (without it the
    model-free circuit stops responding in waves); the critic's tag cascade
    has 4 stages, so that a state's value is hardly credited with the burst of
    its own onset (see :data:`CRITIC_TAG_STAGES`); and the actor forgets
    (:data:`ACTOR`).
    """

    name = "two_step"
    reference_params = with_defaults(EpisodicTask.reference_params, learner="hybrid", beta=5.0, alpha=0.3, lam=0.6,
                                      gamma=1.0)
    decision_params = with_defaults(DECISION_PARAMS, collapse=0.8)
    summary = "Daw 2011 two-step task: stay probabilities, mb_index (reward x transition), mf_index"
    params = {
        "common_prob": Param(0.7, "probability of the common transition", low=0.5, high=1.0),
        "drift_sd": Param(0.025, "s.d. of the reward probabilities' random walk per episode", low=0.0, high=0.5),
        "reward_bounds": Param("0.25,0.75", "reflecting bounds of the reward probabilities"),
        **STEP_TIMING_PARAMS,
    }
    #: Daw et al. ran 201; the stay probabilities of one simulated subject need more to settle
    default_trials = 400
    default_circuit = "model_based"
    max_steps = 2

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        try:
            low, high = (float(x) for x in str(self.p["reward_bounds"]).split(","))
        except ValueError:
            low = high = -1.0
        if not 0 <= low < high <= 1:
            raise ConfigError(f"task.reward_bounds={self.p['reward_bounds']!r} must be two probabilities "
                              "low,high with 0 <= low < high <= 1")
        self.bounds = (low, high)
        self.n_states, self.n_actions = STATES, ACTIONS
        self.reward_probs = np.full((STATES - 1, ACTIONS), (low + high) / 2)
        self.P = self._world(self.reward_probs)
        self._init_world()

    def _world(self, reward_probs: np.ndarray) -> dict:
        """Gymnasium's ``P`` for second-stage reward probabilities ``reward_probs[state - 1, action]``."""
        common = self.p["common_prob"]
        world = {FIRST: {a: [(common, a + 1, 0.0, False), (1 - common, 2 - a, 0.0, False)]
                         for a in range(ACTIONS)}}
        for s in (1, 2):
            world[s] = {a: [(reward_probs[s - 1, a], s, 1.0, True), (1 - reward_probs[s - 1, a], s, 0.0, True)]
                        for a in range(ACTIONS)}
        return world

    def circuit_shape(self, mode: str | None = None) -> dict:
        # every episode ends in its own outcome after two steps: an undiscounted critic, as in Daw et al.
        return {**super().circuit_shape(mode), "critic_horizon_s": None, "critic_tag_stages": CRITIC_TAG_STAGES,
                **ACTOR, **(SPIKING_SHAPE if mode == "spiking" else {})}

    def start_state(self, rng) -> int:
        return FIRST

    def reset(self, *, seed=None, options=None):
        """Start an episode; ``options["reward_probs"]`` (2 x 2) sets the second stage's reward probabilities."""
        if options and "reward_probs" in options:
            self.P = self._world(np.asarray(options["reward_probs"]))
        return super().reset(seed=seed, options=options)

    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        out = super().draws(n_trials, rng)
        low, high = self.bounds
        start = rng.uniform(low, high, size=(STATES - 1, ACTIONS))
        out["reward_probs"] = reward_walks(n_trials, start, self.p["drift_sd"], low, high, rng)
        return out

    def episode_worlds(self, draws: dict) -> list[dict]:
        """One ``P`` per episode: the world drifts (see :meth:`EpisodicTask.program`)."""
        return [self._world(probs) for probs in draws["reward_probs"]]

    def play_reference(self, draws: dict, table: dict, rng: np.random.Generator, learner: str, **params):
        """The reference plays the circuit's episodes with the same draws and reward walks, its own choices.

        Per episode, on the row of its first step: ``ref_first_choice``,
        ``ref_second_state``, ``ref_reward``; on its last: ``ref_episode_steps``,
        ``ref_episode_return`` (as every episodic task).
        """
        agent = make_learner(self.n_states, self.n_actions, learner, **params)
        rows = len(table["state"])
        out = {k: np.full(rows, np.nan) for k in ("ref_first_choice", "ref_second_state", "ref_reward",
                                                    "ref_episode_steps", "ref_episode_return")}
        firsts = np.flatnonzero(table["step"] == 1)
        ends = np.flatnonzero(np.isfinite(table["episode_steps"]))
        for first, end in zip(firsts, ends):
            choice, second, total = self.play(agent, draws, table["episode"][first], rng)
            out["ref_first_choice"][first], out["ref_second_state"][first], out["ref_reward"][first] = \
                choice, second, total
            out["ref_episode_steps"][end], out["ref_episode_return"][end] = self._steps, total
        self.P = self._world(self.reward_probs)
        return out

    def play(self, agent, draws: dict, episode: int, rng: np.random.Generator) -> tuple[int, int, float]:
        """``agent`` plays episode ``episode`` of ``draws`` (and learns): first choice, state reached, reward."""
        self.P = self._world(draws["reward_probs"][episode])
        path = self.play_episode(agent, rng, FIRST, draws["luck"][episode])
        return path[0][0], path[0][1], sum(reward for *_, reward in path)

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        """Every episodic column, and on second-stage rows the reward probability of each action there
        (``reward_prob_0``, ``reward_prob_1``; NaN in the first stage)."""
        out = super().table(events, draws)
        second = out["state"] > FIRST
        probs = draws["reward_probs"][out["episode"], np.maximum(out["state"] - 1, 0)]
        for a in range(ACTIONS):
            out[f"reward_prob_{a}"] = np.where(second, probs[:, a], np.nan)
        return out

    def headline(self, table: dict) -> dict:
        out = super().headline(table)
        out["second_stage_best_choice"] = best_second_choice(table)
        episodes = {prefix: self.two_step_episodes(table, prefix) for prefix in ("", "ref_")}
        for prefix, ep in episodes.items():
            out.update({f"{prefix}{k}": v for k, v in
                        stay_probabilities(ep["first_choice"], ep["second_state"], ep["reward"]).items()})
        ep = episodes[""]
        fit = fit_hybrid(ep["first_choice"], ep["second_state"], ep["second_choice"], ep["reward"],
                         common_prob=self.p["common_prob"])
        out.update({f"fitted_{k}": v for k, v in fit.items()})
        return out

    def two_step_episodes(self, table: dict, prefix: str = "") -> dict[str, np.ndarray]:
        """Per episode: the first-stage choice, the second-stage state reached and the reward; for the
        circuit (no ``prefix``) also the second-stage choice (-1: none)."""
        if prefix:
            played = np.isfinite(table["ref_first_choice"])
            return {k: table[f"ref_{k}"][played] for k in ("first_choice", "second_state", "reward")}
        first = np.flatnonzero(table["step"] == 1)
        choice = table["choice"][first]
        second = np.where(choice >= 0, table["next_state"][first], -1)
        reward = np.add.reduceat(table["reward"], first) if len(first) else np.zeros(0)
        # the second step's row follows the first's within the episode (none where the first move was missed)
        follows = np.append(first[1:], len(table["step"])) > first + 1
        second_choice = np.where(follows, table["choice"][np.minimum(first + 1, len(table["step"]) - 1)], -1)
        return {"first_choice": choice, "second_state": second, "second_choice": second_choice, "reward": reward}
