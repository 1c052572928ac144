import numpy as np
import pytest

from dopasim.models.td import TD0, TDLambda


def test_td0_learns_the_reward_at_the_end_of_a_chain():
    td = TD0(4, alpha=0.2)
    for _ in range(300):
        td.episode([0, 1, 2, 3], [0, 0, 0, 1.0])
    assert np.allclose(td.values, 1.0, atol=1e-3)


def test_td_error_moves_from_reward_to_the_first_predictive_state():
    td = TDLambda(4, alpha=0.3, lam=0.5, frozen=[0])
    first = td.episode([0, 1, 2, 3], [0, 0, 0, 1.0])
    for _ in range(200):
        last = td.episode([0, 1, 2, 3], [0, 0, 0, 1.0])
    assert first[-1] == pytest.approx(1.0) and first[0] == 0.0
    assert last[0] == pytest.approx(1.0, abs=1e-3) and abs(last[-1]) < 1e-3
    assert td.values[0] == 0.0  # frozen state


def test_td_lambda_one_is_monte_carlo_within_an_episode():
    # with lambda = 1 and gamma = 1 each visited state moves toward the return
    td = TDLambda(3, alpha=0.5, lam=1.0)
    td.episode([0, 1, 2], [0, 0, 2.0])
    assert np.allclose(td.values, [1.0, 1.0, 1.0])


def test_omission_gives_a_negative_error_after_learning():
    td = TDLambda(3, alpha=0.2, lam=0.8, frozen=[0])
    for _ in range(100):
        td.episode([0, 1, 2], [0, 0, 1.0])
    assert td.episode([0, 1, 2], [0, 0, 0.0])[-1] < -0.9


def test_an_episode_needs_one_reward_per_state():
    with pytest.raises(ValueError, match="one reward per state"):
        TD0(3).episode([0, 1, 2], [0.0, 1.0])
