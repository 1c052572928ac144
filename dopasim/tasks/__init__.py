"""Behavioural tasks: trial structure, stimuli and outcomes, registered by name."""

from __future__ import annotations

import gymnasium as gym

from dopasim.params import ConfigError, unknown_name
from dopasim.tasks.base import NothingToPlay, ProgramTask, Session, SignalTask, Task, check_task
from dopasim.tasks.bandit import Bandit, Reversal
from dopasim.tasks.distal_reward import DistalReward
from dopasim.tasks.external import GymTask
from dopasim.tasks.gridworld import Gridworld
from dopasim.tasks.meta_bandit import MetaBandit
from dopasim.tasks.pavlovian import Pavlovian
from dopasim.tasks.probabilistic_selection import ProbabilisticSelection
from dopasim.tasks.rest import Rest
from dopasim.tasks.revaluation import Revaluation
from dopasim.tasks.two_step import TwoStep
from dopasim.tasks.variable_magnitude import VariableMagnitude

TASKS = {t.name: t for t in (Pavlovian, Bandit, Reversal, ProbabilisticSelection, Gridworld, Rest, VariableMagnitude,
                             TwoStep, Revaluation, MetaBandit, DistalReward)}
#: an external Gymnasium environment: ``gym:ENV_ID`` (see :class:`dopasim.tasks.episodic.GymTask`)
GYM_PREFIX = "gym:"


def gym_id(name: str) -> str:
    """The id under which Gymnasium's registry knows a task: ``gymnasium.make("dopasim/pavlovian-v0")``."""
    return f"dopasim/{name}-v0"


for _name, _task in TASKS.items():
    if gym_id(_name) not in gym.registry:
        gym.register(id=gym_id(_name), entry_point=f"{_task.__module__}:{_task.__name__}")


def make(name: str, **params):
    """The task called ``name`` with its parameters checked: a ``gymnasium.Env``.

    >>> from gymnasium.utils.env_checker import check_env
    >>> check_env(make("pavlovian", reward_prob=0.8).unwrapped)

    ``gym:ENV_ID`` wraps an external environment with discrete states and actions
    (``make("gym:FrozenLake-v1", is_slippery=False)``).

    Parameters
    ----------
    name : str
        a task's name, or gym:ENV_ID
    **params : the task's parameters (task.NAME without the prefix)
    """
    if isinstance(name, str) and name.startswith(GYM_PREFIX) and len(name) > len(GYM_PREFIX):
        return GymTask(name[len(GYM_PREFIX):], **params)
    if name not in TASKS:
        raise unknown_name("task", name, [*TASKS, f"{GYM_PREFIX}ENV_ID"])
    return TASKS[name](**params)


def register_task(task: type, replace: bool = False) -> type:
    """Make a task class of your own known by its ``name`` (``dopasim.run(NAME)``, sweeps, replays).

    Parameters
    ----------
    task : type
        a subclass of :class:`SignalTask` or :class:`ProgramTask` that passes :func:`check_task`.
    replace : bool
        replace a task of the same name; otherwise a name already taken is refused.

    Returns
    -------
    type
        ``task``, so that ``@register_task`` can decorate the class.
    """
    problems = check_task(task)
    if problems:
        raise ConfigError(f"task {getattr(task, '__name__', task)!r} does not follow the task contract: "
                          + "; ".join(problems))
    if task.name in TASKS and not replace:
        raise ConfigError(f"task {task.name!r} is already registered (replace=True replaces it)")
    TASKS[task.name] = task
    return task


__all__ = ["GYM_PREFIX", "TASKS", "NothingToPlay", "ProgramTask", "Session", "SignalTask", "Task", "check_task",
           "gym_id", "make", "register_task"]
