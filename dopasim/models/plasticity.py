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
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dopasim.params import Param

PLASTICITY_DT_MS = 10.0


@dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    params: dict[str, Param] = field(default_factory=dict)


THREE_FACTOR = Rule(
    name="three_factor",
    summary="eligibility trace (pre or pre x post) x dopamine deviation from tonic",
    params={
        "learning_rate": Param(0.16, "weight change per second per Hz of eligibility per Hz of dopamine",
                               low=0.0, high=100.0, unit="s"),
        "tag_ms": Param(100.0, "time constant of each tag stage", low=0.0, low_inclusive=False,
                        high=10_000.0, unit="ms"),
        "eligibility_ms": Param(400.0, "decay of the eligibility trace", low=0.0, low_inclusive=False,
                                high=100_000.0, unit="ms"),
        "w_max": Param(100.0, "upper weight bound", low=0.0, low_inclusive=False),
        "w_init_spread": Param(1.0, "initial weights uniform in weight*(1 +- spread)", low=0.0, high=1.0),
        "post": Param("none", "postsynaptic factor of the tag", choices=("none", "rate")),
        "post_ref_hz": Param(10.0, "postsynaptic rate that counts as factor 1", low=0.0,
                             low_inclusive=False, unit="Hz"),
        "post_threshold_hz": Param(0.0, "postsynaptic rate below which no tag is set (post='rate')", low=0.0,
                                   high=1000.0, unit="Hz"),
    },
)

RULES = {THREE_FACTOR.name: THREE_FACTOR}


def three_factor_equations(mode: str, post: str) -> tuple[str, str, str]:
    """(model, on_pre, on_post) additions for a plastic synapse.

    The names ``tag_tau``, ``elig_tau``, ``post_ref`` are constants of the
    synapse's namespace; ``dopamine_post`` is the target's dopamine level.
    """
    if mode == "rate":
        activity = ("rate_pre" if post == "none" else
                    "rate_pre * int(rate_post > post_threshold) * (rate_post - post_threshold) / post_ref")
        model = f"""
dtag/dt = ({activity} - tag) / tag_tau : Hz (clock-driven)
dtag2/dt = (tag - tag2) / tag_tau : Hz (clock-driven)
delig/dt = (tag2 - elig) / elig_tau : Hz (clock-driven)
"""
        return model, "", ""
    model = """
dtag/dt = -tag / tag_tau : 1 (clock-driven)
dtag2/dt = (tag / tag_tau - tag2) / tag_tau : Hz (clock-driven)
delig/dt = (tag2 - elig) / elig_tau : Hz (clock-driven)
"""
    if post == "none":
        return model, "tag += 1", ""
    model += "dpost_trace/dt = -post_trace / tag_tau : Hz (event-driven)\n"
    return (model, "tag += int(post_trace > post_threshold) * (post_trace - post_threshold) / post_ref",
            "post_trace += 1 / tag_tau")


#: ``dopamine_sign`` is +1 at D1 targets and -1 at D2 targets (opponent plasticity, Frank 2005)
WEIGHT_UPDATE = ("w = clip(w + learning_rate * elig * dopamine_sign * (dopamine_post - dopamine_tonic) * dt, "
                 "0, w_max)")


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
