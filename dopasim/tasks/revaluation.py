"""Reward and transition revaluation (Momennejad, Russek, Cheong, Botvinick, Daw & Gershman 2017).

A block has five states: a start, where the choice is made, and two paths of
two states each: left (start -> L1 -> L2, rewarded 1 on leaving L2) and right
(start -> R1 -> R2, rewarded 0). In states other than the start both actions
go the same way. The session runs one block per condition, each with states
of its own (fresh cues), in three phases:

1. **learning** (``learning_episodes``): episodes from the start; the left
   path is learned as the better one;
2. **relearning** (``relearning_episodes``): episodes that begin in L1 or R1
   (in turn, in a drawn order), never at the start, in a changed world:
   ``reward``: L2 now gives 0 and R2 gives 1; ``transition``: L1 now leads to
   R2 and R1 to L2, rewards unchanged; ``control``: nothing changes;
3. **test** (``test_episodes``): probes from the start that end with the
   choice, unrewarded. They teach nothing about the paths, but each probe
   shows that the choice led nowhere, so learners drift back after a few;
   hence only 3.

After either revaluation the right path is the better one. A learner that
caches values at the start (model-free) has had no experience there to change
them; a model-based one replans over its updated model and switches to the
right; a successor representation (SR) switches after a reward revaluation,
whose new rewards reach the start through its learned occupancies, but not
after a transition revaluation, whose new transitions it experienced only
from L1 and R1 (Russek et al. 2017). Summary, per condition:
``revaluation_score_CONDITION``, the probability of choosing right in the
probes minus that in the last 10 learning episodes (1: a full switch, 0:
none), and ``learned_CONDITION``, the probability of choosing left in those
10 episodes; with ``ref_``, the reference learner's (default: SR).

See :mod:`dopasim.tasks.episodic` for the session and the trial table; the
table adds ``block``, ``condition`` and ``phase`` (learning, relearning,
test).
"""

from __future__ import annotations

import numpy as np

from dopasim.circuits.loop import DECISION_PARAMS
from dopasim.models.rl import make_learner
from dopasim.params import ConfigError, Param, resolve, with_defaults
from dopasim.tasks.episodic import STEP_TIMING_PARAMS, EpisodicTask

CONDITIONS = ("reward", "transition", "control")
PHASES = ("learning", "relearning", "test")
#: states of a block: the start, then each path's first and second state
START, L1, R1, L2, R2 = range(5)
BLOCK_STATES = 5
LEFT, RIGHT = 0, 1
#: the last learning episodes whose choices are the baseline of the revaluation score
BASELINE_EPISODES = 10
#: measured: with the default critic, 20 relearning episodes from L1 moved V(L1) too little for the PFC's
#: values to switch after a reward revaluation (score 0.2 against 0.8 after a transition revaluation)
CRITIC_LEARNING_GAIN = 2.0


