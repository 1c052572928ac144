"""The PFC of model-based control: a transition model learned from state prediction errors,
goal-directed values read out through it, and the arbitration weight between the two controllers."""

import numpy as np
import pytest

from dopasim.circuits import make_circuit
from dopasim.circuits.diseases import apply_disease
from dopasim.circuits.populations import control_gain
from dopasim.circuits.presets.planning import GOAL_VALUE_GAIN, REWARD_WORTH
from dopasim.circuits.regions.pfc import pfc_outcome
from dopasim.experiment import run
from dopasim.params import ConfigError

SHAPE = dict(stimuli=3, actions=2, topology="all", critic_stimuli=3, critic_elements=1, critic_element_ms=800.0)


EPISODES = 400


@pytest.fixture(scope="module")
def sessions():
    """Daw's experiment on the circuit: 400 episodes, seed 2, at each end of the arbitration."""
    cache = {}

    def get(weight):
        if weight not in cache:
            cache[weight] = run("two_step", circuit="model_based", mode="rate", trials=EPISODES, seed=2,
                                params={"circuit.pfc.model_based_weight": str(weight)}, progress=False)
        return cache[weight]

    return get


@pytest.fixture(scope="module")
def session(sessions):
    return sessions(1.0)


@pytest.mark.slow
def test_habit_repeats_a_rewarded_first_choice_whatever_the_transition(sessions):
    s = sessions(0.0).summary
    assert s["no_response_rate"] < 0.05
    assert s["mf_index"] > 0.1  # measured 0.18 (seeds 1 and 2)
    assert abs(s["mb_index"]) < 0.05  # measured -0.01, 0.00


@pytest.mark.slow
def test_goal_directed_control_credits_the_state_reached(sessions):
    s = sessions(1.0).summary
    assert s["no_response_rate"] < 0.05
    assert s["mb_index"] > 0.08  # measured 0.15 (seed 1: 0.06)
    assert abs(s["mf_index"]) < 0.05  # measured -0.01 (seed 1: -0.03)


@pytest.mark.slow
def test_the_choices_imply_the_arbitration_weight(sessions):
    # Daw's hybrid learner fitted to every choice of the session (dopasim.analysis.hybrid_fit), which on its
    # own learner's choices recovers the weight it chose by (tests/test_two_step.py)
    habit, goal = (sessions(w).summary["fitted_model_based_weight"] for w in (0.0, 1.0))
    assert habit < 0.1  # measured 0.00 (seeds 1, 3, 4: 0.00 each)
    assert goal > 0.5  # measured 0.84 (seeds 1, 3, 4: 0.69, 0.76, 0.55)


def spiking_session(weight: float, episodes: int) -> dict:
    return run("two_step", mode="spiking", trials=episodes, seed=1, progress=False,
               params={"circuit.pfc.model_based_weight": str(weight)}).summary


@pytest.mark.slow
def test_spiking_goal_directed_control_credits_the_state_reached():
    # spiking mode: the goal-directed circuit only (rate mode tests habit and goal; spiking two-step figures are
    # measurements, not validated findings: README). A shorter session (200 episodes, 2.5 min): one session's
    # stay indices scatter by about 0.09 (the hybrid reference over 40 seeds, README), so the fit to every choice
    # carries the claim. Seed 2 shows how far a single spiking session goes either way (250 episodes): fitted 0.33
    # with mb_index 0.13 (weight 0: 0.00, 0.10)
    s = spiking_session(1.0, 200)
    assert s["no_response_rate"] < 0.05
    assert s["fitted_model_based_weight"] > 0.5  # measured 1.00 (250 episodes: 0.90; 400: 1.00; seed 2: 0.62)
    assert s["mb_index"] > 0.03  # measured 0.065 (250: 0.07; 400 episodes, seeds 1-4: 0.01, 0.08, 0.10, 0.10)


