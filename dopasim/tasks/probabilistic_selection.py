"""The probabilistic selection task (Frank, Seeberger & O'Reilly 2004).

Six stimuli, A to F, are rewarded with probabilities 0.8, 0.2, 0.7, 0.3, 0.6
and 0.4. Training presents the pairs AB, CD and EF (each 1/3 of a block of
``block_trials``, shuffled) with feedback. At the end of each block training
stops once the better stimulus of each pair was chosen often enough (AB 65%,
CD 60%, EF 50%: ``criterion``), or when the trial cap (``--trials``) is
reached. The test phase then presents every pair of stimuli, the novel ones
included, ``test_repeats`` times, without feedback. Learning from positive
outcomes shows as choosing A over the other stimuli (``choose_a``), learning
from negative ones as avoiding B (``avoid_b``): healthy people do both, and
Parkinson's patients off and on medication lean to one or the other.

Everything, the criterion check included, runs inside the simulation, and the
session ends when the test is done. The critic has one state for all training
pairs (a shared reward expectation, so that reward bursts and omission dips
follow the outcomes as in Frank 2005). In the test phase nothing about reward is
presented, neither reward nor the critic's cue, so the DA cells stay at their
tonic rate and the synapses keep what training left.

Frank et al. told every training choice "Correct!" or "Incorrect". With
``punishment`` > 0 an unrewarded choice earns ``-punishment`` (the ``reward``
column), delivered through the circuit's punishment input, which dips the DA
cells as a reward bursts them (by default 0.3 of a reward's size); with 0 it
earns nothing and only the absence of the expected reward dips them. Without
that feedback the healthy circuit learns from gains far better than from
losses (``avoid_b`` near chance), unlike Frank et al.'s healthy subjects.

Trial table columns beyond the shared ones (:mod:`dopasim.tasks.choice`):
``phase`` (train, test), ``block`` (training block, -1 in the test),
``stim_a``/``stim_b`` and ``pair`` (e.g. AB; ``stimulus`` is the pair's index:
0..2 the training pairs), ``correct`` (chose the stimulus with the higher
reward probability), ``ref_correct`` for the reference. ``--trials`` caps
the training trials; the test follows.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from gymnasium import spaces

from dopasim.circuits.loop import DECISION_PARAMS
from dopasim.models.rl import make_learner
from dopasim.params import ConfigError, Param, resolve, with_defaults
from dopasim.tasks.choice import TIMING_PARAMS, ChoiceTask, parse_probs
from dopasim.tasks.pavlovian import corr

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class ProbabilisticSelection(ChoiceTask):
    name = "probabilistic_selection"
    batchable = False  # the session ends with its test, which starts once training reaches its criterion
    summary = "Frank 2004: train AB/CD/EF to criterion, test all pairs; choose_a, avoid_b"
    params = {
        "reward_probs": Param("0.8,0.2,0.7,0.3,0.6,0.4",
                              "reward probability of stimuli A, B, C, ...; the training pairs are AB, CD, ..."),
        "criterion": Param("0.65,0.6,0.5", "fraction of better choices per training pair that ends training"),
        "block_trials": Param(60, "training trials per block (the criterion is checked after each)", low=3,
                              high=10_000),
        "test_repeats": Param(6, "presentations of each pair in the test phase", low=1, high=100),
        "punishment": Param(0.3, "magnitude of the negative feedback (\"Incorrect\") for an unrewarded choice in "
                                 "training, through the circuit's punishment input; 0: only the reward's absence",
                            low=0.0, high=10.0),
        **TIMING_PARAMS,
    }
    default_trials = 360
    #: the decision bound collapses over the response window (Drugowitsch et al. 2012): a circuit whose NoGo has
    #: grown (dopamine loss) still commits, so what it learned shows in its choices rather than in misses
    decision_params = with_defaults(DECISION_PARAMS, collapse=0.8)

    def __init__(self, **params):
        self.p = resolve("task", self.params, params)
        self.probs = parse_probs("reward_probs", self.p["reward_probs"])
        n = len(self.probs)
        if n % 2 or not 4 <= n <= len(LETTERS):
            raise ConfigError(f"task.reward_probs={self.p['reward_probs']!r} must list an even number of "
                              f"stimuli (pairs AB, CD, ...), from 4 to {len(LETTERS)}")
        self.criterion = parse_probs("criterion", self.p["criterion"])
        self.n_train_pairs = n // 2
        if len(self.criterion) != self.n_train_pairs:
            raise ConfigError(f"task.criterion={self.p['criterion']!r} needs one fraction per training pair "
                              f"({self.n_train_pairs}: {', '.join(self.pair_names[:self.n_train_pairs])})")
        if self.p["block_trials"] % self.n_train_pairs:
            raise ConfigError(f"task.block_trials={self.p['block_trials']} must be a multiple of the "
                              f"{self.n_train_pairs} training pairs")
        self.n_actions = self.n_stimuli = n
        self._init_timing()
        self.observation_space = spaces.Discrete(len(self.pairs))
        self.action_space = spaces.Discrete(n)
        self._pair, self._luck, self._feedback = 0, None, True

    @property
    def pairs(self) -> list[tuple[int, int]]:
        """Every pair of stimuli, the training pairs (AB, CD, ...) first."""
        n = len(self.probs)
        train = [(2 * k, 2 * k + 1) for k in range(n // 2)]
        return train + [pair for pair in combinations(range(n), 2) if pair not in train]

    @property
    def pair_names(self) -> list[str]:
        return [LETTERS[a] + LETTERS[b] for a, b in self.pairs]

    # -- Gymnasium view: one trial per episode --------------------------------
    def reset(self, *, seed=None, options=None):
        """Show a pair: a random training pair, or ``options={"pair": k, "luck": u, "feedback": bool}``.

        The observation is the pair's index in :attr:`pairs`; ``info["offered"]``
        holds its two stimuli (the actions that can be taken).
        """
        super().reset(seed=seed)
        options = options or {}
        self._pair = options.get("pair", int(self.np_random.integers(self.n_train_pairs)))
        self._luck, self._feedback = options.get("luck"), options.get("feedback", True)
        return self._pair, {"offered": self.pairs[self._pair]}

    def step(self, action):
        if not self.action_space.contains(action):
            raise ValueError(f"action {action!r} is not in {self.action_space}")
        luck = self.np_random.random() if self._luck is None else self._luck
        # a stimulus not on offer cannot be chosen: it earns nothing
        chosen = action in self.pairs[self._pair]
        reward = 0.0
        if chosen and self._feedback:
            reward = 1.0 if luck < self.probs[action] else -self.p["punishment"]
        return self._pair, reward, True, False, {"offered": self.pairs[self._pair]}

    # -- the circuit's session -----------------------------------------------
    def circuit_shape(self, mode: str | None = None) -> dict:
        return {**super().circuit_shape(), "critic_stimuli": 1, "punishment": self.p["punishment"] > 0}

    @property
    def needs(self) -> tuple[str, ...]:
        return ChoiceTask.needs + (("punishment",) if self.p["punishment"] > 0 else ())

    def draws(self, n_trials: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """Training pair order (each pair equally often per block), test pair order, luck per trial."""
        block = self.p["block_trials"]
        per_block = np.repeat(np.arange(self.n_train_pairs), block // self.n_train_pairs)
        n_blocks = -(-n_trials // block)
        train = np.concatenate([rng.permutation(per_block) for _ in range(n_blocks)])[:n_trials]
        test = rng.permutation(np.repeat(np.arange(len(self.pairs)), self.p["test_repeats"]))
        return {"train": train, "test": test, "luck": rng.random(n_trials + len(test))}

    def program(self, draws: dict, n_trials: int):
        pairs = np.array(self.pairs, dtype=float)

        def rows(order):
            return np.column_stack([pairs[order], order])

        k = self.n_train_pairs
        block_counts = "".join(f"seen_{i} : integer\nhits_{i} : integer\n" for i in range(k))
        met = " * ".join(f"int(hits_{i} >= {float(c)!r} * seen_{i})" for i, c in enumerate(self.criterion))
        fresh = "".join(f"seen_{i} = seen_{i} * (1 - fresh)\nhits_{i} = hits_{i} * (1 - fresh)\n" for i in range(k))
        count = "".join(f"seen_{i} += training * int(stimulus == {i})\n"
                        f"hits_{i} += training * int(stimulus == {i}) * correct\n" for i in range(k))
        on_trial_start = (
            # at the end of each block (or at the cap) the criterion decides whether the test begins
            "block_end = int(phase == 0) * int(train_count > 0) * int(train_count % BLOCK_TRIALS == 0)\n"
            f"met = {met}\n"
            "capped = int(phase == 0) * int(train_count >= TRAIN_CAP)\n"
            "phase = phase + int(block_end * met + capped > 0)\n"
            "fresh = int(phase == 0) * int(train_count % BLOCK_TRIALS == 0)\n" + fresh +
            # this trial's pair: the next of the training sequence, or of the test sequence
            "row = (int(phase == 0) * train_count + int(phase == 1) * test_count) * TRIAL_STEPS * dt\n"
            "training = int(phase == 0)\n"
            "stim_a = int(training * train_pairs(row, 0) + (1 - training) * test_pairs(row, 0) + 0.5)\n"
            "stim_b = int(training * train_pairs(row, 1) + (1 - training) * test_pairs(row, 1) + 0.5)\n"
            "stimulus = int(training * train_pairs(row, 2) + (1 - training) * test_pairs(row, 2) + 0.5)\n")
        on_outcome = (
            "valid = int(choice >= 0)\n"
            "training = int(phase == 0)\n"
            "p_chosen = p_stim(t, choice * valid)\n"
            "p_a = p_stim(t, stim_a)\n"
            "p_b = p_stim(t, stim_b)\n"
            "u = luck(t)\n"
            "won = int(u < p_chosen)\n"
            f"reward = training * valid * (won - (1 - won) * {float(self.p['punishment'])!r})\n"
            "correct = valid * int(p_chosen >= p_a) * int(p_chosen >= p_b)\n" + count +
            "train_count += training\n"
            "test_count += 1 - training\n")
        offered = "(int(task_stim_a == {index}) + int(task_stim_b == {index}))"
        program = self.program_base(
            n_trials + len(draws["test"]), present=offered, critic_present="int(task_phase == 0)",
            tables={"train_pairs": rows(draws["train"]), "test_pairs": rows(draws["test"]),
                    "luck": draws["luck"], "p_stim": self.probs[None, :]},
            variables="phase : integer\ntrain_count : integer\ntest_count : integer\nstim_a : integer\n"
                      "stim_b : integer\ncorrect : integer\n" + block_counts,
            on_trial_start=on_trial_start, on_outcome=on_outcome, offered=offered,
            stop_when=f"phase == 1 and test_count >= {len(draws['test'])}",
            log=("trial", "phase", "stimulus", "stim_a", "stim_b", "choice", "tied", "choice_time", "reward",
                 "correct"),
            constants={"BLOCK_TRIALS": self.p["block_trials"], "TRAIN_CAP": n_trials})
        return program

    def table(self, events: dict, draws: dict) -> dict[str, np.ndarray]:
        out = super().table(events, draws)
        training = events["phase"] == 0
        names = np.array(self.pair_names)
        block = (np.cumsum(training) - 1) // self.p["block_trials"]
        out.update(phase=np.where(training, "train", "test"), block=np.where(training, block, -1),
                   stim_a=events["stim_a"], stim_b=events["stim_b"], pair=names[events["stimulus"]],
                   correct=events["correct"])
        return out

    def critic_errors(self, table: dict, alpha: float, gamma: float = 0.9) -> np.ndarray:
        """An abstract critic with one state for all training pairs, as the circuit's; NaN in the test."""
        value, errors = 0.0, np.full(len(table["trial"]), np.nan)
        for i in np.flatnonzero(table["phase"] == "train"):
            errors[i] = table["reward"][i] - value
            value += alpha * errors[i]
        return errors

    def play_reference(self, draws: dict, table: dict, rng: np.random.Generator, learner: str, **params):
        """The reference plays the circuit's trials (same pairs, same luck); it learns in training only.

        It holds one value per stimulus (a single state) and chooses between the two on offer.
        """
        agent = make_learner(1, len(self.probs), learner, **params)
        env = type(self)(**self.p)
        choices, rewards = np.zeros(len(table["trial"]), dtype=int), np.zeros(len(table["trial"]))
        for i, trial in enumerate(table["trial"]):
            training = table["phase"][i] == "train"
            _, info = env.reset(options={"pair": table["stimulus"][i], "luck": draws["luck"][trial],
                                         "feedback": training})
            choices[i] = agent.choose(0, rng, allowed=info["offered"])
            _, rewards[i], *_ = env.step(choices[i])
            if training:
                agent.learn(0, choices[i], rewards[i], 0, True)
        better = np.maximum(self.probs[table["stim_a"]], self.probs[table["stim_b"]])
        return {"ref_choice": choices, "ref_reward": rewards,
                "ref_correct": (self.probs[choices] >= better).astype(int)}

    def figures(self) -> dict:
        from dopasim.analysis import plots

        return {**super().figures(), "test_choices": plots.test_choices}

    def headline(self, table: dict) -> dict:
        train = table["phase"] == "train"
        last_block = np.flatnonzero(train & (table["block"] == table["block"][train].max())) if train.any() else []
        out = {"train_trials": int(train.sum()),
               "reached_criterion": self._criterion_met(table, last_block),
               "train_accuracy": _mean(table["correct"][last_block])}
        for k in range(self.n_train_pairs):
            rows = [i for i in last_block if table["stimulus"][i] == k]
            out[f"train_accuracy_{self.pair_names[k].lower()}"] = _mean(table["correct"][rows])
        for prefix, choice in (("", table["choice"]), ("ref_", table["ref_choice"])):
            out[f"{prefix}choose_a"], out[f"{prefix}avoid_b"] = self.choose_avoid(table, choice)
        out["ref_train_accuracy"] = _mean(table["ref_correct"][last_block])
        out["no_response_rate"] = float(np.mean(table["choice"] < 0)) if len(table["choice"]) else None
        out["corr_da_td_outcome"] = corr(table["da_outcome"][train], table["td_outcome"][train])
        return out

    def choose_avoid(self, table: dict, choice: np.ndarray) -> tuple[float | None, float | None]:
        """Test phase, novel pairs: how often A was chosen when offered, and B avoided (Frank 2004)."""
        test = (table["phase"] == "test") & (choice >= 0)

        def offers(s):
            return (table["stim_a"] == s) | (table["stim_b"] == s)

        a_pairs, b_pairs = test & offers(0) & ~offers(1), test & offers(1) & ~offers(0)
        return _mean(choice[a_pairs] == 0), _mean(choice[b_pairs] != 1)

    def _criterion_met(self, table, rows) -> bool:
        accuracy = [_mean([table["correct"][i] for i in rows if table["stimulus"][i] == k])
                    for k in range(self.n_train_pairs)]
        return all(a is not None and a >= c for a, c in zip(accuracy, self.criterion))


def _mean(x) -> float | None:
    x = np.asarray(x, dtype=float)
    return float(x.mean()) if x.size else None

