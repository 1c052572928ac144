"""Three-factor plasticity: eligibility trace x dopamine deviation from tonic.

Presynaptic (or pre x post) activity sets a synaptic tag that matures through a
two-stage cascade into an eligibility trace; the weight then changes by
``learning_rate * eligibility * (dopamine - tonic)``. The cascade makes the
trace peak a few hundred ms after the activity that set it, as measured for
dopamine's action on spine enlargement (Yagishita et al. 2014), so a dopamine
transient is credited to the inputs active *before* it: the continuous-time
form of TD's update of the previous state (Montague, Dayan & Sejnowski 1996;
Izhikevich 2007; Fremaux & Gerstner 2016). Weights are clipped to [0, w_max]
at every update, so they stay in bounds by construction.

``post="none"`` uses presynaptic activity alone: the TD gradient for a value
that is a weighted sum of inputs (the critic). ``post="rate"`` multiplies by
the postsynaptic rate above ``post_threshold_hz``, over ``post_ref_hz``: a
Hebbian tag for the actor, set only in cells driven strongly, as
corticostriatal plasticity needs the MSN's up-state (Reynolds & Wickens 2002).
Because the rate grows with the weight, the update is multiplicative, as in
the opponent actor learning model of Collins & Frank (2014).

``state_prediction`` is the PFC's transition model: the same tag (pre x post,
all or none above the threshold), and no dopamine: within a window after each
move, a tagged weight moves towards 1 if its outcome was observed and towards
0 if not, so it learns the probability of that outcome (the state prediction
error of Glascher, Daw, Dayan & O'Doherty 2010). With a trace that outlasts
the step, it learns the discounted occupancy of every later outcome: a
successor representation (the hippocampus).

``da_stdp`` is dopamine-modulated spike-timing-dependent plasticity
(Izhikevich 2007): each pre-before-post spike pair adds ``a_plus
exp(-lag/tau_plus)`` to the synapse's eligibility, each post-before-pre pair
subtracts ``a_minus exp(-lag/tau_minus)``; the eligibility decays with
``eligibility_ms`` (about 1 s), and the weight changes by ``learning_rate
* eligibility * (dopamine - tonic)``. It needs spike times: spiking mode only.
The same rule as NEST's ``stdp_dopamine_synapse`` (Potjans, Morrison &
Diesmann 2010), with the target's dopamine level for NEST's volume
transmitter concentration and its tonic level for the baseline ``b``.

``reward_prediction`` is the reward model of an SR: a state's presence
(after its onset) tags the weight, and within a window after each move a
tagged weight moves towards ``w_max`` if a reward was delivered and towards 0
if not: the expected immediate reward of leaving that state, learned by a
reward prediction error (Russek et al. 2017), not by dopamine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dopasim.params import Param

PLASTICITY_DT_MS = 10.0


@dataclass(frozen=True)
class Rule:
    """A plasticity rule: its name, what it does, its parameters.

    How a rule is compiled into a synapse (its equations and update) is its
    builder's job, registered with it by name (:func:`dopasim.circuits.rules.register_rule`).
    ``dopamine_gated``: the rule reads its target's dopamine, so the target needs a
    dopamine projection; ``modes``: the resolutions it works at.

    Attributes
    ----------
    name : str
        the rule's name, as add_projection's rule takes it
    summary : str
        one line for listings
    params : dict of str to Param
        its parameters
    dopamine_gated : bool
        it reads its target's dopamine
    modes : tuple of str
        the resolutions it runs at
    """

    name: str
    summary: str
    params: dict[str, Param] = field(default_factory=dict)
    dopamine_gated: bool = False
    modes: tuple[str, ...] = ("rate", "spiking")


THREE_FACTOR = Rule(
    name="three_factor",
    summary="eligibility trace (pre or pre x post) x dopamine deviation from tonic",
    dopamine_gated=True,
    params={
        "learning_rate": Param(0.16, "weight change per second per Hz of eligibility per Hz of dopamine",
                               low=0.0, high=100.0, unit="s"),
        "tag_ms": Param(100.0, "time constant of each tag stage", low=0.0, low_inclusive=False,
                        high=10_000.0, unit="ms"),
        "tag_stages": Param(2, "stages of the tag cascade: more stages delay the trace more sharply, so a "
                            "state's value is credited less with the burst of its own onset", low=1, high=8),
        "eligibility_ms": Param(400.0, "decay of the eligibility trace", low=0.0, low_inclusive=False,
                                high=100_000.0, unit="ms"),
        "w_max": Param(100.0, "upper weight bound", low=0.0, low_inclusive=False, high=1e6),
        "forget_s": Param(0.0, "time constant with which the weight relaxes back to its starting value "
                          "(forgetting, Ito & Doya 2009); 0: never", low=0.0, high=1e6, unit="s"),
        "w_init_spread": Param(1.0, "initial weights uniform in weight*(1 +- spread)", low=0.0, high=1.0),
        "post": Param("none", "postsynaptic factor of the tag", choices=("none", "rate")),
        "post_ref_hz": Param(10.0, "postsynaptic rate that counts as factor 1", low=0.0,
                             low_inclusive=False, high=1000.0, unit="Hz"),
        "post_threshold_hz": Param(0.0, "postsynaptic rate below which no tag is set (post='rate')", low=0.0,
                                   high=1000.0, unit="Hz"),
        "pre": Param("rate", "presynaptic factor of the tag: rate, or experienced (a PFC source: only while "
                     "its state is present, not while it is predicted)", choices=("rate", "experienced")),
        "reward_outcome_weight": Param(0.0, "pre='experienced': the fixed weight from the PFC's reward outcome "
                                       "cells (the reward's worth), which experience does not change", low=0.0,
                                       high=10_000.0),
    },
)

#: the state prediction error rule of a learned transition model (Glascher, Daw, Dayan & O'Doherty 2010)
STATE_PREDICTION = Rule(
    name="state_prediction",
    summary="pre x post tag x (observed outcome - prediction) at each move: learned transition probabilities",
    params={
        "learning_rate": Param(0.05, "weight change per second per Hz of eligibility, towards the observed outcome",
                               low=0.0, high=100.0),
        "tag_ms": THREE_FACTOR.params["tag_ms"],
        "eligibility_ms": Param(100.0, "decay of the eligibility trace", low=0.0, low_inclusive=False,
                                high=100_000.0, unit="ms"),
        "w_max": Param(1.0, "upper weight bound: a probability", low=0.0, low_inclusive=False, high=1.0),
        "w_init_spread": Param(0.0, "initial weights uniform in weight*(1 +- spread)", low=0.0, high=1.0),
        "post_ref_hz": THREE_FACTOR.params["post_ref_hz"],
        "post_threshold_hz": Param(25.0, "postsynaptic rate below which no tag is set: only the chosen "
                                   "action's cells (lifted by the efference copy) learn", low=0.0, high=1000.0,
                                   unit="Hz"),
        "gain": Param(3.0, "drive per Hz of mean presynaptic rate at a predicted probability of 1", low=0.0,
                      high=1000.0),
    },
)

#: the reward model of a successor representation (Russek, Momennejad, Botvinick, Gershman & Daw 2017)
REWARD_PREDICTION = Rule(
    name="reward_prediction",
    summary="state presence tag x (reward delivered - prediction) at each move: learned immediate rewards",
    params={
        "learning_rate": Param(0.05, "weight change per second per Hz of eligibility, towards the reward",
                               low=0.0, high=100.0),
        "tag_ms": THREE_FACTOR.params["tag_ms"],
        "eligibility_ms": STATE_PREDICTION.params["eligibility_ms"],
        "w_max": Param(10.0, "the weight of a reward certain to follow the state: the reward's worth", low=0.0,
                       low_inclusive=False, high=1e6),
        "w_init_spread": THREE_FACTOR.params["w_init_spread"],
    },
)

#: dopamine-modulated STDP (Izhikevich 2007): spike-pair eligibility x dopamine deviation from tonic
DA_STDP = Rule(
    name="da_stdp",
    summary="spike-timing eligibility (pre-before-post +, post-before-pre -) x dopamine deviation from tonic "
            "(Izhikevich 2007); spiking mode only",
    dopamine_gated=True,
    modes=("spiking",),
    params={
        "learning_rate": Param(0.01, "weight change per second per unit of eligibility per Hz of dopamine above "
                               "tonic", low=0.0, high=100.0),
        "a_plus": Param(1.0, "eligibility added by a pre-before-post pair at zero lag", low=0.0, high=100.0),
        "a_minus": Param(1.5, "eligibility removed by a post-before-pre pair at zero lag", low=0.0, high=100.0),
        "tau_plus_ms": Param(20.0, "decay of the pre-before-post window", low=0.0, low_inclusive=False,
                             high=1000.0, unit="ms"),
        "tau_minus_ms": Param(20.0, "decay of the post-before-pre window", low=0.0, low_inclusive=False,
                              high=1000.0, unit="ms"),
        "eligibility_ms": Param(1000.0, "decay of the eligibility trace", low=0.0, low_inclusive=False,
                                high=100_000.0, unit="ms"),
        "w_max": THREE_FACTOR.params["w_max"],
        "w_init_spread": THREE_FACTOR.params["w_init_spread"],
    },
)

RULES = {rule.name: rule for rule in (THREE_FACTOR, STATE_PREDICTION, REWARD_PREDICTION, DA_STDP)}

#: (model, on_pre, on_post) of DA-STDP: pre and post spike traces, and the eligibility they step
DA_STDP_EQUATIONS = ("\ndelig/dt = -elig / elig_tau : 1 (clock-driven)\n"
                     "dapre/dt = -apre / tau_plus : 1 (event-driven)\n"
                     "dapost/dt = -apost / tau_minus : 1 (event-driven)\n",
                     "apre += a_plus\nelig -= apost",
                     "apost += a_minus\nelig += apre")


def _cascade(first: str, stages: int) -> str:
    """Tag stages 2 .. ``stages`` after ``first``'s (each ``tag_tau``), and the eligibility trace after them."""
    lines, previous = [], first
    for k in range(2, stages + 1):
        lines.append(f"dtag{k}/dt = ({previous} - tag{k}) / tag_tau : Hz (clock-driven)")
        previous = f"tag{k}"
    lines.append(f"delig/dt = ({previous} - elig) / elig_tau : Hz (clock-driven)")
    return "\n".join(lines) + "\n"


