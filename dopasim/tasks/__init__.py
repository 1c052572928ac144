"""Behavioural tasks: trial structure, stimuli and outcomes, registered by name."""

from __future__ import annotations

from dopasim.params import unknown_name
from dopasim.tasks.pavlovian import Pavlovian

TASKS = {Pavlovian.name: Pavlovian}


def make(name: str, **params):
    """The task called ``name`` with its parameters checked: a ``gymnasium.Env``.

    >>> from gymnasium.utils.env_checker import check_env
    >>> check_env(make("pavlovian", reward_prob=0.8).unwrapped)
    """
    if name not in TASKS:
        raise unknown_name("task", name, TASKS)
    return TASKS[name](**params)
