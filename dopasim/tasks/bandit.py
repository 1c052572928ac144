"""Multi-armed bandits: a fixed set of options, each rewarded with its own probability.

``bandit``: ``k`` arms (``reward_probs``, default 0.8 and 0.2), all offered on
every trial; the circuit should come to choose the best arm (Sutton & Barto
2018, ch. 2). ``reversal``: the same, but the contingencies swap at
``reversal_trial`` (the probabilities are reversed), probing how quickly the
D1/D2 balance is relearned (Cools et al. 2001; Frank & Claus 2006).

Trial table columns beyond the shared ones (:mod:`dopasim.tasks.choice`):
``best_arm`` (the arm with the highest probability on that trial),
``chose_best`` (1 if chosen), ``ref_chose_best`` for the reference.
"""

from __future__ import annotations

import numpy as np
from gymnasium import spaces

from dopasim.params import ConfigError, Param, resolve
from dopasim.tasks import choice_protocols
from dopasim.tasks.choice import TIMING_PARAMS, ChoiceTask, p_best_over, parse_probs
from dopasim.tasks.choice_protocols import ChoiceProtocol, ChoiceType
from dopasim.tasks.protocols import Phase
from dopasim.tasks.pavlovian import corr


class Bandit(ChoiceTask):
    name = "bandit"
    summary = "k-armed bandit, all arms offered each trial; measure p_best_last100"
    params = {
        "reward_probs": Param("0.8,0.2", "reward probability of each arm, comma-separated"),
        **TIMING_PARAMS,
    }
    default_trials = 300

    takes_protocol = True

    def __init__(self, protocol=None, **params):
        self.p = resolve("task", self.params, params)
        #: an experiment's protocol (phases of contingencies over named options), or None: ``reward_probs``
        self.protocol = choice_protocols.as_choice_protocol(protocol)
        if self.protocol is not None:
            self.p["protocol"] = choice_protocols.choice_to_dict(self.protocol)
            self.p["reward_probs"] = ",".join(map(str, self.protocol.phases[0].types[0].reward_probs))
            self.default_trials = self.protocol.n_trials
        self.probs = parse_probs("reward_probs", self.p["reward_probs"])
        self.n_actions = self.n_stimuli = len(self.probs)
        self._init_timing()
        self.observation_space = spaces.Discrete(1)
        self.action_space = spaces.Discrete(self.n_actions)
        self._p, self._luck = self.probs, None

    # -- Gymnasium view: one trial per episode --------------------------------
    def reset(self, *, seed=None, options=None):
        """Start a trial. ``options={"trial": i, "draws": d}`` replays trial ``i`` of a session's draws."""
        super().reset(seed=seed)
        if options and "draws" in options:
            i = options["trial"]
            self._p, self._luck = options["draws"]["probs"][i], options["draws"]["luck"][i]
        else:
            self._p, self._luck = self.probs, None
        return 0, {}

    def step(self, action):
        if not self.action_space.contains(action):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        luck = self.np_random.random() if self._luck is None else self._luck
        reward = float(luck < self._p[action])
        return 0, reward, True, False, {}

    # -- the circuit's session -----------------------------------------------
    def session_protocol(self, n_trials: int) -> ChoiceProtocol:
        """The session's protocol: the one given, or one phase of ``n_trials`` trials of ``reward_probs``."""
        if self.protocol is not None:
            if n_trials != self.protocol.n_trials:
                raise ConfigError(f"protocol {self.protocol.name!r} has {self.protocol.n_trials} trials; a run of "
                                  f"it cannot have {n_trials} (leave out --trials)")
            return self.protocol
        options = tuple(f"arm{k}" for k in range(len(self.probs)))
        only = ChoiceType("choice", tuple(self.probs))
        return ChoiceProtocol(self.name, options, (Phase("choice", n_trials, (only,)),))

    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Each trial's contingencies (from the protocol; a shuffled phase draws its order), then its luck."""
        protocol = self.session_protocol(n_trials)
        sequence = protocol.sequence(rng)
        draws = {"probs": np.array([kind.reward_probs for _, kind in sequence]), "luck": rng.random(n_trials)}
        if self.protocol is not None:
            draws.update(phase=np.array([protocol.phases[k].name for k, _ in sequence]),
                         trial_type=np.array([kind.name for _, kind in sequence]))
        return draws

    def program(self, draws: dict, n_trials: int):
        return self.program_base(
            n_trials, tables={"p_reward": draws["probs"], "luck": draws["luck"]},
            on_outcome="p_chosen = p_reward(t, choice * int(choice >= 0))\n"
                       "u = luck(t)\n"
                       "reward = int(choice >= 0) * int(u < p_chosen)")

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        out = super().table(events, draws)
        if "phase" in draws:  # a protocol's trials say what they were
            out.update(phase=draws["phase"][out["trial"]], trial_type=draws["trial_type"][out["trial"]])
        best = np.argmax(draws["probs"][out["trial"]], axis=1)
        out.update(best_arm=best, chose_best=(out["choice"] == best).astype(int))
        return out

    def play_reference(self, draws, table, rng, learner, **params):
        out = super().play_reference(draws, table, rng, learner, **params)
        out["ref_chose_best"] = (out["ref_choice"] == table["best_arm"]).astype(int)
        return out

    def headline(self, table: dict) -> dict:
        n = len(table["trial"])
        last = np.arange(max(0, n - 100), n)
        ref_best = table["ref_choice"] == table["best_arm"]
        rewarded = table["reward"] > 0
        return {
            "p_best_first20": p_best_over(table, table["best_arm"], np.arange(min(n, 20))),
            "p_best_last100": p_best_over(table, table["best_arm"], last),
            "da_rewarded": float(np.mean(table["da_outcome"][rewarded])) if rewarded.any() else None,
            "ref_p_best_last100": float(ref_best[last].mean()) if n else None,
            "no_response_rate": float(np.mean(table["choice"] < 0)) if n else None,
            "mean_rt_ms": float(np.nanmean(table["rt_ms"])) if np.any(table["choice"] >= 0) else None,
            "reward_rate": float(np.mean(table["reward"])) if n else None,
            "corr_da_td_outcome": corr(table["da_outcome"], table["td_outcome"]),
            **(self.phase_headline(table) if self.protocol is not None else {}),
        }

    def phase_headline(self, table: dict) -> dict:
        """Per phase of a protocol, P(best arm) over its last 50 trials, the circuit's and the reference's."""
        out = {}
        for phase in self.protocol.phases:
            rows = np.flatnonzero(table["phase"] == phase.name)[-50:]
            out[f"{phase.name}.p_best_last50"] = p_best_over(table, table["best_arm"], rows)
            out[f"{phase.name}.ref_p_best_last50"] = (float(np.mean(table["ref_chose_best"][rows]))
                                                       if len(rows) else None)
        return out


