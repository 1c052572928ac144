"""Hippocampus: a successor representation of states, read out as predictive activity.

The successor representation (SR; Dayan 1993; Stachenfeld, Botvinick &
Gershman 2017) of a state and action is the discounted occupancy of the
states that follow. The cells are grouped as the PFC's are, by action
channel and, within a channel, by ``outcomes`` (each task state, then the
reward). Cell (a, x) fires, while state s's cue is on, with the learned
occupancy M(s, a, x): its drive comes from the cue through the plastic
``successor_map`` projection. That projection learns by the PFC's
``state_prediction`` rule, but with an eligibility trace that outlasts the
step (``eligibility_ms`` about two steps). A tagged weight then moves towards
every outcome observed while its trace lasts, each by the trace's size at the
time. It settles at the discounted, normalised occupancy of x after (s, a):
a Monte Carlo SR, with a discount per step of exp(-step / eligibility).

The striatum reads it out through ``reward_prediction`` synapses. Each weight
is the learned immediate reward of leaving its state. Channel a's drive is
then sum_x M(s, a, x) R(x), the SR value of a (Russek et al. 2017). A new
reward is felt at once wherever the SR leads to it. A new transition is felt
only where it was experienced (Momennejad et al. 2017).

As the PFC, it senses the task's ``present`` outcome and ``moved`` time, and
the premotor efference copy lifts the chosen channel above the
``state_prediction`` rule's threshold. ``model_based_weight`` is the
arbitration, as in the PFC: the share of the pallidum's striatal input carried
by the SR-driven (``goal_directed``) pathway.
"""

from dataclasses import replace

from dopasim.circuits.regions import RegionType
from dopasim.circuits.regions.pfc import REGION as PFC

REGION = RegionType(
    name="hippocampus",
    kind="hippocampus",
    summary="predictive cells: a learned successor representation of states (SR), and the SR/MF arbitration",
    params={**PFC.params,
            "model_based_weight": replace(PFC.params["model_based_weight"],
                                          help="share of the SR-driven (goal_directed) pathway in the "
                                               "pallidum's striatal input; 1 - it goes to the habitual one")},
    sensed_variables=PFC.sensed_variables,
    senses=PFC.senses,
)
