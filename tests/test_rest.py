"""The rest task and the spectral measures of its LFP proxy."""

import numpy as np
import pytest

from dopasim.analysis.spectra import band_measures, power_spectrum
from dopasim.experiment import run


def test_a_beta_rhythm_gives_a_clear_peak_and_noise_gives_none():
    rng = np.random.default_rng(0)
    t = np.arange(0, 10, 0.001)
    noise = rng.normal(0, 1, len(t))
    rhythm = band_measures(*power_spectrum(noise + np.sin(2 * np.pi * 21 * t), 1000))
    flat = band_measures(*power_spectrum(noise, 1000))
    assert rhythm["peak_hz"] == pytest.approx(21, abs=1)
    assert rhythm["peak_ratio"] > 20 and flat["peak_ratio"] < 3
    assert rhythm["fraction"] > 5 * flat["fraction"]


@pytest.mark.slow
def test_rest_holds_every_input_quiet_and_measures_the_stn_and_gpe_spectrum(tmp_path):
    # the selection circuit (no dopamine cells): the same compiled code as the action-selection tests
    res = run("rest", circuit="selection", mode="rate", trials=2, seed=1, progress=False)
    assert list(res.trials["trial"]) == [0, 1]
    assert res.summary["rate_gpe"] > 5.0  # GPe fires tonically with no input
    for name in ("stn", "gpe", "lfp"):
        assert 0.0 <= res.summary[f"beta_fraction_{name}"] <= 1.0
    assert res.config["reference"]["learner"] == "none"
    res.write(tmp_path / "run")
    assert (tmp_path / "run" / "figures" / "spectrum.png").stat().st_size > 10_000


@pytest.mark.slow
def test_dopamine_loss_brings_out_a_beta_rhythm_in_the_stn_and_gpe_at_rest():
    # spiking mode: the STN <-> GPe loop has conduction delays; losing 80% of the SNc doubles its coupling
    def spectrum(lesions):
        res = run("rest", mode="spiking", trials=3, seed=2, progress=False, lesions=lesions)  # 5.5 s analysed
        return res.summary

    healthy = spectrum([])
    parkinsonian = spectrum([{"transform": "kill_cells", "region": "snc", "fraction": 0.8}])
    assert 13 <= parkinsonian["beta_peak_hz_lfp"] <= 30 and parkinsonian["beta_peak_ratio_lfp"] > 30
    assert healthy["beta_peak_ratio_lfp"] < 6  # no peak standing out of the spectrum
    assert parkinsonian["beta_fraction_lfp"] > 4 * healthy["beta_fraction_lfp"]