class Reversal(Bandit):
    name = "reversal"
    summary = "bandit whose contingencies swap at reversal_trial; p_best_pre, p_best_post"
    params = {
        **Bandit.params,
        "reversal_trial": Param(150, "first trial with the swapped contingencies", low=1, high=100_000),
        "criterion": Param(8, "best choices out of 10 consecutive trials that count as relearned", low=1,
                           high=10),
    }

    takes_protocol = False  # it is a protocol of two phases; a protocol of one's own runs with bandit

    def __init__(self, **params):
        super().__init__(**params)
        if np.unique(self.probs).size < 2:
            raise ConfigError(f"task.reward_probs={self.p['reward_probs']!r}: a reversal needs arms that differ")

    def session_protocol(self, n_trials: int) -> ChoiceProtocol:
        """Two phases: ``reward_probs`` until ``reversal_trial``, then the same probabilities reversed."""
        reversal = self.p["reversal_trial"]
        if reversal >= n_trials:
            raise ConfigError(f"task.reversal_trial={reversal} must come before the end of a run "
                              f"of {n_trials} trials")
        options = tuple(f"arm{k}" for k in range(len(self.probs)))
        return ChoiceProtocol(self.name, options, (
            Phase("acquisition", reversal, (ChoiceType("choice", tuple(self.probs)),)),
            Phase("reversal", n_trials - reversal, (ChoiceType("choice", tuple(self.probs[::-1])),))))

    def headline(self, table: dict) -> dict:
        out = super().headline(table)
        n, rev = len(table["trial"]), self.p["reversal_trial"]
        pre = np.arange(max(0, rev - 50), min(rev, n))
        post = np.arange(rev, n)[-50:]
        out.update(p_best_pre=p_best_over(table, table["best_arm"], pre),
                   p_best_post=p_best_over(table, table["best_arm"], post),
                   trials_to_criterion_post=_trials_to_criterion(table["chose_best"][rev:], self.p["criterion"]))
        out.update(ref_p_best_post=float(np.mean(table["ref_chose_best"][post])) if len(post) else None)
        return out


def _trials_to_criterion(chose_best: np.ndarray, criterion: int) -> int | None:
    """Trials until ``criterion`` of the last 10 choices were best (None if never)."""
    hits = np.convolve(chose_best, np.ones(10, dtype=int), mode="valid")
    reached = np.flatnonzero(hits >= criterion)
    return int(reached[0] + 10) if len(reached) else None
