"""Distributional dopamine (Dabney et al. 2020): DA channels with diverse asymmetries,
each training its own value channel, code the reward distribution in their reversal points."""

import numpy as np
import pytest

from dopasim.analysis.distributional import (
    asymmetry,
    decode,
    expectile,
    modes,
    neuron_table,
    reversal_point,
)
from dopasim.experiment import run
from dopasim.models.td import TDLambda

#: two modes of three magnitudes each: a reversal point between them rests on slopes measured over 0.4 (README)
BIMODAL = "0.1,0.3,0.5,1.1,1.3,1.5"


@pytest.fixture(scope="module")
def bimodal():
    return run("variable_magnitude", mode="rate", trials=400, seed=1, progress=False,
               params={"task.magnitudes": BIMODAL})


@pytest.mark.slow
def test_reversal_points_spread_over_the_rewards_and_rise_with_asymmetry(bimodal):
    s = bimodal.summary
    assert s["neurons_measured"] >= 16
    assert s["asymmetry_reversal_corr"] > 0.7
    # the population's reversal points cover a good part of the 0.1-1.4 range, not one mean
    assert s["reversal_spread"] > 0.15


@pytest.mark.slow
def test_circuit_reversal_points_follow_expectile_td(bimodal):
    rows = bimodal.task.neurons(bimodal.trials)
    ok = np.isfinite(rows["reversal_point"])
    assert np.corrcoef(rows["reversal_point"][ok], rows["ref_reversal_point"][ok])[0, 1] > 0.9


@pytest.mark.slow
def test_a_bimodal_reward_decodes_as_bimodal(bimodal):
    s = bimodal.summary
    assert s["decoded_modes"] == 2
    assert s["decoded_mean"] == pytest.approx(s["true_mean"], abs=0.2)


@pytest.mark.slow
def test_symmetric_dopamine_cells_learn_one_value_the_mean():
    res = run("variable_magnitude", mode="rate", trials=400, seed=1, progress=False,
              params={"task.magnitudes": BIMODAL, "circuit.vta.asymmetry_spread": "0"})
    s = res.summary
    assert s["reversal_spread"] < 0.02  # every channel at the mean, whatever its small residue of learning
    assert s["decoded_modes"] == 1
    assert s["decoded_mean"] == pytest.approx(s["true_mean"], abs=0.15)


# -- the analysis on known answers -------------------------------------------

def test_expectiles_of_half_and_the_mean_coincide():
    x = np.array([0.0, 1.0, 5.0])
    assert expectile(x, 0.5) == pytest.approx(2.0, abs=1e-6)
    assert expectile(x, 0.1) < expectile(x, 0.5) < expectile(x, 0.9)


def test_reversal_and_asymmetry_of_a_two_slope_response():
    m = np.array([0.0, 0.2, 0.4, 0.6, 1.0, 1.5])
    response = np.where(m > 0.5, 3.0 * (m - 0.5), 1.0 * (m - 0.5))  # slopes 3 above, 1 below
    e = reversal_point(m, response)
    assert e == pytest.approx(0.5, abs=0.01)
    assert asymmetry(m, response, e) == pytest.approx(0.75, abs=0.02)
    assert np.isnan(reversal_point(m, np.abs(response) + 1))  # no sign change, no reversal


def test_a_magnitude_missing_from_one_half_of_the_trials_leaves_the_neurons_measurable():
    magnitude = np.array([0.0, 1.0, 2.0, 3.0] * 10 + [4.0])  # 4.0 once: an even trial only
    responses = np.where(magnitude > 1.5, 2.0 * (magnitude - 1.5), 1.0 * (magnitude - 1.5))[:, None]
    rows = neuron_table(magnitude, responses)
    assert rows["reversal_point"][0] == pytest.approx(1.5, abs=0.02)
    assert rows["asymmetry"][0] == pytest.approx(2 / 3, abs=0.02)


@pytest.mark.parametrize("values, weights, n_modes", [
    ([0.1, 0.2, 1.3, 1.4], None, 2),
    ([0.1, 0.5, 0.7, 0.9, 1.4], [0.05, 0.25, 0.4, 0.25, 0.05], 1),
])
def test_decoding_exact_expectiles_recovers_the_shape(values, weights, n_modes):
    taus = np.linspace(0.1, 0.9, 20)
    e = [expectile(values, t, weights) for t in taus]
    assert modes(decode(taus, e), bandwidth=0.13) == n_modes


def test_expectile_td_settles_at_the_expectile():
    rng = np.random.default_rng(0)
    rewards = rng.choice([0.0, 1.0], size=4000, p=[0.5, 0.5])
    td = TDLambda(1, alpha=0.01, lam=0.0, tau=0.8)
    for r in rewards:
        td.episode([0], [r])
    assert td.values[0] == pytest.approx(expectile(np.array([0.0, 1.0]), 0.8), abs=0.05)


def test_quantile_td_settles_at_the_median_where_expectile_td_finds_the_mean():
    rng = np.random.default_rng(0)
    rewards = rng.choice([0.0, 1.0, 5.0], size=6000)  # median 1, mean 2
    median, mean = (TDLambda(1, alpha=0.01, lam=0.0, quantile=q) for q in (True, False))
    for r in rewards:
        median.episode([0], [r])
        mean.episode([0], [r])
    assert median.values[0] == pytest.approx(1.0, abs=0.1)
    assert mean.values[0] == pytest.approx(2.0, abs=0.25)


@pytest.mark.slow
def test_spiking_dopamine_cells_code_a_bimodal_reward_as_bimodal(bimodal):
    # 20 DA cells per channel; the README gives the cohort (seeds 1-16) and what it took
    res = run("variable_magnitude", mode="spiking", trials=400, seed=1, progress=False,
              params={"task.magnitudes": BIMODAL})
    s = res.summary
    assert s["neurons_measured"] >= 16  # measured 20
    assert s["asymmetry_reversal_corr"] > 0.8  # measured 0.99
    assert s["reversal_spread"] > 0.15  # measured 0.22
    assert s["decoded_modes"] == 2
    # it decodes to what the noise-free rate code decodes (both below the true 0.8: README): 0.62 and 0.70
    assert s["decoded_mean"] == pytest.approx(bimodal.summary["decoded_mean"], abs=0.15)
