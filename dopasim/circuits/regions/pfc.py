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

#: what a sensing cell knows of the task at every step (set by :func:`senses`; it does not fire for it)
SENSED = "present : 1\nexperienced : 1\nobserved : 1\nonset : 1\nrewarded : 1\n"


def pfc_outcome(n: int, params: dict, cell: str = "i") -> str:
    """The outcome (0 .. outcomes - 1) a PFC (or hippocampus) cell stands for, as an expression of its index."""
    per_outcome = n // (params["channels"] * params["outcomes"])
    return f"(({cell} // {per_outcome}) % {params['outcomes']})"


def senses(reader, params: dict, n: int) -> str:
    """The PFC's (or hippocampus') reading of the task: which outcome is present (a column per outcome), how
    long since the move.

    Returns the code, run at the start of every step, that sets each cell's
    ``present``, ``experienced`` (present, and a state rather than the
    reward), ``onset`` (1 within ``onset_ms`` of a move), ``observed``
    (present and onset) and ``rewarded`` (a reward delivered, and onset);
    ``reader`` (:class:`dopasim.circuits.signals.SignalReader`) reads the
    task's signals ``present`` and ``moved``.
    """
    present, moved = reader.signal("present"), reader.signal("moved")
    outcome = pfc_outcome(n, params)
    now, since, reward_now = present(outcome), moved(), present(params["outcomes"] - 1)
    return reader.code() + (
        f"present = {now}\nexperienced = present * int({outcome} < {params['outcomes'] - 1})\n"
        f"onset = int({since} < {params['onset_ms'] / 1000!r})\nobserved = present * onset\n"
        f"rewarded = {reward_now} * onset")


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
    sensed_variables=SENSED,
    senses=senses,
)