def depression_equations(mode: str) -> tuple[str, str]:
    """(model, on_pre) additions for a synapse with short-term depression (Tsodyks & Markram 1997).

    Each presynaptic spike uses the fraction ``depression`` of the resources
    left, which recover with the time constant ``recovery``; the synapse's
    drive is multiplied by ``resources``. At a steady (Poisson) rate r the
    drive is ``w r / (1 + depression recovery r)`` in both modes.
    """
    if mode == "rate":
        return ("dresources/dt = (1 - resources) / recovery - depression * resources * rate_pre : 1 (clock-driven)\n",
                "")
    return "dresources/dt = (1 - resources) / recovery : 1 (event-driven)\n", "resources -= depression * resources"


def three_factor_equations(mode: str, post: str, pre: str = "rate", stages: int = 2) -> tuple[str, str, str]:
    """(model, on_pre, on_post) additions for a plastic synapse.

    The names ``tag_tau``, ``elig_tau``, ``post_ref`` are constants of the
    synapse's namespace; ``dopamine_post`` is the target's dopamine level.
    ``post="gate"``: the tag is the presynaptic rate while the postsynaptic rate
    is above ``post_threshold`` (all or none). ``pre="experienced"``: the tag
    follows the source's ``experienced`` variable (1 while its state is present)
    times ``present_rate``, whether or not the source fires: the same in both
    modes.
    """
    gate = {"none": "", "rate": " * int(rate_post > post_threshold) * (rate_post - post_threshold) / post_ref",
            "gate": " * int(rate_post > post_threshold)"}[post]
    if mode == "rate" or pre == "experienced":
        source = "rate_pre" if pre == "rate" else "experienced_pre * present_rate"
        activity = source + (gate if mode == "rate" else "")
        model = f"\ndtag/dt = ({activity} - tag) / tag_tau : Hz (clock-driven)\n" + _cascade("tag", stages)
        return model, "", ""
    # spiking: each spike steps the first tag (dimensionless), whose decay rate feeds the next stage
    model = "\ndtag/dt = -tag / tag_tau : 1 (clock-driven)\n" + _cascade("tag / tag_tau", stages)
    if post == "none":
        return model, "tag += 1", ""
    model += "dpost_trace/dt = -post_trace / tag_tau : Hz (event-driven)\n"
    factor = ("(post_trace - post_threshold) / post_ref" if post == "rate" else "1")
    return model, f"tag += int(post_trace > post_threshold) * {factor}", "post_trace += 1 / tag_tau"


