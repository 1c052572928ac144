"""A cortical network with dopamine-modulated STDP (Izhikevich 2007), for the distal reward problem.

Excitatory and inhibitory cortical cells connected at random (p 0.1 from
excitatory cells, 0.125 from inhibitory ones), every excitatory synapse
plastic by ``da_stdp``; dopamine cells that burst when a reward input drives
them, and reach every plastic synapse. Two one-cell regions, ``presynaptic``
and ``postsynaptic``, are part of the network (they receive from it as any of
its cells do) and are joined by the ``chosen`` synapse, the one whose pairing
the distal reward task rewards.

The chosen projection has one synapse where a recurrent cell has about ``p x
excitatory`` inputs, each of whose drive is divided by that number: its weight,
bound and learning rate are divided by it too, so ``w / w_max`` of the chosen
synapse moves by the same law as any other's and the two compare directly.
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph

#: connection probabilities from excitatory and from inhibitory cells (Izhikevich 2007)
P_FROM_EXCITATORY, P_FROM_INHIBITORY = 0.1, 0.125
#: tonic drives (Hz of rate equivalent): with the membrane noise, spontaneous firing of about 1.5-2 Hz
EXCITATORY_BASELINE_HZ, INHIBITORY_BASELINE_HZ = 0.0, 0.0
#: weights (Hz of drive per Hz of mean presynaptic rate) and the plastic ones' bound
W_RECURRENT, W_TO_INHIBITORY, W_INHIBITION, W_MAX = 0.5, 0.5, 0.5, 2.0
#: DA-STDP: pair window and eligibility as Izhikevich (2007); weight change per unit eligibility per Hz of
#: dopamine above tonic per second
A_PLUS, A_MINUS, TAU_STDP_MS, ELIGIBILITY_MS, LEARNING_RATE = 1.0, 1.5, 20.0, 1000.0, 0.05
TAU_SYNAPSE_MS = 5.0
#: dopamine cells, their tonic rate, the reward input's drive of them, and the time over which released
#: dopamine is cleared (Izhikevich 2007: 200 ms)
DOPAMINE_CELLS, DOPAMINE_TONIC_HZ, REWARD_TO_DOPAMINE, DOPAMINE_CLEARANCE_MS = 50, 5.0, 0.4, 200.0


def stdp_network(excitatory: int = 200, inhibitory: int = 50, learning_rate: float = LEARNING_RATE) -> CircuitGraph:
    """Izhikevich (2007)'s network at ``excitatory`` + ``inhibitory`` cells, with a chosen synapse marked.

    See the module's docstring; the reward input (``reward`` signal) drives the dopamine cells.
    """
    g = CircuitGraph("stdp_network")
    g.add_region("excitatory", "cortical_population", size=excitatory, baseline_hz=EXCITATORY_BASELINE_HZ)
    g.add_region("inhibitory", "cortical_population", size=inhibitory, baseline_hz=INHIBITORY_BASELINE_HZ)
    for cell in ("presynaptic", "postsynaptic"):
        g.add_region(cell, "cortical_population", size=1, baseline_hz=EXCITATORY_BASELINE_HZ)
    g.add_region("reward", "reward")
    g.add_region("vta", "vta", size=DOPAMINE_CELLS, baseline_hz=DOPAMINE_TONIC_HZ)
    stdp = dict(rule="da_stdp", w_max=W_MAX, w_init_spread=0.0, learning_rate=learning_rate, a_plus=A_PLUS,
                a_minus=A_MINUS, tau_plus_ms=TAU_STDP_MS, tau_minus_ms=TAU_STDP_MS, eligibility_ms=ELIGIBILITY_MS,
                tau_ms=TAU_SYNAPSE_MS)
    g.add_projection("recurrent", "excitatory", "excitatory", "excitatory", weight=W_RECURRENT,
                     p=P_FROM_EXCITATORY, **stdp)
    g.add_projection("to_interneurons", "excitatory", "inhibitory", "excitatory", weight=W_TO_INHIBITORY,
                     p=P_FROM_EXCITATORY, **stdp)
    g.add_projection("feedback_inhibition", "inhibitory", "excitatory", "inhibitory", weight=W_INHIBITION,
                     p=P_FROM_INHIBITORY, tau_ms=TAU_SYNAPSE_MS)
    for cell in ("presynaptic", "postsynaptic"):
        g.add_projection(f"to_{cell}", "excitatory", cell, "excitatory", weight=W_RECURRENT,
                         p=P_FROM_EXCITATORY, **stdp)
        g.add_projection(f"inhibition_{cell}", "inhibitory", cell, "inhibitory", weight=W_INHIBITION,
                         p=P_FROM_INHIBITORY, tau_ms=TAU_SYNAPSE_MS)
    inputs = P_FROM_EXCITATORY * excitatory
    g.add_projection("chosen", "presynaptic", "postsynaptic", "excitatory",
                     **{**stdp, "weight": W_RECURRENT / inputs, "w_max": W_MAX / inputs,
                        "learning_rate": learning_rate / inputs})
    g.add_projection("reward_dopamine", "reward", "vta", "excitatory", weight=REWARD_TO_DOPAMINE)
    for target in ("excitatory", "inhibitory", "presynaptic", "postsynaptic"):
        g.add_projection(f"dopamine_{target}", "vta", target, "dopamine", tau_ms=DOPAMINE_CLEARANCE_MS)
    return g
