"""Learning to learn (Harlow 1949; Wang et al. 2018): a two-armed bandit whose better arm is drawn anew every
10 trials. Dopamine trains slow synapses from a prefrontal memory of the last action and outcome onto the
striatum, across episodes; once trained, the circuit finds each new episode's better arm within a few trials
by its activity: silence the memory and the same synapses no longer do it."""

import numpy as np
import pytest

from dopasim.experiment import run
from dopasim.tasks.meta_bandit import within_episode

TRIALS = 600  # 60 episodes of 10 trials, 1.2 s each
SILENCED_FROM_S = 540.0  # the memory is silenced from trial 450 (episode 45) on


@pytest.fixture(scope="module")
def session():
    silence = {"transform": "clamp", "region": "pfc_memory", "drive_hz": -500.0, "start_s": SILENCED_FROM_S,
               "stop_s": 1e6}
    return run("meta_bandit", mode="rate", trials=TRIALS, seed=1, progress=False, lesions=[silence]).trials


def episodes(table, first, last):
    rows = (table["episode"] >= first) & (table["episode"] <= last)
    return within_episode(table, rows, 10)


@pytest.mark.slow
def test_after_training_the_circuit_finds_each_new_better_arm_within_the_episode(session):
    trained = episodes(session, 25, 44)
    assert trained["p_best_late"] > 0.75  # 0.85 measured (an episode's first trial: 0.55)
    assert trained["win_stay"] > 0.9  # 1.00


@pytest.mark.slow
def test_it_learned_to_do_so_across_episodes(session):
    early, trained = episodes(session, 0, 19), episodes(session, 25, 44)
    assert trained["p_best_late"] > early["p_best_late"] + 0.1  # 0.85 against 0.67


@pytest.mark.slow
def test_silencing_the_memory_leaves_the_trained_synapses_without_what_they_read(session):
    silenced = episodes(session, 46, 59)
    assert silenced["p_best_late"] < 0.65  # 0.43
    assert silenced["win_stay"] < 0.85  # 0.71


@pytest.mark.slow
def test_the_arms_are_redrawn_each_episode_in_a_random_order():
    from dopasim.tasks import make

    task = make("meta_bandit", episode_trials=5)
    probs = task.draws(500, np.random.default_rng(0))["probs"]
    assert np.all(probs[::5] == probs[4::5])  # fixed within an episode
    assert 0.4 < np.mean(probs[::5, 0] > probs[::5, 1]) < 0.6  # either arm the better one
