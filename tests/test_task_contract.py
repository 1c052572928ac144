"""The task contract: every task follows it, and check_task tells a new task's author what is wrong."""

import gymnasium as gym
import pytest

import dopasim
from dopasim.params import Param
from dopasim.tasks import GymTask, SignalTask, check_task


@pytest.mark.parametrize("name", sorted(dopasim.TASKS))
def test_every_task_follows_the_contract(name):
    assert check_task(dopasim.TASKS[name]) == []


def test_an_external_gymnasium_world_follows_the_contract():
    assert check_task(GymTask("FrozenLake-v1")) == []


class HalfDone(SignalTask):
    name = "half_done"
    summary = "a task whose author has not finished it"
    params = {"trial_ms": Param(1000.0, "duration of one trial", low=100.0, high=10_000.0, unit="ms"),
              "bad": Param(5.0, "", low=0.0, high=1.0)}
    needs = ("vta",)

    def __init__(self, **params):
        self.p = dict(params)

    def trials(self, n, rng):  # the contract says trials(n_trials, rng)
        return {}

    def measure(self, rec, table):
        return {}


def test_check_task_names_each_missing_or_malformed_part():
    problems = "\n".join(check_task(HalfDone))
    assert "HalfDone does not implement signals(trials)" in problems
    assert "HalfDone does not implement reference(table, session)" in problems
    assert "HalfDone does not implement headline(table)" in problems
    assert "HalfDone.trials takes (n, rng); the contract is trials(n_trials, rng)" in problems
    assert "params['bad'] has no meaning" in problems
    assert "bad=5.0 is out of range" in problems


def test_check_task_refuses_a_plain_gymnasium_env():
    class Plain(gym.Env):
        pass

    assert "subclasses neither" in check_task(Plain)[0]


def test_register_task_refuses_a_task_that_breaks_the_contract():
    with pytest.raises(dopasim.ConfigError, match="does not follow the task contract: .*HalfDone does not implement"):
        dopasim.register_task(HalfDone)
