"""The two-step task (Daw et al. 2011): model-free and model-based control leave different
stay patterns on the first-stage choice. Here on the reference learners, on the task's own draws."""

import numpy as np
import pytest

from dopasim.analysis.hybrid_fit import fit_hybrid
from dopasim.models.rl import make_learner
from dopasim.params import ConfigError
from dopasim.tasks import make
from dopasim.tasks.two_step import reward_walks, stay_probabilities

EPISODES = 3000


def play(model_based_weight: float, seed: int = 1) -> dict:
    """A hybrid learner on EPISODES episodes of the task's draws; the stay analysis of its first choices."""
    task, rng = make("two_step"), np.random.default_rng(seed)
    draws = task.draws(EPISODES, rng)
    agent = make_learner(3, 2, "hybrid", alpha=0.3, beta=8.0, gamma=1.0, eta=0.2, lam=1.0,
                         model_based_weight=model_based_weight)
    episodes = [task.play(agent, draws, e, rng) for e in range(EPISODES)]
    first, second, rewards = zip(*episodes)
    return stay_probabilities(first, second, rewards)


@pytest.mark.slow
def test_model_free_control_repeats_a_rewarded_choice_whatever_the_transition():
    s = play(model_based_weight=0.0)
    assert s["mf_index"] > 0.15
    assert abs(s["mb_index"]) < 0.06


@pytest.mark.slow
def test_model_based_control_credits_the_state_reached():
    s = play(model_based_weight=1.0)
    assert s["mb_index"] > 0.1
    # what is left of a reward main effect comes from values that the drifting rewards have not yet caught up with
    assert s["mf_index"] < s["mb_index"] / 2
    # rewarded after a rare transition, it switches to the action that commonly leads there
    assert s["stay_rare_rewarded"] < s["stay_common_rewarded"]


@pytest.mark.slow
def test_the_hybrid_fit_recovers_the_weight_a_learner_chose_by():
    # Daw's hybrid at beta 5, alpha 0.3 (the task's reference), 1000 episodes; its second-stage choices too
    def fitted(weight):
        task, rng = make("two_step"), np.random.default_rng(1)
        draws = task.draws(1000, rng)
        agent = make_learner(3, 2, "hybrid", alpha=0.3, beta=5.0, gamma=1.0, eta=0.2, lam=0.6,
                             model_based_weight=weight)
        episodes = []
        for e in range(1000):
            task.P = task.episode_worlds({"reward_probs": draws["reward_probs"][e:e + 1]})[0]
            (first, second_state, _), (second, _, reward) = task.play_episode(agent, rng, 0, draws["luck"][e])
            episodes.append((first, second_state, second, reward))
        return fit_hybrid(*(np.array(x) for x in zip(*episodes)))

    habit, goal = fitted(0.2), fitted(0.8)
    assert habit["model_based_weight"] < 0.35  # measured 0.25 (seed 2: 0.15)
    assert goal["model_based_weight"] > 0.6  # measured 0.74 (seed 2: 0.72)
    for fit in (habit, goal):
        assert fit["alpha"] == pytest.approx(0.3, abs=0.1) and fit["beta"] == pytest.approx(5.0, abs=1.5)


def test_stay_analysis_counts_the_four_cases():
    # action 0 -> state 1 is common; 1 -> 1 is rare
    first = [0, 0, 1, 1, 0]
    second = [1, 2, 1, 2, 1]
    reward = [1, 0, 1, 0, 0]
    s = stay_probabilities(first, second, reward)
    assert s["stay_common_rewarded"] == 1.0  # 0 -> 1 rewarded, then 0 again
    assert s["stay_rare_unrewarded"] == 0.0  # 0 -> 2 unrewarded, then 1
    assert s["stay_rare_rewarded"] == 1.0  # 1 -> 1 rewarded, then 1
    assert s["stay_common_unrewarded"] == 0.0  # 1 -> 2 unrewarded, then 0


def test_reward_probabilities_drift_within_their_bounds():
    walks = reward_walks(5000, np.full((2, 2), 0.5), 0.025, 0.25, 0.75, np.random.default_rng(0))
    assert walks.min() >= 0.25 and walks.max() <= 0.75
    assert np.abs(np.diff(walks, axis=0)).mean() == pytest.approx(0.025 * np.sqrt(2 / np.pi), rel=0.1)


def test_bad_bounds_are_refused():
    with pytest.raises(ConfigError, match="reward_bounds"):
        make("two_step", reward_bounds="0.8,0.2")
