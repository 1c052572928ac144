"""Dopamine-modulated STDP (Izhikevich 2007): a spike pairing leaves an eligibility whose sign is the order of
the spikes, and a later dopamine burst turns it into a weight change of that sign."""

import numpy as np
import pytest

from dopasim.circuits.compiler import simulate
from dopasim.circuits.graph import CircuitGraph
from dopasim.params import ConfigError

PERIOD_S = 0.2  # one pairing, then a burst, every 200 ms


def pairing(first: str, lag_ms: float = 10.0, burst: bool = True) -> CircuitGraph:
    """Two silent populations, each made to fire by a 2 ms pulse in every period, ``first`` leading by
    ``lag_ms``; the DA cells burst 100-150 ms after each pairing."""
    g = CircuitGraph("pairing")
    for region in ("pre", "post"):
        onset = 0.0 if region == first else lag_ms / 1000
        g.add_region(region, "cortical_population", size=10, baseline_hz=-30.0, clamp_hz=1000.0,
                     clamp_start_s=onset, clamp_stop_s=onset + 0.002, clamp_period_s=PERIOD_S)
    g.add_region("vta", "vta", size=20, clamp_hz=40.0 if burst else 0.0, clamp_start_s=0.1, clamp_stop_s=0.15,
                 clamp_period_s=PERIOD_S)
    g.add_projection("pairing", "pre", "post", "excitatory", rule="da_stdp", weight=1.0, w_init_spread=0.0,
                     w_max=10.0, learning_rate=0.01)
    g.add_projection("dopamine", "vta", "post", "dopamine", weight=1.0)
    return g


def weight_change(graph: CircuitGraph) -> float:
    rec = simulate(graph, "spiking", {}, 5.0, seed=1, progress=False)
    _, _, w = rec.final_weights["pairing"]
    return float(np.mean(w) - 1.0)


@pytest.mark.slow
def test_pre_before_post_then_dopamine_strengthens_post_before_pre_weakens_and_no_dopamine_no_change():
    potentiated = weight_change(pairing(first="pre"))  # measured +2.6 (weights start at 1)
    depressed = weight_change(pairing(first="post"))  # -0.99: down to the bound 0
    unrewarded = weight_change(pairing(first="pre", burst=False))  # +0.07: tonic dopamine only
    assert potentiated > 1.0, potentiated
    assert depressed < -0.5, depressed
    assert abs(unrewarded) < 0.25, unrewarded


def test_da_stdp_needs_spikes():
    from dopasim.circuits.compiler import build_network

    with pytest.raises(ConfigError, match="works in spiking mode only"):
        build_network(pairing("pre"), "rate", {}, 0.001)
