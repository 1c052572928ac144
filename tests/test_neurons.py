"""Rate units and calibrated LIF neurons mean the same thing by the same drive."""

import pytest

from dopasim.circuits import CircuitGraph
from dopasim.circuits.compiler import simulate


@pytest.mark.parametrize("mode", ["rate", "spiking"])
@pytest.mark.parametrize("tau_ms", [20.0, 10.0])
@pytest.mark.slow
def test_population_rate_equals_its_drive_in_both_modes(mode, tau_ms):
    g = CircuitGraph("fi")
    drives = {"low": 5.0, "mid": 15.0, "high": 30.0}
    for name, drive in drives.items():
        g.add_region(name, "vta", size=200, baseline_hz=drive, tau_ms=tau_ms)
    rec = simulate(g, mode, {}, 2.0, seed=1, progress=False)
    for name, drive in drives.items():
        _, rate = rec.population_rate(name)
        # calibrated at 20 ms; at other membrane time constants through the 1/tau scaling
        assert rate[50:].mean() == pytest.approx(drive, abs=1.0 if tau_ms == 20.0 else 1.5)


@pytest.mark.slow
def test_compiled_circuit_is_plain_brian2_on_the_runtime_device():
    # the graph layer only builds Brian2 objects: the same network runs without the standalone device
    import brian2 as b2
    import numpy as np

    from dopasim.circuits import make_circuit
    from dopasim.circuits.compiler import build_network

    b2.prefs.codegen.target = "numpy"
    b2.defaultclock.dt = 1 * b2.ms
    signals = {"cs": np.full(300, -1.0), "reward": np.r_[np.zeros(100), np.ones(50), np.zeros(150)]}
    net, groups, synapses, monitors = build_network(make_circuit("critic"), "rate", signals, 0.001)
    net.run(300 * b2.ms)
    vta = monitors["rates_vta"].rate[:].mean(axis=0) / b2.Hz
    t = monitors["rates_vta"].t[:] / b2.second
    assert vta[(t > 0.06) & (t < 0.1)].mean() == pytest.approx(5.0, abs=0.3)  # tonic, after rising from 0
    assert vta[(t > 0.1) & (t < 0.3)].max() > 10.0  # an unpredicted reward bursts


@pytest.mark.slow
def test_drive_noise_makes_cells_fluctuate_around_the_same_mean():
    import numpy as np

    g = CircuitGraph("noisy")
    g.add_region("quiet", "vta", size=50, baseline_hz=20.0)
    g.add_region("noisy", "vta", size=50, baseline_hz=20.0, noise_hz=5.0)
    rec = simulate(g, "rate", {}, 4.0, seed=3, progress=False)
    for name, sd in (("quiet", 0.0), ("noisy", 5.0)):
        _, rates = rec.rates[name]
        late = rates[:, 50:]
        assert late.mean() == pytest.approx(20.0, abs=0.5)
        # the rate unit low-passes the fluctuation: sd x sqrt(tau_noise / (tau_noise + tau)) = 0.85 sd
        assert late.std(axis=1).mean() == pytest.approx(0.85 * sd, abs=0.8)
    assert not np.allclose(rec.rates["noisy"][1][0], rec.rates["noisy"][1][1])  # independent per cell


@pytest.mark.slow
def test_drive_noise_keeps_the_spiking_mean_rate():
    g = CircuitGraph("noisy")
    g.add_region("noisy", "vta", size=200, baseline_hz=20.0, noise_hz=5.0)
    rec = simulate(g, "spiking", {}, 3.0, seed=3, progress=False)
    assert rec.population_rate("noisy")[1][50:].mean() == pytest.approx(20.0, abs=1.5)
