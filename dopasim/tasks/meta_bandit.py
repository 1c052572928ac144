"""A bandit drawn anew every few trials: learning to learn (Wang et al. 2018; Harlow 1949).

Two arms, their reward probabilities a random order of ``reward_probs``
(default 0.8 and 0.2), drawn anew at the start of every episode of
``episode_trials`` trials (10): which arm is better must be found out again
in each episode. A learner whose weights change slowly cannot follow it; one
that has learned, over many episodes, to act on the last choice and its
outcome (win-stay, lose-shift) finds the better arm within a few trials of
every episode, by its activity alone (the meta-reinforcement learning of Wang
et al. 2018, where dopamine trains a recurrent prefrontal network's slow
weights and the network's activity does the fast learning).

Besides the bandit's signals the task sends ``feedback``: during the outcome
volley, channel ``2 a + r`` is on after action ``a`` was rewarded (``r = 1``)
or not (``r = 0``): the previous action and reward that Wang et al.'s PFC
receives.

Trial table columns beyond the bandit's: ``episode`` (from 0) and
``episode_trial`` (1 .. ``episode_trials``). Summary, over the second half of
the session (the trained circuit): ``p_best_first_trial``, ``p_best_late`` (the
second half of each episode's trials), ``within_episode_gain`` (their
difference), ``win_stay`` and ``lose_shift`` (repeating a rewarded choice,
leaving an unrewarded one, within an episode); the same with ``ref_`` for the
reference learner on the same draws.
"""

from __future__ import annotations

import numpy as np

from dopasim.params import Param
from dopasim.tasks.bandit import Bandit
from dopasim.tasks.choice import TIMING_PARAMS


class MetaBandit(Bandit):
    name = "meta_bandit"
    summary = ("two-armed bandit re-drawn every episode_trials trials (Wang et al. 2018); within_episode_gain, "
               "win_stay, lose_shift")
    params = {
        "reward_probs": Param("0.8,0.2", "reward probabilities, given to the arms in a random order each episode"),
        "episode_trials": Param(10, "trials per episode: the arms are re-drawn at the start of each", low=2,
                                high=1000),
        **TIMING_PARAMS,
    }
    default_trials = 1000
    default_circuit = "meta_rl"

    takes_protocol = False  # its arms are re-drawn each episode, by the task itself

    def __init__(self, **params):
        super().__init__(**params)  # resolves this class's params
        self.episode_trials = int(self.p["episode_trials"])
        self._trials_seen = 0

    def reset(self, *, seed=None, options=None):
        """One trial, as the bandit's; without a session's draws, the arms are re-drawn every
        ``episode_trials`` resets."""
        obs, info = super().reset(seed=seed, options=options)
        if seed is not None:
            self._trials_seen = 0
        if not (options and "draws" in options):
            if self._trials_seen % self.episode_trials == 0:
                self._order = self.np_random.permutation(self.probs)
            self._p = self._order
            self._trials_seen += 1
        return obs, info

    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        episodes = -(-n_trials // self.episode_trials)
        orders = np.array([rng.permutation(self.probs) for _ in range(episodes)])
        return {"probs": np.repeat(orders, self.episode_trials, axis=0)[:n_trials], "luck": rng.random(n_trials)}

    def program(self, draws: dict, n_trials: int):
        program = super().program(draws, n_trials)
        program.signals["feedback"] = ("in_outcome * int(task_choice >= 0) * "
                                       "int({index} == 2 * task_choice + int(task_reward > 0))")
        return program

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        out = super().table(events, draws)
        return {**out, "episode": out["trial"] // self.episode_trials,
                "episode_trial": out["trial"] % self.episode_trials + 1}

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {**super().figures(), "within_episode": plots.within_episode_learning}

    def headline(self, table: dict) -> dict:
        out = super().headline(table)
        trained = table["episode"] >= table["episode"].max() / 2
        for prefix in ("", "ref_"):
            out.update({f"{prefix}{k}": v for k, v in
                        within_episode(table, trained, self.episode_trials, prefix).items()})
        return out


def within_episode(table: dict, rows: np.ndarray, episode_trials: int, prefix: str = "") -> dict:
    """Within-episode learning on the trials ``rows`` (a mask): p(best) on an episode's first trial and on
    its second half, their difference, and win-stay and lose-shift between trials of one episode."""
    choice, reward = table[f"{prefix}choice"], table[f"{prefix}reward"]
    best = choice == table["best_arm"]
    position = table["episode_trial"]
    # a choice and the next one in the same episode
    pair = rows[1:] & (position[1:] > 1) & (choice[:-1] >= 0) & (choice[1:] >= 0)
    stay = choice[1:] == choice[:-1]
    won = reward[:-1] > 0

    def mean(x):
        return float(np.mean(x)) if np.size(x) else None

    first, late = mean(best[rows & (position == 1)]), mean(best[rows & (position > episode_trials // 2)])
    return {"p_best_first_trial": first, "p_best_late": late,
            "within_episode_gain": None if first is None or late is None else late - first,
            "win_stay": mean(stay[pair & won]), "lose_shift": mean(~stay[pair & ~won])}
