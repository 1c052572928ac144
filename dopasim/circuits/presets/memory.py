"""Prefrontal memory: item pools that hold the last cue (Compte et al. 2000), and the meta-RL actor that
reads a memory of the last action and outcome (Wang et al. 2018).
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.presets.basal_ganglia import CELLS_PER_CHANNEL, CUE_RATE_HZ, actor_critic


#: working memory: a pool's recurrent gain and the use and recovery of its synapses' resources (with the
#: region's 12 Hz threshold: steady rates 8 Hz, unstable, and 30 Hz, held); the reset's share of a cue
MEMORY_RECURRENT_GAIN = 3.5
MEMORY_DEPRESSION = 0.5
MEMORY_RECOVERY_MS = 100.0
MEMORY_RESET = 0.5


def working_memory(items: int = 3, cells_per_item: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """Prefrontal working memory for ``items`` task states (see :mod:`dopasim.circuits.regions.working_memory`).

    The cue (one channel per item, ``salience`` signal) drives its item's pool
    and, through feed-forward inhibition (cortical interneurons), every pool:
    while a cue is on, a pool it does not name is pushed below its threshold,
    so the new item replaces the held one (a cue drives its own pool by 50 Hz
    and all of them down by ``MEMORY_RESET`` x 50 Hz x its share of the cue's
    cells). Each pool excites itself through slow depressing synapses
    (``memory_recurrent``, tau 50 ms, NMDA-like: Wang 1999) and holds its item
    once the cue is gone; cutting them leaves activity that ends with the cue.
    """
    g = CircuitGraph("working_memory")
    g.add_region("cue", "salience", channels=items, peak_rate_hz=CUE_RATE_HZ)
    add_working_memory(g, cells_per_item)
    return g


def add_working_memory(g: CircuitGraph, cells_per_item: int, source: str = "cue") -> None:
    """The item pools ``pfc_memory`` of :func:`working_memory`, one per channel of the ``source`` region,
    which drives them through ``{source}_memory`` and resets them through ``{source}_reset``."""
    items = g.channels(source)
    g.add_region("pfc_memory", "working_memory", size=items * cells_per_item, channels=items)
    g.add_projection(f"{source}_memory", source, "pfc_memory", "excitatory", weight=1.0, topology="channel")
    g.add_projection(f"{source}_reset", source, "pfc_memory", "inhibitory", weight=MEMORY_RESET * items)
    g.add_projection("memory_recurrent", "pfc_memory", "pfc_memory", "excitatory", weight=MEMORY_RECURRENT_GAIN,
                     topology="channel", tau_ms=50.0, depression=MEMORY_DEPRESSION, recovery_ms=MEMORY_RECOVERY_MS)


#: meta-RL: the actor's slow weights learn at this fraction of the bandit's rate, so one episode hardly moves
#: them; the held outcome's synapses onto the striatum start at this share of a cue's
META_SLOW_LEARNING = 0.2
META_MEMORY_SHARE = 0.5
#: the cue's weights relax to their start in this time (as two_step's actor), so no arm is locked in across
#: episodes; the memory's weights keep what they learn
META_CUE_FORGET_S = 20.0


def meta_rl(stimuli: int = 2, actions: int = 2, topology: str = "channel", critic_stimuli: int = 1,
            actor_learning_gain: float = META_SLOW_LEARNING, memory_share: float = META_MEMORY_SHARE,
            actor_forget_s: float = META_CUE_FORGET_S, cells_per_channel: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """The actor-critic with a prefrontal memory of the last action and outcome, read by a slow-learning actor.

    Meta-reinforcement learning after Wang et al. (2018): dopamine trains slow
    weights across many episodes so that activity alone adapts within one. The
    ``feedback`` input (channel 2a + r: action a, rewarded or not) sets one
    item pool of the PFC's working memory (:func:`working_memory`) at each
    outcome, which holds it into the next trial. Each pool reaches the D1 and
    D2 cells of every action channel through plastic synapses trained by SNc
    dopamine like the cue's (``memory_d1``, ``memory_d2``; three-factor, pre x
    post tag), all starting at ``memory_share`` of a cue's weight: across
    episodes they learn which action pays after which held outcome. The
    actor learns ``actor_learning_gain`` times as fast as in a plain bandit,
    so its cue weights follow a new episode only slowly. Unlike Wang et al.'s
    network, the memory's recurrent weights are fixed, not trained: it can
    learn what to do given the last outcome (win-stay, lose-shift, or any
    other map from it), not what to remember.
    """
    g = actor_critic(stimuli, actions, topology, critic_stimuli, actor_learning_gain=actor_learning_gain,
                     actor_forget_s=actor_forget_s, cells_per_channel=cells_per_channel)
    g.name = "meta_rl"
    items = 2 * actions
    g.add_region("feedback", "feedback", channels=items, peak_rate_hz=CUE_RATE_HZ)
    add_working_memory(g, CELLS_PER_CHANNEL, source="feedback")
    for d in ("d1", "d2"):
        cue = dict(g.projection(f"cue_{d}")["params"])
        # diffuse: every held outcome reaches every action channel (weights x items: one pool drives as one cue)
        cue.update(weight=cue["weight"] * memory_share * items, w_max=cue["w_max"] * items,
                   learning_rate=cue["learning_rate"] * items, topology="all", forget_s=0.0)
        g.add_projection(f"memory_{d}", "pfc_memory", f"striatum_{d}", "excitatory", rule="three_factor", **cue)
    return g
