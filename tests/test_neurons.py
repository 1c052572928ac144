"""Rate units and calibrated LIF neurons mean the same thing by the same drive."""

import pytest

from dopasim.circuits import CircuitGraph
from dopasim.circuits.compiler import simulate


@pytest.mark.parametrize("mode", ["rate", "spiking"])
def test_population_rate_equals_its_drive_in_both_modes(mode):
    g = CircuitGraph("fi")
    drives = {"low": 5.0, "mid": 15.0, "high": 30.0}
    for name, drive in drives.items():
        g.add_region(name, "vta", size=200, baseline_hz=drive)
    rec = simulate(g, mode, {}, signal_dt=0.001, duration=2.0, seed=1, progress=False)
    for name, drive in drives.items():
        _, rate = rec.population_rate(name)
        assert rate[50:].mean() == pytest.approx(drive, abs=1.0)
