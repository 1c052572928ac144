"""Behavioural tasks: trial structure, stimuli and outcomes, registered by name."""

from __future__ import annotations

from dopasim.params import unknown_name
from dopasim.tasks.pavlovian import Pavlovian

TASKS = {Pavlovian.name: Pavlovian}


def make(name: str, **params):
    """The task called ``name`` with its parameters checked."""
    if name not in TASKS:
        raise unknown_name("task", name, TASKS)
    return TASKS[name](**params)
