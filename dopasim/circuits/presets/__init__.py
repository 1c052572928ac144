"""Named circuits, made only from regions and projections.

Each preset is a function that builds a :class:`CircuitGraph` from regions and projections
only, the paper's weights as named constants: ``conditioning`` (``critic``, ``distributional``),
``basal_ganglia`` (``selection``, ``actor_critic``), ``planning`` (``model_based``, ``successor``),
``memory`` (``working_memory``, ``meta_rl``), ``cortex`` (``stdp_network``).
"""

from __future__ import annotations

import inspect

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.presets.basal_ganglia import actor_critic, selection
from dopasim.circuits.presets.conditioning import critic, distributional
from dopasim.circuits.presets.cortex import stdp_network
from dopasim.circuits.presets.memory import meta_rl, working_memory
from dopasim.circuits.presets.planning import model_based, successor
from dopasim.params import ConfigError, unknown_name

PRESETS = {
    "actor_critic": (actor_critic, "basal ganglia actor-critic: cue -> D1/D2 actor learning from SNc, "
                     "ventral striatum critic, VTA RPE (default for choice tasks)"),
    "model_based": (model_based, "actor-critic plus a PFC that plans with a learned transition model, its "
                    "model-based values arbitrated with the model-free actor's (Daw et al. 2005, 2011)"),
    "successor": (successor, "actor-critic plus a hippocampal successor representation, its SR values "
                  "arbitrated with the model-free actor's (Stachenfeld et al. 2017; Russek et al. 2017)"),
    "critic": (critic, "Pavlovian critic: cortex (serial compound) -> ventral striatum value -> VTA RPE"),
    "distributional": (distributional, "critic with value channels, each trained by DA cells of its own "
                       "asymmetry: expectiles of the reward distribution (Dabney et al. 2020)"),
    "selection": (selection, "action selection: D1/D2 striatum, GPe, STN, GPi, thalamus "
                  "(Gurney, Prescott & Redgrave 2001)"),
    "meta_rl": (meta_rl, "actor-critic plus a prefrontal memory of the last action and outcome, read by "
                "slow-learning D1/D2 synapses: learning to learn a bandit (Wang et al. 2018)"),
    "working_memory": (working_memory, "prefrontal item pools with depressing recurrent excitation: "
                       "persistent activity holds the last cued item (Compte et al. 2000)"),
    "stdp_network": (stdp_network, "cortical network with DA-STDP on every excitatory synapse and one chosen "
                     "synapse between two marked cells: the distal reward problem (Izhikevich 2007)"),
}


#: what each preset argument means, and its unit: the reference pages read it (every argument has an entry; tested)
ARGUMENTS = {
    "stimuli": ("", "cues the task shows, one input group of cells each (a maze's states)"),
    "actions": ("", "action channels competing in the basal ganglia"),
    "topology": ("", "channel: stimulus k stands for action k (bandits, probabilistic selection); all: every "
                 "stimulus reaches every action channel (mazes, two-step)"),
    "critic_stimuli": ("", "stimuli the critic tells apart (1: every trial starts from the same state)"),
    "critic_elements": ("", "elements of the cortex's serial compound of each stimulus"),
    "critic_element_ms": ("ms", "duration of one serial-compound element (a maze: one step)"),
    "critic_horizon_s": ("s", "time constant of discounting (Doya 2000): the DA cells see dV/dt - V / horizon; "
                         "None: undiscounted, for trials that each end in their own outcome"),
    "stn_baseline_hz": ("Hz", "the STN's resting drive for the rest task (None: the region's default)"),
    "loop_delay_ms": ("ms", "STN <-> GPe axonal delays (spiking mode), for beta in the rest task"),
    "punishment": ("", "add a punishment input (lateral habenula) that dips the VTA and SNc, for negative "
                   "outcomes"),
    "critic_tag_stages": ("", "stages of the critic's tag cascade before its eligibility trace"),
    "critic_learning_gain": ("", "multiplies the critic's learning rate"),
    "actor_eligibility_ms": ("ms", "eligibility time constant of the actor's cue -> D1/D2 synapses"),
    "actor_forget_s": ("s", "time constant with which the actor's weights decay to their start (0: never)"),
    "actor_learning_gain": ("", "multiplies the actor's default learning rates"),
    "cells_per_channel": ("", "cells of each action channel in the striatum, STN, GPe, GPi and thalamus"),
    "model_based_weight": ("", "share of control given to the goal-directed (dorsomedial) striatum; "
                           "1 - it to the habitual (dorsolateral) (Daw, Niv & Dayan 2005)"),
    "dms_lateral_inhibition": ("", "inhibition between the dorsomedial striatum's channels, which sharpens the "
                               "planner's choice"),
    "working_memory": ("", "add prefrontal item pools that hold each state after its cue ends (memory-guided "
                       "tasks: task.cue_ms)"),
    "channels": ("", "action channels (selection) or value channels, each with its own DA cells "
                 "(distributional)"),
    "asymmetry_spread": ("", "range of the DA channels' asymmetries tau, centred on 0.5 (Dabney et al. 2020)"),
    "memory_share": ("", "start weight of the held-outcome pools onto D1/D2, as a share of a cue's weight"),
    "items": ("", "items (task states) the working memory holds, one pool each"),
    "cells_per_item": ("", "cells of each item pool"),
    "excitatory": ("", "excitatory cells of the cortical network"),
    "inhibitory": ("", "inhibitory cells of the cortical network"),
    "learning_rate": ("", "DA-STDP learning rate of every excitatory synapse"),
}


def make_circuit(name: str, **kwargs) -> CircuitGraph:
    """The circuit preset ``name``, built with the keyword arguments that preset takes.

    Parameters
    ----------
    name : str
        a preset of :data:`PRESETS` (``dopasim list`` shows them).
    **kwargs
        the preset's own arguments (e.g. ``stimuli``, ``actions`` of ``actor_critic``); one it does not
        take is refused, naming those it does.

    Returns
    -------
    CircuitGraph
        a new graph, free to change (``graph.set``, lesions, ``add_region``).

    Examples
    --------
    >>> g = make_circuit("actor_critic", stimuli=3, actions=3)
    >>> g.channels("thalamus")
    3
    """
    if name not in PRESETS:
        raise unknown_name("circuit preset", name, PRESETS)
    build = PRESETS[name][0]
    accepted = inspect.signature(build).parameters
    unknown = sorted(set(kwargs) - set(accepted))
    if unknown:
        raise ConfigError(f"circuit preset {name!r} takes no {', '.join(unknown)}; it takes: "
                          f"{', '.join(accepted) or 'no arguments'}")
    return build(**kwargs)


def shaped_circuit(name: str, shape: dict) -> CircuitGraph:
    """The preset ``name`` shaped to a task: of the task's ``shape`` (stimuli, actions, topology ...), the
    preset gets what it takes; a preset with no such argument keeps its own shape (the task then checks it)."""
    if name not in PRESETS:
        raise unknown_name("circuit preset", name, PRESETS)
    accepted = inspect.signature(PRESETS[name][0]).parameters
    return make_circuit(name, **{k: v for k, v in shape.items() if k in accepted})