#: the state prediction error: while a move's outcome is observed (``onset_post``), each tagged prediction
#: moves towards 1 if its outcome is the one observed (``observed_post``) and towards 0 if not
STATE_PREDICTION_UPDATE = "w = clip(w + learning_rate * elig * onset_post * (observed_post - w) * dt, 0, w_max)"


#: a state's presence after its own onset window tags (``present_rate`` a constant of the synapse)
REWARD_PREDICTION_EQUATIONS = ("\ndtag/dt = (experienced_pre * (1 - onset_pre) * present_rate - tag) / tag_tau : Hz "
                               "(clock-driven)\n" + _cascade("tag", 1))
#: within a move's window (``onset_pre``), each tagged weight moves towards ``w_max`` if a reward was delivered
REWARD_PREDICTION_UPDATE = ("w = clip(w + learning_rate * elig * onset_pre * (w_max * rewarded_pre - w) * dt, "
                            "0, w_max)")


#: ``dopamine_sign`` is +1 at D1 targets and -1 at D2 targets (opponent plasticity, Frank 2005)
WEIGHT_UPDATE = ("w = clip(w + learning_rate * elig * dopamine_sign * (dopamine_post - dopamine_tonic) * dt, "
                 "0, w_max)")


def forgetting(update: str, forget_s: float) -> str:
    """``update`` plus a relaxation of ``w`` back to its starting ``weight`` with time constant ``forget``."""
    if not forget_s:
        return update
    return update.replace(" * dt, 0, w_max)", " * dt + (weight - w) * dt / forget, 0, w_max)")


def weight_update(release: dict) -> str:
    """The weight update for a dopamine projection's ``release`` parameters.

    Bursts (dopamine above the set point ``dopamine_tonic``) and dips (below
    it) are weighed by ``burst_gain`` and ``dip_gain``. While the task's drug
    signal ``sig_drug(t)`` is on, a drug with ``drug_hz`` adds that much and
    masks any dip: the error is ``max(error, 0) + drug``, the non-compensable
    dopamine of Redish (2004). An unchanged release keeps the plain update
    (and its compiled code).
    """
    if release["burst_gain"] == release["dip_gain"] == 1.0 and not release["drug_hz"]:
        return WEIGHT_UPDATE
    deviation = "(dopamine_post - dopamine_tonic)"
    if release["drug_hz"]:
        deviation = f"({deviation} + sig_drug(t) * (drug + (abs({deviation}) - {deviation}) / 2))"
    shaped = (f"(burst_gain * (abs({deviation}) + {deviation}) + "
              f"dip_gain * ({deviation} - abs({deviation}))) / 2")
    return f"w = clip(w + learning_rate * elig * dopamine_sign * {shaped} * dt, 0, w_max)"
