"""Choice tasks run in closed loop: the circuit's own decisions set the outcomes it learns from."""

import numpy as np
import pytest

from dopasim.experiment import configure, run
from dopasim.params import ConfigError


def arm_weights(res, projection):
    """Mean cue -> striatum weight onto each action channel."""
    i, j, w = res.recording.final_weights[projection]
    per = res.recording.sizes["striatum_d1"] // res.recording.channels["striatum_d1"]
    return np.array([w[j // per == k].mean() for k in range(res.recording.channels["striatum_d1"])])


@pytest.mark.parametrize("mode", ["rate", "spiking"])
@pytest.mark.slow
def test_the_circuit_learns_to_choose_the_richer_arm(mode):
    # the better arm is channel 1, so a bias towards the first channel cannot pass
    res = run("bandit", mode=mode, trials=150, seed=2, params={"task.reward_probs": "0.2,0.8"}, progress=False)
    chose_best = res.trials["chose_best"]
    assert chose_best[-50:].mean() >= 0.8  # it comes to choose the 80% arm
    # opponent plasticity: Go strengthened and NoGo weakened for the rewarded arm, relative to the other
    d1, d2 = arm_weights(res, "cue_d1"), arm_weights(res, "cue_d2")
    assert d1[1] > d1[0] and d2[1] < d2[0]
    # the DA response at the outcome is an RPE: rewarded above omitted, omitted below baseline
    late = np.arange(len(chose_best)) >= 75
    rewarded, omitted = late & (res.trials["reward"] > 0), late & (res.trials["reward"] == 0)
    assert res.trials["da_outcome"][rewarded].mean() > res.trials["da_outcome"][omitted].mean() + 0.5
    assert res.trials["da_outcome"][omitted].mean() < -0.3


@pytest.mark.slow
def test_every_outcome_follows_the_pre_drawn_luck_and_the_chosen_arm():
    res = run("bandit", mode="rate", trials=60, seed=5, params={"task.reward_probs": "0.3,0.6,0.9"},
              progress=False)
    t = res.trials
    assert list(t["trial"]) == list(range(60))  # one logged outcome per trial, in order
    draws = res.task.draws(60, np.random.default_rng(5))  # the same seed draws the same luck
    chosen = t["choice"] >= 0
    expected = draws["luck"][chosen] < draws["probs"][chosen, t["choice"][chosen]]
    assert np.array_equal(t["reward"][chosen] > 0, expected)
    assert np.all(t["reward"][~chosen] == 0)
    assert np.all((t["rt_ms"][chosen] > 0) & (t["rt_ms"][chosen] <= 500))


@pytest.mark.slow
def test_no_commitment_means_no_response_and_no_reward():
    res = run("bandit", mode="rate", trials=10, seed=1, params={"decision.threshold_hz": "500"}, progress=False)
    assert np.all(res.trials["choice"] == -1) and np.all(res.trials["reward"] == 0)
    assert np.all(np.isnan(res.trials["rt_ms"])) and res.summary["no_response_rate"] == 1.0


def test_the_circuit_is_shaped_to_the_task_and_checked_against_it():
    task, graph, _, _ = configure("bandit", params={"task.reward_probs": "0.5,0.5,0.5,0.5"})
    assert graph.channels("thalamus") == 4 and graph.channels("cue") == 4
    assert graph.dopamine_source("striatum_d1") == "snc" and graph.dopamine_source("ventral_striatum") == "vta"
    with pytest.raises(ConfigError, match="needs a circuit with the regions"):
        configure("bandit", "critic")
    with pytest.raises(ConfigError, match="reward_probs"):
        configure("bandit", params={"task.reward_probs": "0.8"})
    with pytest.raises(ConfigError, match="reversal_trial=400 must come before the end"):
        run("reversal", trials=300, params={"task.reversal_trial": "400"}, progress=False)


@pytest.mark.slow
def test_a_collapsing_bound_commits_even_when_the_fixed_bound_is_out_of_reach():
    res = run("bandit", mode="rate", trials=10, seed=1, progress=False,
              params={"decision.threshold_hz": "500", "decision.collapse": "1"})
    # the bound falls from 500 Hz to 0 over the 500 ms window: the released channel commits late in it
    assert np.all(res.trials["choice"] >= 0)
    assert np.all(res.trials["rt_ms"] > 400)
