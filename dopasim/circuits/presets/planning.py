"""Goal-directed control beside the habit: a PFC that plans with a learned model (Daw et al. 2005, 2011) and
a hippocampal successor representation (Stachenfeld et al. 2017; Russek et al. 2017).
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.presets.basal_ganglia import (ACTOR_ELIGIBILITY_MS, ACTOR_WEIGHT_D1, CELLS_PER_CHANNEL,
                                                   CRITIC_ELEMENTS, STRIATAL_NOISE_HZ, STRIATUM_THRESHOLD_HZ,
                                                   W_DIRECT_ACTOR, actor_critic)
from dopasim.circuits.presets.memory import add_working_memory


#: the PFC's cells per (action, outcome), and the drive of a predicted probability of 1 per Hz of cue rate
PFC_CELLS = 10
PROSPECTIVE_GAIN = 0.5
#: the dorsomedial striatum's value weights change G times as fast as the critic's, from G times its start,
#: so they are G times the critic's value of each outcome: G sets how far apart two actions' values drive it
GOAL_VALUE_GAIN = 10.0
DMS_LATERAL_INHIBITION = 3.0
CUE_DMS = 2 * ACTOR_WEIGHT_D1
#: the critic's weight for a state whose reward (of 1) is certain, measured: the worth of the PFC's reward outcome
REWARD_WORTH = 1.0


def model_based(stimuli: int = 2, actions: int = 2, topology: str = "channel", critic_stimuli: int = 1,
                critic_elements: int = CRITIC_ELEMENTS, critic_element_ms: float = 100.0,
                critic_horizon_s: float | None = None, critic_tag_stages: int = 2,
                critic_learning_gain: float = 1.0,
                actor_eligibility_ms: float = ACTOR_ELIGIBILITY_MS, actor_forget_s: float = 0.0,
                actor_learning_gain: float = 1.0, model_based_weight: float = 0.5,
                dms_lateral_inhibition: float = DMS_LATERAL_INHIBITION,
                cells_per_channel: int = CELLS_PER_CHANNEL, working_memory: bool = False) -> CircuitGraph:
    """The actor-critic with a PFC that plans: model-based and model-free control, arbitrated.

    Habitual (model-free) control is the actor-critic's dorsolateral striatum:
    cached action values in cue -> D1/D2 weights (see :func:`actor_critic`).
    Goal-directed (model-based) control adds the PFC (see
    :mod:`dopasim.circuits.regions.pfc`): while a state's cue is on, cell (a, o)
    fires with the learned probability that action a leads to outcome o
    (``transition_model``, the state prediction error rule of Glascher et al.
    2010), and drives the dorsomedial striatum's channel a through weights that
    learned each outcome's value from dopamine when it was present
    (``prospective_value``): channel a's drive is then sum_o T(s, a, o) V(o),
    the model-based value of a (Daw et al. 2011). The reward is one of the
    outcomes, so the last step before it is valued by the learned reward
    probability. Both striata inhibit the GPi: the dorsomedial by
    ``model_based_weight`` of the direct pathway's weight, the dorsolateral's
    direct and indirect pathways by 1 - it (Daw, Niv & Dayan 2005; the
    dorsomedial/dorsolateral split of goal-directed and habitual control:
    Yin & Knowlton 2006).

    With ``working_memory`` (a task whose cue is brief asks for it), the item
    pools of :func:`working_memory` hold the state after its cue is gone, until
    the next state's cue replaces it, and the goal-directed side reads it from
    them with the cue's weights: the PFC's transition model, the dorsomedial
    striatum's drive and the hyperdirect hold (a held pool fires at about the
    cue's rate, 47 Hz in the 200 ms after a 100 ms cue). The dorsolateral
    (habitual) striatum still sees only the cue.
    """
    g, scale, outcomes = _with_planner(
        "model_based", "pfc", model_based_weight, stimuli, actions, topology, critic_stimuli, critic_elements,
        critic_element_ms, critic_horizon_s, critic_tag_stages=critic_tag_stages,
        critic_learning_gain=critic_learning_gain, actor_eligibility_ms=actor_eligibility_ms,
        actor_forget_s=actor_forget_s, actor_learning_gain=actor_learning_gain,
        cells_per_channel=cells_per_channel)
    state = "cue"
    if working_memory:
        add_working_memory(g, cells_per_channel)
        state = "pfc_memory"
        g.reroute("hyperdirect", state)
    # an uninformed model to start with: every outcome equally likely after every action
    g.add_projection("transition_model", state, "pfc", "excitatory", rule="state_prediction", weight=1 / outcomes,
                     gain=PROSPECTIVE_GAIN * scale, topology="all")
    critic = g.projection("corticostriatal")["params"]
    _goal_directed_striatum(g, "pfc", actions, scale, topology, dms_lateral_inhibition, state)
    g.add_projection("prospective_value", "pfc", "dms", "excitatory", rule="three_factor", pre="experienced",
                     topology="channel", weight=GOAL_VALUE_GAIN * critic["weight"],
                     reward_outcome_weight=GOAL_VALUE_GAIN * REWARD_WORTH,
                     learning_rate=GOAL_VALUE_GAIN * critic["learning_rate"],
                     eligibility_ms=critic["eligibility_ms"], tag_ms=critic["tag_ms"],
                     tag_stages=critic["tag_stages"],
                     w_max=GOAL_VALUE_GAIN * critic["w_max"], w_init_spread=0.0)
    g.add_projection("nigrostriatal_dms", "snc", "dms", "dopamine", weight=1.0, tau_ms=20.0)
    return g


def _with_planner(name: str, planner: str, model_based_weight: float, stimuli: int, actions: int, topology: str,
                  *args, **kwargs) -> tuple[CircuitGraph, int, int]:
    """The actor-critic (``args``, ``kwargs``: its shape) named ``name``, with a ``planner`` region (a PFC or
    hippocampus: one cell group per action channel and outcome, each state and then the reward).

    Returns the graph, the cue weights' scale and the number of outcomes.
    """
    g = actor_critic(stimuli, actions, topology, *args, **kwargs)
    g.name = name
    outcomes = stimuli + 1
    g.add_region(planner, planner, size=actions * outcomes * PFC_CELLS, channels=actions, outcomes=outcomes,
                 model_based_weight=model_based_weight)
    return g, stimuli if topology == "all" else 1, outcomes


def _goal_directed_striatum(g: CircuitGraph, planner: str, actions: int, scale: int, topology: str,
                            lateral_inhibition: float, state: str = "cue") -> None:
    """The dorsomedial striatum of goal-directed control, its drive from the ``state`` region (the cue, or
    the working memory that holds it), and the arbitration.

    The ``planner`` (PFC or hippocampus) hears the efference copy, which lifts the chosen action's cells;
    the caller adds the planner's value projection into the DMS.
    """
    # the efference copy lifts the chosen action's cells, so only its predictions are updated
    g.add_projection(f"motor_{planner}", "motor", planner, "excitatory", weight=1.0, topology="channel")
    # as many cells per channel as the dorsolateral striatum
    g.add_region("dms", "striatum", size=g.region("striatum_d1")["params"]["size"], channels=actions,
                 baseline_hz=STRIATUM_THRESHOLD_HZ, noise_hz=STRIATAL_NOISE_HZ)
    # the cue drives it as it first drives the dorsolateral D1 cells, so the two share the pallidum evenly
    g.add_projection("cue_dms", state, "dms", "excitatory", weight=CUE_DMS * scale, topology=topology)
    # lateral inhibition among its channels (collaterals and fast-spiking interneurons: Tepper et al. 2004):
    # what all actions' values share is damped by 1 + weight, what sets them apart passes
    g.add_projection("dms_lateral", "dms", "dms", "inhibitory", weight=lateral_inhibition)
    g.add_projection("direct_dms", "dms", "gpi", "inhibitory", weight=W_DIRECT_ACTOR, topology="channel",
                     control="goal_directed")
    for projection in ("direct", "indirect"):
        g.set(f"{projection}.control", "habitual")


#: the hippocampus' successor trace, about two steps of an episodic task (a discount of 0.6 per 800 ms step)
SUCCESSOR_TRACE_MS = 1600.0
#: the worth of a reward certain to follow a state, in the SR readout's weights (the PFC's reward outcome's)
SR_REWARD_WORTH = GOAL_VALUE_GAIN * REWARD_WORTH


def successor(stimuli: int = 2, actions: int = 2, topology: str = "channel", critic_stimuli: int = 1,
              critic_elements: int = CRITIC_ELEMENTS, critic_element_ms: float = 100.0,
              critic_horizon_s: float | None = None, critic_tag_stages: int = 2,
              critic_learning_gain: float = 1.0,
              actor_eligibility_ms: float = ACTOR_ELIGIBILITY_MS, actor_forget_s: float = 0.0,
              actor_learning_gain: float = 1.0, model_based_weight: float = 0.5,
              dms_lateral_inhibition: float = DMS_LATERAL_INHIBITION,
              cells_per_channel: int = CELLS_PER_CHANNEL) -> CircuitGraph:
    """The actor-critic with a hippocampal successor representation: SR and model-free control, arbitrated.

    As :func:`model_based`, with the hippocampus in the PFC's place (see
    :mod:`dopasim.circuits.regions.hippocampus`): while a state's cue is on,
    cell (a, x) fires with the learned discounted occupancy of state x after
    action a (``successor_map``: the state prediction rule with a trace of
    about two steps), and drives the dorsomedial striatum's channel a through
    weights that learned the immediate reward of leaving x
    (``reward_model``): channel a's drive is sum_x M(s, a, x) R(x), the SR
    value of a (Stachenfeld et al. 2017; Russek et al. 2017). The dorsomedial
    striatum inhibits the GPi by ``model_based_weight`` of the direct pathway's
    weight, the dorsolateral by 1 - it.
    """
    g, scale, outcomes = _with_planner(
        "successor", "hippocampus", model_based_weight, stimuli, actions, topology, critic_stimuli,
        critic_elements, critic_element_ms, critic_horizon_s, critic_tag_stages=critic_tag_stages,
        critic_learning_gain=critic_learning_gain, actor_eligibility_ms=actor_eligibility_ms,
        actor_forget_s=actor_forget_s, actor_learning_gain=actor_learning_gain,
        cells_per_channel=cells_per_channel)
    # no occupancy to start with: the SR is learned from experience
    g.add_projection("successor_map", "cue", "hippocampus", "excitatory", rule="state_prediction", weight=0.0,
                     gain=PROSPECTIVE_GAIN * scale, eligibility_ms=SUCCESSOR_TRACE_MS, topology="all")
    _goal_directed_striatum(g, "hippocampus", actions, scale, topology, dms_lateral_inhibition)
    g.add_projection("reward_model", "hippocampus", "dms", "excitatory", rule="reward_prediction", weight=0.0,
                     topology="channel", w_max=SR_REWARD_WORTH)
    return g
