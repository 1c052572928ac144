"""Disease presets in small real simulations: the circuit's own dopamine shows each mechanism."""

import numpy as np
import pytest

from dopasim.experiment import run


def pavlovian(n_trials, disease=None, **sets):
    return run("pavlovian", mode="rate", trials=n_trials, seed=3, progress=False, disease=disease,
               params={f"task.{k}": str(v) for k, v in sets.items()})


def late_value_slope(res):
    """Hz per trial by which the cue's value (ventral striatum before the US) still rises in the last third."""
    trial, value = res.trials["trial"], res.trials["value_us"]
    late = trial >= 2 * len(trial) // 3
    return np.polyfit(trial[late], value[late], 1)[0]


@pytest.fixture(scope="module")
def natural():
    """The healthy circuit: without a drug action, the drug is a plain reward."""
    return pavlovian(90, drug="true")


@pytest.mark.slow
def test_a_drug_cues_value_keeps_rising_where_a_natural_rewards_levels_off(natural):
    # Redish (2004): the drug's dopamine is never predicted away, so the value it teaches has no ceiling
    drug = pavlovian(90, "addiction", drug="true")
    assert late_value_slope(drug) > 0.25  # Hz per trial
    assert late_value_slope(drug) > 4 * late_value_slope(natural)
    assert drug.trials["value_us"][-1] > 1.5 * natural.trials["value_us"][-1]


@pytest.mark.slow
def test_depression_lowers_the_dopamine_burst_to_reward(natural):
    depressed = pavlovian(10, "depression", drug="true")  # the same first ten trials as the healthy run
    assert natural.summary["da_us_early"] > 2.0
    assert depressed.summary["da_us_early"] < 0.7 * natural.summary["da_us_early"]


@pytest.mark.slow
def test_an_optogenetic_clamp_silences_the_dopamine_cells_in_its_window_of_every_trial():
    res = run("pavlovian", mode="rate", trials=3, seed=1, progress=False,
              lesions=[{"transform": "clamp", "region": "vta", "drive_hz": -500.0, "start_s": 0.1, "stop_s": 0.4,
                        "period_s": 2.5}])
    t, da = res.recording.population_rate("vta")
    within = ((t % 2.5) >= 0.2) & ((t % 2.5) < 0.4)
    before_the_cue = ((t % 2.5) >= 0.45) & ((t % 2.5) < 0.5)
    assert da[within].max() < 0.5  # silenced, trial after trial
    assert np.all(da[before_the_cue] > 3.0)  # and back at its tonic rate once the light is off
