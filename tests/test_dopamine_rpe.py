"""Schultz, Dayan & Montague (1997) in the circuit: the DA population's own activity
is a reward prediction error, in rate and in spiking mode."""

import numpy as np
import pytest

MODES = ["rate", "spiking"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.slow
def test_dopamine_burst_moves_from_reward_to_cue(trained, mode):
    s = trained(mode).summary
    # early: the burst is at the reward, not the CS
    assert s["da_us_early"] > 2.0
    assert s["da_us_early"] > 3 * abs(s["da_cs_early"])
    # late: the burst is at the CS; the predicted reward evokes less than a third of its early response
    assert s["da_cs_late"] > 2.0
    assert abs(s["da_us_late"]) < s["da_us_early"] / 3


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.slow
def test_circuit_dopamine_tracks_the_reference_td_error_trial_by_trial(trained, mode):
    s = trained(mode).summary
    assert s["corr_da_td_cs"] >= 0.8
    assert s["corr_da_td_us"] >= 0.8


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.slow
def test_omitted_expected_reward_gives_a_dip_below_baseline(trained, mode):
    tr = trained(mode).trials
    assert tr["omitted"][140] == 1
    assert tr["da_us"][140] < -1.5  # Hz below the pre-CS baseline
    # and it is a real pause in firing, not only a smaller burst
    assert tr["da_us"][140] + tr["da_baseline"][140] < tr["da_baseline"][140] - 1.5


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.slow
def test_value_is_learned_in_the_ventral_striatum(trained, mode):
    tr = trained(mode).trials
    assert tr["value_us"][-10:].mean() > tr["value_us"][:5].mean() + 5.0


@pytest.mark.slow
def test_tonic_dopamine_sits_at_its_baseline_in_both_modes(trained):
    for mode in MODES:
        assert np.mean(trained(mode).trials["da_baseline"]) == pytest.approx(5.0, abs=0.3)
