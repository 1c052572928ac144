"""Pavlovian critics: the critic of the RPE, and its distributional form.

``critic``: the Pavlovian critic of Houk, Adams & Barto (1995) and Schultz,
Dayan & Montague (1997). Cortex carries a serial compound of the CS onto the
ventral striatum through plastic synapses; ventral striatum reaches the VTA by
a fast excitatory route (net disinhibition through the ventral pallidum) and a
slow inhibitory one (striosomal GABA-B); the reward input excites the VTA with
the same slow kernel; the VTA returns dopamine to the ventral striatum.
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph


#: time constant of the slow value inhibition and of the reward input (ms)
SLOW_MS = 100.0
#: fast value excitation (ms): long enough to smooth striatal shot noise
FAST_MS = 20.0


def critic(stimuli: int = 1) -> CircuitGraph:
    """The Pavlovian critic; ``stimuli``: cues with a serial compound each (a protocol's cues)."""
    g = CircuitGraph("critic")
    g.add_region("cortex", "cortex", stimuli=stimuli)
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


#: distributional critic: value channels, each with DA cells of its own asymmetry (tau from 0.1 to 0.9)
VALUE_CHANNELS = 20
ASYMMETRY_SPREAD = 0.8
#: DA cells per value channel: a channel's response is read from their mean rate
DA_CELLS_PER_CHANNEL = 20
#: value cells' spikes per Hz of value drive a DA cell receives (the critic's: 1)
VALUE_SPIKES_PER_HZ = 3.0
#: the distributional critic's fast value route (ms; the critic's: FAST_MS)
DISTRIBUTIONAL_FAST_MS = 60.0


def distributional(channels: int = VALUE_CHANNELS, asymmetry_spread: float = ASYMMETRY_SPREAD) -> CircuitGraph:
    """The critic split into ``channels`` value channels, each paired with its own DA cells.

    Every channel's ventral striatal cells learn the cue's value from all of the
    cortex, but only from their own channel's dopamine, and send value back only
    to it; the DA cells of channel c scale positive errors by ``2 tau_c`` and
    negative ones by ``2 (1 - tau_c)`` (see :mod:`dopasim.circuits.regions.vta`).
    So channel c learns the ``tau_c``-expectile of the reward: the population
    codes the reward's distribution (Dabney et al. 2020; Rowland et al. 2019).

    A sign-dependent gain turns zero-mean input noise into drive: noise of
    s.d. ``s`` adds ``(g+ - g-) s / sqrt(2 pi)`` to a cell's mean net input,
    which pushes optimistic values up and pessimistic ones down, and more
    value means more noise (spiking mode; measured in the README,
    ``variable_magnitude``). So value reaches the DA cells on more spikes
    (``VALUE_SPIKES_PER_HZ``: the value cells' weight onto the DA cells is a
    third, the corticostriatal weights, their bound and learning rate three
    times, so a trial teaches the same value and the value cells fire three
    times as fast, faster than real MSNs) and through a slower fast route
    (``DISTRIBUTIONAL_FAST_MS``: its difference from the slow route passes
    less of that noise), and each channel has ``DA_CELLS_PER_CHANNEL`` DA
    cells. In rate mode, which has no such noise, the scaling changes
    nothing; the slower fast route leaves the values a little low (README).
    """
    g = critic()
    g.name = "distributional"
    for region in ("ventral_striatum", "vta"):
        g.set(f"{region}.channels", channels)
    g.set("vta.size", channels * DA_CELLS_PER_CHANNEL)
    g.set("vta.asymmetry_spread", asymmetry_spread)
    for projection in ("value_fast", "value_slow", "mesolimbic"):
        g.set(f"{projection}.topology", "channel")
    # the critic's value on VALUE_SPIKES_PER_HZ times the spikes, learned as fast
    for projection in ("value_fast", "value_slow"):
        g.set(f"{projection}.weight", g.projection(projection)["params"]["weight"] / VALUE_SPIKES_PER_HZ)
    for param in ("weight", "learning_rate", "w_max"):
        g.set(f"corticostriatal.{param}", g.projection("corticostriatal")["params"][param] * VALUE_SPIKES_PER_HZ)
    g.set("value_fast.tau_ms", DISTRIBUTIONAL_FAST_MS)
    return g
