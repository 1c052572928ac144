"""Prefrontal cortex: a learned model of where each action leads, read out as prospective activity.

The PFC of model-based control (Daw, Niv & Dayan 2005; Daw et al. 2011;
Glascher et al. 2010). Its cells are grouped by action channel and, within a
channel, by ``outcomes``: each state of the task, then the reward. Cell (a, o)
fires prospectively, while the current state's cue is on: it is driven from
the cue through the plastic ``transition_model`` projection, whose weight from
state s is the learned probability that action a in s leads to outcome o (rule
``state_prediction``), so every action's likely outcomes are active at once,
each in its own channel. When the task shows its cue only briefly, the
``model_based`` circuit drives these cells from the item pools of
:mod:`dopasim.circuits.regions.working_memory` instead, which hold the state
after its cue has gone.

Each cell also senses (without firing for it) whether its outcome is present:
the state the circuit is in, for the whole step, or the reward just delivered.
The ``state_prediction`` rule compares its predictions with what is present
within ``onset_ms`` of each move (the state prediction error of Glascher et
al. 2010). A state's presence, counted as ``present_hz``, tags the
``pre="experienced"`` value synapses of the PFC's targets, so they learn the
value of an outcome when it is experienced, not when it is imagined.

The premotor efference copy lifts the chosen channel's cells above the
``state_prediction`` rule's threshold, so only the action taken updates its
predictions. ``model_based_weight`` is the arbitration (Daw et al. 2005): the
share of the pallidum's striatal input carried by the goal-directed pathway
(projections with ``control="goal_directed"``, the PFC-driven dorsomedial
striatum) against the habitual one (``control="habitual"``, the cue-driven
dorsolateral striatum); 0 is purely habitual (model-free), 1 purely
goal-directed (model-based).

The task supplies the signal ``present`` (a column per outcome: 1 while it is
present) and ``moved`` (seconds since the last move).
"""

from dopasim.circuits.regions import RegionType, population_params
from dopasim.params import Param

REGION = RegionType(
    name="pfc",
    kind="cortex",
    summary="prospective outcome cells: a learned transition and reward model, and the MB/MF arbitration",
    params={
        **population_params(size=8, tau_ms=20.0, baseline_hz=0.0),
        "outcomes": Param(4, "outcomes each action channel predicts: the task's states, then the reward",
                          low=1, high=1000),
        "present_hz": Param(20.0, "rate a present state counts as in the tags of value synapses "
                            "(pre='experienced')", low=0.0, high=500.0, unit="Hz"),
        "onset_ms": Param(150.0, "window after a move in which the outcome is compared with the prediction",
                          low=1.0, high=10_000.0, unit="ms"),
        "model_based_weight": Param(0.5, "share of the goal-directed (model-based) pathway in the pallidum's "
                                    "striatal input; 1 - it goes to the habitual (model-free) one",
                                    low=0.0, high=1.0),
    },
    signal="present",
)
