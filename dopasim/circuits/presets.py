"""Named circuits, made only from regions and projections.

``selection``: the action-selection circuit of Gurney, Prescott & Redgrave
(2001), weights and thresholds as published (rates of 1 model unit = 100 Hz).
Each competing action is a channel. Salience drives D1 and D2 striatum and STN
channel by channel. D1 inhibits its GPi channel (direct pathway), D2 its GPe
channel (indirect). STN excites all GPe and GPi channels (diffuse). GPe
inhibits its STN and GPi channels. The channel whose GPi falls silent releases
its thalamus: that is the action.

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


#: Gurney, Prescott & Redgrave (2001): weights of the selection circuit
W_STN_DIFFUSE = 0.9  # wp: STN -> GPe, GPi, summed over channels
W_GPE_GPI = 0.3  # we
DA_GAIN = 0.2  # lambda: tonic dopamine raises D1 (1 + lambda) and lowers D2 (1 - lambda) input gain
#: thresholds epsilon as baseline drive at 100 Hz per model unit: striatum 0.2, STN -0.25, GPe/GPi -0.2
STRIATUM_THRESHOLD_HZ = -20.0
#: GPi -> thalamus: tonic GPi output (~17 Hz at rest) holds the thalamus (30 Hz tonic drive) near 5 Hz
W_NIGROTHALAMIC = 1.5
CELLS_PER_CHANNEL = 20


def selection(channels: int = 3) -> CircuitGraph:
    g = CircuitGraph("selection")
    n = CELLS_PER_CHANNEL * channels
    g.add_region("salience", "salience", channels=channels)
    g.add_region("striatum_d1", "striatum", size=n, channels=channels, baseline_hz=STRIATUM_THRESHOLD_HZ)
    g.add_region("striatum_d2", "striatum", size=n, channels=channels, baseline_hz=STRIATUM_THRESHOLD_HZ)
    for region in ("stn", "gpe", "gpi", "thalamus"):
        g.add_region(region, region, size=n, channels=channels)

    # cortex -> striatum, focused; tonic dopamine tilts the gain towards D1
    g.add_projection("cortex_d1", "salience", "striatum_d1", "excitatory", weight=1 + DA_GAIN, topology="channel")
    g.add_projection("cortex_d2", "salience", "striatum_d2", "excitatory", weight=1 - DA_GAIN, topology="channel")
    # cortex -> STN, focused: the hyperdirect pathway
    g.add_projection("hyperdirect", "salience", "stn", "excitatory", weight=1.0, topology="channel")
    # D1 striatum -| GPi, focused: the direct (selection) pathway
    g.add_projection("direct", "striatum_d1", "gpi", "inhibitory", weight=1.0, topology="channel")
    # D2 striatum -| GPe, focused: the indirect (control) pathway
    g.add_projection("indirect", "striatum_d2", "gpe", "inhibitory", weight=1.0, topology="channel")
    # STN -> GPe and GPi, diffuse: each channel sums every STN channel (mean rate x channels)
    g.add_projection("stn_gpe", "stn", "gpe", "excitatory", weight=W_STN_DIFFUSE * channels)
    g.add_projection("stn_gpi", "stn", "gpi", "excitatory", weight=W_STN_DIFFUSE * channels)
    # GPe -| STN and GPe -| GPi, focused
    g.add_projection("gpe_stn", "gpe", "stn", "inhibitory", weight=1.0, topology="channel")
    g.add_projection("gpe_gpi", "gpe", "gpi", "inhibitory", weight=W_GPE_GPI, topology="channel")
    # GPi -| thalamus, focused: tonic inhibition, released for the selected channel
    g.add_projection("nigrothalamic", "gpi", "thalamus", "inhibitory", weight=W_NIGROTHALAMIC, topology="channel")
    return g


PRESETS = {
    "critic": (critic, "Pavlovian critic: cortex (serial compound) -> ventral striatum value -> VTA RPE"),
    "selection": (selection, "action selection: D1/D2 striatum, GPe, STN, GPi, thalamus "
                  "(Gurney, Prescott & Redgrave 2001)"),
}


def make_circuit(name: str) -> CircuitGraph:
    if name not in PRESETS:
        raise unknown_name("circuit preset", name, PRESETS)
    return PRESETS[name][0]()