def outcome_weights(session, projection: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(presynaptic cell, action channel, outcome, weight) of a projection onto or from the PFC."""
    i, j, w = session.recording.final_weights[projection]
    params = session.graph.region("pfc")["params"]
    n = session.recording.sizes["pfc"]
    per_channel = n // params["channels"]
    pfc_cell = j if projection == "transition_model" else i
    outcome = np.array([eval(pfc_outcome(n, params, str(c))) for c in pfc_cell])  # noqa: S307 (our own expression)
    return i, pfc_cell // per_channel, outcome, w


@pytest.mark.slow
def test_the_pfc_learns_where_each_first_stage_action_commonly_leads(session):
    table = session.trials
    first = (table["step"] == 1) & (table["choice"] >= 0)
    cue, action, outcome, _ = outcome_weights(session, "transition_model")
    # the predictions over the second half of the session (each move moves them by about a fifth: recent
    # transitions weigh most, as in Glascher et al. 2010)
    times, sampled = session.recording.weights["transition_model"]
    which = session.recording.weight_synapses["transition_model"]
    late = sampled[:, times > times[-1] / 2].mean(axis=1)
    cue, action, outcome = cue[which], action[which], outcome[which]
    for a in (0, 1):
        taken = first & (table["choice"] == a)
        assert taken.sum() >= 20
        common = np.mean(table["next_state"][taken] == a + 1)
        t_common = late[(cue == 0) & (action == a) & (outcome == a + 1)].mean()
        t_rare = late[(cue == 0) & (action == a) & (outcome == 2 - a)].mean()
        # the learned probabilities follow what the circuit saw: near 0.7 and 0.3
        assert abs(t_common - common) < 0.15 and abs(t_rare - (1 - common)) < 0.15, (a, common, t_common, t_rare)
    # a first-stage move never leads back to the first state, nor straight to the reward
    assert late[(cue == 0) & ((outcome == 0) | (outcome == 3))].max() < 0.05


@pytest.mark.slow
def test_second_stage_predictions_are_the_reward_probabilities(session):
    table = session.trials
    cue, action, outcome, w = outcome_weights(session, "transition_model")
    for s in (1, 2):
        for b in (0, 1):
            taken = (table["state"] == s) & (table["choice"] == b)
            if taken.sum() < 15:
                continue
            predicted = w[(cue == s) & (action == b) & (outcome == 3)].mean()
            assert abs(predicted - table["reward"][taken][-15:].mean()) < 0.35


@pytest.mark.slow
def test_goal_directed_values_are_the_critics_scaled_and_the_reward_keeps_its_worth(session):
    _, _, outcome, w = outcome_weights(session, "prospective_value")
    ci, _, cw = session.recording.final_weights["corticostriatal"]
    for state in (1, 2):
        assert w[outcome == state].mean() == pytest.approx(GOAL_VALUE_GAIN * cw[ci == state].mean(), rel=0.1)
    assert np.all(w[outcome == 3] == GOAL_VALUE_GAIN * REWARD_WORTH)


def test_the_arbitration_weight_shares_the_pallidum_between_the_controllers():
    g = make_circuit("model_based", model_based_weight=0.3, **SHAPE)
    gains = {name: control_gain(g, attrs) for name, _, _, attrs in g.projections()}
    assert gains["direct_dms"] == pytest.approx(0.3)
    assert gains["direct"] == gains["indirect"] == pytest.approx(0.7)
    assert gains["cue_d1"] == gains["corticostriatal"] == 1.0
    g.set("pfc.model_based_weight", 1.0)
    assert control_gain(g, g.projection("direct")) == 0.0


def test_a_controlled_projection_without_a_pfc_is_refused():
    g = make_circuit("actor_critic", **SHAPE)
    g.set("direct.control", "habitual")
    with pytest.raises(ConfigError, match="needs exactly one pfc"):
        g.validate()


def test_ocd_hands_most_of_the_control_to_habit():
    g = make_circuit("model_based", **SHAPE)
    sick = apply_disease(g, "ocd").validate()
    assert sick.region("pfc")["params"]["model_based_weight"] == pytest.approx(0.4 * 0.5)
    assert control_gain(sick, sick.projection("direct")) == pytest.approx(0.8)
    assert sick.lesions == [{"transform": "goal_directed", "factor": 0.4, "disease": "ocd"}]