class Revaluation(EpisodicTask):
    """See the module docstring."""

    name = "revaluation"
    summary = "Momennejad 2017 reward vs transition revaluation: revaluation_score per condition"
    reference_params = with_defaults(EpisodicTask.reference_params, learner="successor", beta=5.0, alpha=0.3,
                                      eta=0.3, gamma=0.9)
    decision_params = with_defaults(DECISION_PARAMS, collapse=0.8)
    params = {
        "conditions": Param(",".join(CONDITIONS), f"the blocks' conditions, in order (of {', '.join(CONDITIONS)})"),
        "learning_episodes": Param(30, "episodes from the start per block, before the change", low=1,
                                   high=10_000),
        "relearning_episodes": Param(40, "episodes from L1 or R1 per block, in the changed world", low=0,
                                     high=10_000),
        "test_episodes": Param(3, "unrewarded probes of the choice per block, after relearning", low=1,
                               high=10_000),
        **STEP_TIMING_PARAMS,
    }
    default_circuit = "successor"
    #: the default session (instances with other phase lengths set their own)
    default_trials = len(CONDITIONS) * (30 + 40 + 3)
    max_steps = 3

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        self.conditions = tuple(c.strip() for c in str(self.p["conditions"]).split(",") if c.strip())
        bad = [c for c in self.conditions if c not in CONDITIONS]
        if bad or not self.conditions or len(set(self.conditions)) < len(self.conditions):
            raise ConfigError(f"task.conditions={self.p['conditions']!r}: each must be one of "
                              f"{', '.join(CONDITIONS)}, each at most once")
        self.per_block = self.p["learning_episodes"] + self.p["relearning_episodes"] + self.p["test_episodes"]
        self.default_trials = self.per_block * len(self.conditions)
        self.n_states, self.n_actions = BLOCK_STATES * len(self.conditions), 2
        self.P = self._world({})
        self._init_world()

    def _world(self, phases: dict[int, str]) -> dict:
        """Gymnasium's ``P``: every block as learned, except those in ``phases`` (block -> phase)."""
        world = {}
        for block, condition in enumerate(self.conditions):
            base, phase = block * BLOCK_STATES, phases.get(block, "learning")
            changed = phase != "learning"
            swap = changed and condition == "transition"
            left_reward = 0.0 if changed and condition == "reward" else 1.0

            def go(to, reward=0.0, done=False):
                return {a: [(1.0, base + to, reward, done)] for a in range(self.n_actions)}
            world[base + START] = {a: [(1.0, base + (L1, R1)[a], 0.0, phase == "test")] for a in (LEFT, RIGHT)}
            world[base + L1] = go(R2 if swap else L2)
            world[base + R1] = go(L2 if swap else R2)
            world[base + L2] = go(L2, left_reward, True)
            world[base + R2] = go(R2, 1.0 - left_reward, True)
        return world

    def circuit_shape(self, mode: str | None = None) -> dict:
        # a critic that learns twice as fast: in relearning, a changed reward must travel back over two states
        # (L2, then L1) within the episodes from L1 before the start's model-based values can see it
        return {**super().circuit_shape(mode), "critic_learning_gain": CRITIC_LEARNING_GAIN}

    def schedule(self) -> list[tuple[int, str]]:
        """(block, phase) of each episode of the session."""
        counts = [self.p[f"{phase}_episodes"] for phase in PHASES]
        return [(block, phase) for block in range(len(self.conditions))
                for phase, n in zip(PHASES, counts) for _ in range(n)]

    def start_state(self, rng) -> int:
        return START

    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        if n_trials > self.default_trials:
            raise ConfigError(f"trials={n_trials}: a revaluation session has {self.default_trials} episodes "
                              f"({len(self.conditions)} blocks of {self.per_block}); set the phases' episodes "
                              "instead (task.learning_episodes, ...)")
        out = super().draws(n_trials, rng)
        schedule = self.schedule()[:n_trials]
        starts, pending = [], []
        for block, phase in schedule:
            base = block * BLOCK_STATES
            if phase == "relearning":
                # L1 and R1 equally often: each pair of relearning episodes in a drawn order
                pending = pending or list(rng.permutation([L1, R1]))
                starts.append(base + int(pending.pop()))
            else:
                starts.append(base + START)
        out["start"] = np.array(starts)
        out["block"] = np.array([b for b, _ in schedule])
        out["phase"] = np.array([PHASES.index(ph) for _, ph in schedule])
        return out

    def episode_worlds(self, draws: dict) -> list[dict]:
        return [self._world({int(b): PHASES[int(ph)]}) for b, ph in zip(draws["block"], draws["phase"])]

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        out = super().table(events, draws)
        episode = out["episode"]
        out["block"] = draws["block"][episode]
        out["condition"] = np.array([self.conditions[b] for b in out["block"]])
        out["phase"] = np.array([PHASES[ph] for ph in draws["phase"][episode]])
        return out

    def play_reference(self, draws: dict, table: dict, rng: np.random.Generator, learner: str, **params):
        """The reference plays the session's episodes in the same worlds from the same starts.

        On each episode's first row: ``ref_first_choice``; on its last,
        ``ref_episode_steps`` and ``ref_episode_return`` (as every episodic task).
        """
        agent = make_learner(self.n_states, self.n_actions, learner, **params)
        rows = len(table["state"])
        out = {k: np.full(rows, np.nan) for k in ("ref_first_choice", "ref_episode_steps", "ref_episode_return")}
        firsts = np.flatnonzero(table["step"] == 1)
        ends = np.flatnonzero(np.isfinite(table["episode_steps"]))
        worlds = self.episode_worlds(draws)
        for first, end in zip(firsts, ends):
            episode = table["episode"][first]
            self.P = worlds[episode]
            path = self.play_episode(agent, rng, draws["start"][episode], draws["luck"][episode])
            out["ref_first_choice"][first] = path[0][0]
            out["ref_episode_steps"][end] = self._steps
            out["ref_episode_return"][end] = sum(reward for *_, reward in path)
        self.P = self._world({})
        return out

    def headline(self, table: dict) -> dict:
        out = super().headline(table)
        for prefix in ("", "ref_"):
            out.update(self.headline_scores(table, prefix))
        return out

    def headline_scores(self, table: dict, prefix: str = "") -> dict[str, float | None]:
        """``learned_CONDITION`` and ``revaluation_score_CONDITION`` of the circuit (or, with ``ref_``, the
        reference), from each episode's first choice."""
        out = {}
        firsts = np.flatnonzero(table["step"] == 1)
        n = BASELINE_EPISODES
        choice = table["ref_first_choice" if prefix else "choice"][firsts]
        for block, condition in enumerate(self.conditions):
            mine = table["block"][firsts] == block
            learned = choice[mine & (table["phase"][firsts] == "learning")][-n:]
            probes = choice[mine & (table["phase"][firsts] == "test")]
            learned, probes = learned[learned >= 0], probes[probes >= 0]
            out[f"{prefix}learned_{condition}"] = float(np.mean(learned == LEFT)) if len(learned) else None
            out[f"{prefix}revaluation_score_{condition}"] = (
                float(np.mean(probes == RIGHT) - np.mean(learned == RIGHT)) if len(learned) and len(probes)
                else None)
        return out
