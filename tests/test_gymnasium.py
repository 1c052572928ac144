"""Tasks speak Gymnasium, so any RL agent can play them."""

import numpy as np
import pytest
import gymnasium
from gymnasium.utils.env_checker import check_env

from dopasim.tasks import TASKS, gym_id, make


SOME_PARAMS = {"pavlovian": {"reward_prob": 0.5}, "bandit": {"reward_probs": "0.1,0.5,0.9"},
               "reversal": {"reversal_trial": 20}, "probabilistic_selection": {"test_repeats": 2},
               "gridworld": {"slip": 0.2, "layout": "S../.#G"}, "rest": {"epoch_ms": 1000.0},
               "variable_magnitude": {"magnitudes": "0.5,1,2"}, "two_step": {"common_prob": 0.8},
               "revaluation": {"conditions": "transition"}, "meta_bandit": {"episode_trials": 5},
               "distal_reward": {"delay_max_s": 2.0}}


@pytest.mark.parametrize("name", sorted(TASKS))
def test_every_task_passes_gymnasiums_checker(name):
    check_env(make(name).unwrapped)
    # and Gymnasium's own registry makes it, for any RL library
    check_env(gymnasium.make(gym_id(name), **SOME_PARAMS[name]).unwrapped)


def test_a_pavlovian_episode_walks_the_cs_and_ends_with_the_reward():
    env = make("pavlovian", cs_us_interval_ms=500, step_ms=100, reward_magnitude=2.0)
    obs, info = env.reset(seed=0)
    seen, rewards, done = [obs], [], False
    while not done:
        obs, reward, done, truncated, info = env.step(0)
        seen.append(obs)
        rewards.append(reward)
        assert not truncated
    assert seen == [0, 1, 2, 3, 4, 5, 6]
    assert rewards == [0, 0, 0, 0, 0, 2.0]
    with pytest.raises(RuntimeError, match="reset"):
        env.step(0)


def test_seeded_reward_draws_repeat_and_follow_reward_prob():
    def rewards(seed):
        env = make("pavlovian", reward_prob=0.3)
        env.reset(seed=seed)
        out = []
        for _ in range(400):
            done = False
            while not done:
                _, r, done, _, _ = env.step(0)
            out.append(r)
            env.reset()
        return np.array(out)

    assert np.array_equal(rewards(5), rewards(5))
    assert not np.array_equal(rewards(5), rewards(6))
    assert rewards(5).mean() == pytest.approx(0.3, abs=0.07)


def test_replaying_an_outcome_and_probing_an_omission():
    env = make("pavlovian", omit_trials="1")
    env.reset(seed=1, options={"reward": 0.5})
    done = False
    while not done:
        _, r, done, _, _ = env.step(0)
    assert r == 0.5
    env.reset()  # trial 1: an omission probe
    done = False
    while not done:
        _, r, done, _, _ = env.step(0)
    assert r == 0.0
