"""A population's equations: the shared rate or LIF body, driven by its baseline and its inputs.

Each incoming projection adds one input current (Hz of rate equivalent),
excitatory ones added to the drive and inhibitory ones subtracted; a dopamine
projection instead sets the target's ``dopamine`` level, which its plastic
synapses read. The region type's hooks shape the rest (see
:class:`dopasim.circuits.regions.RegionType`): how the inputs enter the drive,
what the cells sense of the task. Drive noise and an optogenetic-style clamp
are added only where a region has them, so that circuits without them keep
their compiled code.
"""

from __future__ import annotations

from dopasim.circuits.dopamine import dopamine_scaling
from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.regions import REGIONS


def input_var(name: str, attrs: dict) -> str:
    """The target's variable that a projection feeds: its DA level, or an input current."""
    return "dopamine" if attrs["sign"] == "dopamine" else f"I_{name}"


def simulated(graph: CircuitGraph, target: str, attrs: dict) -> bool:
    """Whether a projection is built: not a dopamine projection to a target that has no plastic synapses.

    Such a projection acts only through its resting level (the target's
    ``dopamine_scaling`` of its inputs), a constant of the compiled network.
    """
    return attrs["sign"] != "dopamine" or any(a["rule"] for _, _, a in graph.incoming(target))


def pooled(mode: str, attrs: dict) -> bool:
    """A static all-to-all rate projection: weight x mean source rate, no synapses needed."""
    p = attrs["params"]
    return mode == "rate" and attrs["rule"] is None and p["p"] >= 1.0 and not p["depression"]


def control_gain(graph: CircuitGraph, attrs: dict) -> float:
    """A projection's share in the arbitration between goal-directed and habitual control.

    ``model_based_weight`` (of the circuit's PFC or hippocampus) for a ``control="goal_directed"``
    projection, 1 minus it for a ``"habitual"`` one, 1 for the rest (Daw, Niv &
    Dayan 2005: the controllers' values mixed by a weight, as in Daw et al. 2011).
    """
    control = attrs["params"]["control"]
    if control == "none":
        return 1.0
    weight = graph.region(graph.control_region())["params"]["model_based_weight"]
    return weight if control == "goal_directed" else 1.0 - weight


def population_equations(graph: CircuitGraph, region: str, mode: str) -> tuple[str, dict]:
    """The Brian2 equations of the population ``region`` at resolution ``mode``, and their namespace."""
    import brian2 as b2

    from dopasim.models import neurons

    params = graph.region(region)["params"]
    spec = REGIONS[graph.region(region)["region"]]
    namespace = {"tau": params["tau_ms"] * b2.ms, "max_rate": params["max_rate_hz"] * b2.Hz}
    terms, synaptic = [f"{params['baseline_hz']}*Hz"], []
    currents = ""
    for name, _, attrs in graph.incoming(region):
        if not simulated(graph, region, attrs):
            continue
        var = input_var(name, attrs)
        is_pooled = pooled(mode, attrs)
        currents += neurons.input_current(var, mode, is_pooled)
        namespace[f"tau_{var}"] = attrs["params"]["tau_ms"] * b2.ms
        namespace[f"gain_{var}"] = attrs["params"]["weight"] if is_pooled else 1.0
        scale = dopamine_scaling(graph, region, attrs) * control_gain(graph, attrs)
        factor = "" if scale == 1.0 else f"{scale!r} * "  # an intact circuit keeps its code
        if attrs["sign"] == "excitatory":
            synaptic.append(f"+ {factor}{var}")
        elif attrs["sign"] == "inhibitory":
            synaptic.append(f"- {factor}{var}")
    if spec.drive_inputs is not None:
        synaptic, extra = spec.drive_inputs(params, synaptic)
        currents += extra
    terms += synaptic
    if params["noise_hz"] > 0:  # only then, so noiseless circuits keep their code
        terms.append("+ noise")
        currents += neurons.DRIVE_NOISE
        namespace.update(noise_sd=params["noise_hz"] * b2.Hz, noise_tau=params["noise_tau_ms"] * b2.ms)
    if params["clamp_hz"] != 0:
        clock = "(t % clamp_period)" if params["clamp_period_s"] > 0 else "t"
        terms.append(f"+ clamp * int({clock} >= clamp_start) * int({clock} < clamp_stop)")
        namespace.update(clamp=params["clamp_hz"] * b2.Hz, clamp_start=params["clamp_start_s"] * b2.second,
                         clamp_stop=params["clamp_stop_s"] * b2.second,
                         clamp_period=params["clamp_period_s"] * b2.second)
    currents += spec.sensed_variables
    body = neurons.RATE_UNIT if mode == "rate" else neurons.LIF
    if mode == "spiking":
        namespace.update(neurons.LIF_NAMESPACE)
    return body + f"drive = {' '.join(terms)} : Hz\n" + currents, namespace
