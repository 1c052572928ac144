"""An external Gymnasium environment played by the circuit: ``dopasim run gym:ENV_ID``.

Any environment with discrete observations and actions and a transition table
``unwrapped.P`` (Gymnasium's toy-text worlds: FrozenLake, CliffWalking, Taxi)
is compiled into the closed loop as an episodic task
(:class:`dopasim.tasks.episodic.EpisodicTask`).
"""

from __future__ import annotations

import gymnasium as gym
from gymnasium import spaces

from dopasim.params import ConfigError, resolve
from dopasim.tasks.episodic import STEP_TIMING_PARAMS, EpisodicTask


class GymTask(EpisodicTask):
    """An external Gymnasium environment with discrete states and actions and a transition table ``P``.

    ``dopasim run gym:FrozenLake-v1 --set task.is_slippery=false``: the
    environment's keyword arguments go under ``task.`` (``task.max_episode_steps``
    sets its time limit), beside the step timing (``task.trial_ms``, ...).
    The environment must expose ``unwrapped.P`` (the toy-text environments do);
    its ``reset`` draws each episode's start state, from the run's seed.
    """

    name = "gym"
    params = STEP_TIMING_PARAMS
    summary = "an external Gymnasium environment (discrete, with a table P): mean_return_last50"

    def __init__(self, env_id: str = "FrozenLake-v1", **params):
        self.name = f"gym:{env_id}"
        timing = {k: v for k, v in params.items() if k in STEP_TIMING_PARAMS}
        kwargs = {k: _literal(v) for k, v in params.items() if k not in STEP_TIMING_PARAMS}
        try:
            self.env = gym.make(env_id, **kwargs)
        except gym.error.Error as err:
            raise ConfigError(f"task {self.name}: {_one_line(err)}") from None
        except TypeError as err:
            raise ConfigError(f"task {self.name}: {_one_line(err)}; its keyword arguments go under task. "
                              f"(timing: {', '.join(STEP_TIMING_PARAMS)})") from None
        world = self.env.unwrapped
        spaces_ok = all(isinstance(sp, spaces.Discrete) and sp.start == 0
                        for sp in (self.env.observation_space, self.env.action_space))
        if not spaces_ok or not isinstance(getattr(world, "P", None), dict):
            raise ConfigError(f"task {self.name}: the circuit plays environments with discrete observations and "
                              "actions and a transition table unwrapped.P (e.g. FrozenLake-v1); this one has "
                              f"{self.env.observation_space} and {self.env.action_space}"
                              f"{'' if isinstance(getattr(world, 'P', None), dict) else ' and no P'}")
        self.p = {**resolve("task", STEP_TIMING_PARAMS, timing), **kwargs}
        self.P = world.P
        self.n_states, self.n_actions = int(self.env.observation_space.n), int(self.env.action_space.n)
        self.max_steps = int(self.env.spec.max_episode_steps or 100) if self.env.spec else 100
        self._init_world()

    def start_state(self, rng) -> int:
        state, _ = self.env.reset(seed=int(rng.integers(2**31)))
        return int(state)

    #: FrozenLake's moves (row, column): left, down, right, up
    action_moves = ((0, -1), (1, 0), (0, 1), (-1, 0))

    def grid(self):
        """A FrozenLake map's rows and the state of each cell; None for other environments."""
        desc = getattr(self.env.unwrapped, "desc", None)
        if desc is None or not self.name.startswith("gym:FrozenLake"):
            return None
        rows = ["".join(ch.decode() if isinstance(ch, bytes) else str(ch) for ch in row) for row in desc]
        return rows, {(r, c): r * len(rows[0]) + c for r in range(len(rows)) for c in range(len(rows[0]))}


def _one_line(err) -> str:
    return " ".join(str(err).split())


def _literal(text):
    """A ``--set`` value as the environment expects it: bool, int, float or the text itself."""
    if not isinstance(text, str):
        return text
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text
