"""Named circuits, made only from regions and projections.

``critic``: the Pavlovian critic of Houk, Adams & Barto (1995) and Schultz,
Dayan & Montague (1997). Cortex carries a serial compound of the CS onto the
ventral striatum through plastic synapses; ventral striatum reaches the VTA by
a fast excitatory route (net disinhibition through the ventral pallidum) and a
slow inhibitory one (striosomal GABA-B); the reward input excites the VTA with
the same slow kernel; the VTA returns dopamine to the ventral striatum.
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph
from dopasim.params import unknown_name

#: time constant of the slow value inhibition and of the reward input (ms)
SLOW_MS = 100.0
#: fast value excitation (ms): long enough to smooth striatal shot noise
FAST_MS = 20.0


def critic() -> CircuitGraph:
    g = CircuitGraph("critic")
    g.add_region("cortex", "cortex")
    g.add_region("reward", "reward")
    g.add_region("ventral_striatum", "striatum")
    g.add_region("vta", "vta")

    # cortex -> ventral striatum: the plastic corticostriatal synapses that learn value
    g.add_projection("corticostriatal", "cortex", "ventral_striatum", "excitatory",
                     rule="three_factor", weight=0.5, tau_ms=5.0)
    # ventral striatum -> VTA, fast and net excitatory (via ventral pallidum): + V(t)
    g.add_projection("value_fast", "ventral_striatum", "vta", "excitatory", weight=1.0, tau_ms=FAST_MS)
    # ventral striatum -> VTA, slow and inhibitory (striosomes, GABA-B): - V(t - ~100 ms)
    g.add_projection("value_slow", "ventral_striatum", "vta", "inhibitory", weight=1.0, tau_ms=SLOW_MS)
    # reward -> VTA: primary reward excites DA cells, with the slow kernel so a predicted reward cancels
    g.add_projection("reward_drive", "reward", "vta", "excitatory", weight=0.3, tau_ms=SLOW_MS)
    # VTA -> ventral striatum: dopamine release, the third factor
    g.add_projection("mesolimbic", "vta", "ventral_striatum", "dopamine", weight=1.0, tau_ms=20.0)
    return g


PRESETS = {
    "critic": (critic, "Pavlovian critic: cortex (serial compound) -> ventral striatum value -> VTA RPE"),
}


def make_circuit(name: str) -> CircuitGraph:
    if name not in PRESETS:
        raise unknown_name("circuit preset", name, PRESETS)
    return PRESETS[name][0]()
