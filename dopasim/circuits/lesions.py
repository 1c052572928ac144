"""Lesions as graph transforms: pure functions from a circuit graph to a new one.

The input graph is never changed, so a healthy circuit and its lesioned copies
can be compared side by side. Each transform appends a record of itself (its
name and arguments) to the new graph's ``lesions``, which ``run.json`` keeps;
transforms compose by chaining, and :func:`apply` replays a list of records, so
a disease preset is plain data (:mod:`dopasim.circuits.diseases`).

==================== ==========================================================
``remove_region``    the region and every projection to or from it
``kill_cells``       a fraction of a region's cells; what it sends shrinks with them
``scale_projection`` a projection's weight times a factor
``cut_projection``   a projection removed
``tonic_dopamine``   dopamine added at a DA region's terminals whatever its cells
                     fire (a drug): the resting level moves, bursts and dips do not
``dopamine_gain``    the gain of DA bursts and of DA dips on plasticity, separately
``drug_action``      a drug's dopamine, which no prediction cancels (Redish 2004)
``dopamine_noise``   a fluctuation of the DA cells' drive
``clamp``            a drive added to a region over a time window (optogenetic
                     excitation, or with a negative drive, silencing)
``goal_directed``    the PFC's (or hippocampus') share in the arbitration (``model_based_weight``)
                     times a factor
==================== ==========================================================
"""

from __future__ import annotations

import inspect
import math

from dopasim.circuits.graph import CircuitGraph
from dopasim.params import ConfigError, unknown_name


def _record(graph: CircuitGraph, transform: str, **args) -> CircuitGraph:
    out = graph.copy()
    out.lesions.append({"transform": transform, **args})
    return out


def _number(transform: str, name: str, value, low: float | None = None, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"{transform}: {name}={value!r} must be a number")
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"at least {low}"
        raise ConfigError(f"{transform}: {name}={value} must be {bounds}")
    return float(value)


def remove_region(graph: CircuitGraph, region: str) -> CircuitGraph:
    """The circuit without ``region`` and every projection to or from it.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    region : str
        the region to remove
    """
    graph.region(region)  # raises with the valid names if it is not there
    out = _record(graph, "remove_region", region=region)
    out.graph.remove_node(region)
    return out


def cut_projection(graph: CircuitGraph, projection: str) -> CircuitGraph:
    """The circuit without the named projection.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    projection : str
        the projection to remove
    """
    graph.projection(projection)
    out = _record(graph, "cut_projection", projection=projection)
    out.graph.remove_edge(*out._edge(projection))
    return out


def kill_cells(graph: CircuitGraph, region: str, fraction: float) -> CircuitGraph:
    """``region`` with ``fraction`` of its cells dead (1: the region removed).

    The survivors keep their properties; every projection the region sends is
    weakened in proportion, since a projection's weight is the drive (or
    dopamine release) per Hz of the source's mean rate summed over its cells.
    So 80% loss of SNc cells leaves one fifth of the nigrostriatal dopamine,
    in bursts and dips alike. Cells are lost evenly across action channels.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    region : str
        the region that loses cells
    fraction : float
        fraction of its cells lost, 0 to 1 (1 removes the region)
    """
    fraction = _number("kill_cells", "fraction", fraction, 0.0, 1.0)
    params = graph.region(region)["params"]
    if fraction == 1.0:
        out = remove_region(graph, region)
        out.lesions[-1] = {"transform": "kill_cells", "region": region, "fraction": fraction}
        return out
    out = _record(graph, "kill_cells", region=region, fraction=fraction)
    channels = graph.channels(region)
    per_channel = max(1, round(params["size"] // channels * (1.0 - fraction)))
    survivors = per_channel * channels / params["size"]
    out.set(f"{region}.size", per_channel * channels)
    for name, source, _, attrs in out.projections():
        if source == region:
            attrs["params"]["weight"] *= survivors
    return out


def scale_projection(graph: CircuitGraph, projection: str, factor: float) -> CircuitGraph:
    """The named projection's weight times ``factor`` (0 silences it, 2 doubles it).

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    projection : str
        the projection
    factor : float
        its weight is multiplied by this (0 or more)
    """
    factor = _number("scale_projection", "factor", factor, 0.0)
    weight = graph.projection(projection)["params"]["weight"]
    out = _record(graph, "scale_projection", projection=projection, factor=factor)
    out.set(f"{projection}.weight", weight * factor)
    return out


def _dopamine_projections(graph: CircuitGraph, transform: str, name: str) -> list[str]:
    """The dopamine projections that ``name`` stands for: a DA region's all, or one by name."""
    if name in graph.regions():
        found = [p for p, source, _, attrs in graph.projections() if source == name and attrs["sign"] == "dopamine"]
        if not found:
            raise ConfigError(f"{transform}: region {name!r} sends no dopamine projection")
        return found
    attrs = graph.projection(name)  # raises, naming regions and projections
    if attrs["sign"] != "dopamine":
        raise ConfigError(f"{transform}: projection {name!r} is {attrs['sign']}, not a dopamine projection")
    return [name]


def tonic_dopamine(graph: CircuitGraph, source: str, change_hz: float) -> CircuitGraph:
    """Dopamine raised (or lowered) by ``change_hz`` at the terminals of ``source``, whatever its cells fire.

    ``source`` is a dopamine region (all its projections) or one dopamine
    projection. The resting level moves, not the bursts and dips: at a raised
    level the high-affinity D2 receptors are nearly full and hardly register a
    dip, which is how L-DOPA masks the dips that teach avoidance (Frank,
    Seeberger & O'Reilly 2004).

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    source : str
        the dopamine region (all its dopamine projections) or one dopamine projection
    change_hz : float
        Hz of DA cell rate added to the resting level at the terminals (negative lowers it)
    """
    change_hz = _number("tonic_dopamine", "change_hz", change_hz)
    out = _record(graph, "tonic_dopamine", source=source, change_hz=change_hz)
    for name in _dopamine_projections(graph, "tonic_dopamine", source):
        out.set(f"{name}.tonic_hz", out.projection(name)["params"]["tonic_hz"] + change_hz)
    return out


def dopamine_gain(graph: CircuitGraph, source: str, burst: float = 1.0, dip: float = 1.0) -> CircuitGraph:
    """Bursts and dips of ``source``'s dopamine weighed by ``burst`` and ``dip`` in its targets' plasticity.

    Gains multiply: applied twice, a gain of 0.5 leaves a quarter.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    source : str
        the dopamine region (all its dopamine projections) or one dopamine projection
    burst : float
        gain on bursts in the targets' plasticity
    dip : float
        gain on dips in the targets' plasticity
    """
    burst = _number("dopamine_gain", "burst", burst, 0.0)
    dip = _number("dopamine_gain", "dip", dip, 0.0)
    out = _record(graph, "dopamine_gain", source=source, burst=burst, dip=dip)
    for name in _dopamine_projections(graph, "dopamine_gain", source):
        params = out.projection(name)["params"]
        out.set(f"{name}.burst_gain", params["burst_gain"] * burst)
        out.set(f"{name}.dip_gain", params["dip_gain"] * dip)
    return out


def drug_action(graph: CircuitGraph, source: str, dopamine_hz: float) -> CircuitGraph:
    """A drug that adds ``dopamine_hz`` at ``source``'s terminals while the task delivers it.

    It also blocks reuptake, so no predicted value can turn its dopamine into
    a dip: the error it teaches is at least ``dopamine_hz`` however well the
    drug is predicted (Redish 2004). The task says when the drug is on.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    source : str
        the dopamine region or projection the drug acts at
    dopamine_hz : float
        the drug's dopamine (Hz of DA cell rate) while the task delivers it
    """
    dopamine_hz = _number("drug_action", "dopamine_hz", dopamine_hz, 0.0, 500.0)
    out = _record(graph, "drug_action", source=source, dopamine_hz=dopamine_hz)
    for name in _dopamine_projections(graph, "drug_action", source):
        out.set(f"{name}.drug_hz", dopamine_hz)
    return out


def dopamine_noise(graph: CircuitGraph, region: str, noise_hz: float) -> CircuitGraph:
    """A fluctuation of s.d. ``noise_hz`` added to each of ``region``'s DA cells' drive.

    Independent fluctuations add in variance to any noise the cells had.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    region : str
        the dopamine region
    noise_hz : float
        s.d. of the fluctuation added to each cell's drive (Hz; adds in variance to any it has)
    """
    noise_hz = _number("dopamine_noise", "noise_hz", noise_hz, 0.0)
    attrs = graph.region(region)
    if attrs["kind"] != "dopamine":
        raise ConfigError(f"dopamine_noise: region {region!r} is a {attrs['kind']} region, not a dopamine one")
    out = _record(graph, "dopamine_noise", region=region, noise_hz=noise_hz)
    out.set(f"{region}.noise_hz", math.hypot(attrs["params"]["noise_hz"], noise_hz))
    return out


def clamp(graph: CircuitGraph, region: str, drive_hz: float, start_s: float, stop_s: float,
          period_s: float = 0.0) -> CircuitGraph:
    """``drive_hz`` added to ``region``'s cells from ``start_s`` to ``stop_s``, as an optogenetic clamp.

    A positive drive excites (channelrhodopsin), a large negative one silences
    (halorhodopsin, archaerhodopsin). With ``period_s``, the window repeats in
    every period (every trial, when it is the trial's length), its times
    counted from the period's start.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    region : str
        the clamped population
    drive_hz : float
        drive added while the clamp is on (negative silences)
    start_s : float
        onset, in session time (or within each period)
    stop_s : float
        offset
    period_s : float
        repeat the window every period, e.g. every trial (0: once)
    """
    drive_hz = _number("clamp", "drive_hz", drive_hz, -1000.0, 1000.0)
    start_s = _number("clamp", "start_s", start_s, 0.0)
    stop_s = _number("clamp", "stop_s", stop_s, 0.0)
    period_s = _number("clamp", "period_s", period_s, 0.0)
    if stop_s <= start_s:
        raise ConfigError(f"clamp: stop_s={stop_s} must come after start_s={start_s}")
    if period_s and stop_s > period_s:
        raise ConfigError(f"clamp: stop_s={stop_s} must lie within period_s={period_s}")
    if "clamp_hz" not in graph.region(region)["params"]:
        raise ConfigError(f"clamp: region {region!r} is an input region; clamp a simulated population")
    out = _record(graph, "clamp", region=region, drive_hz=drive_hz, start_s=start_s, stop_s=stop_s,
                  period_s=period_s)
    for param, value in (("hz", drive_hz), ("start_s", start_s), ("stop_s", stop_s), ("period_s", period_s)):
        out.set(f"{region}.clamp_{param}", value)
    return out


def goal_directed(graph: CircuitGraph, factor: float) -> CircuitGraph:
    """Goal-directed (model-based) control's share of the pallidum times ``factor``; habit takes the rest.

    ``model_based_weight`` of the circuit's PFC or hippocampus (see
    :func:`dopasim.circuits.populations.control_gain`) times ``factor``, capped at 1.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged); it must have a planner (model_based or successor)
    factor : float
        the planner's model_based_weight is multiplied by this
    """
    factor = _number("goal_directed", "factor", factor, 0.0)
    if not any("model_based_weight" in graph.region(r)["params"] for r in graph.regions()):
        raise ConfigError(f"goal_directed: circuit {graph.name!r} has no PFC, so no goal-directed control to "
                          "change (use --circuit model_based, or successor for a hippocampus)")
    region = graph.control_region()
    weight = graph.region(region)["params"]["model_based_weight"]
    out = _record(graph, "goal_directed", factor=factor)
    out.set(f"{region}.model_based_weight", min(1.0, weight * factor))
    return out


TRANSFORMS = {f.__name__: f for f in (remove_region, kill_cells, scale_projection, cut_projection,
                                      tonic_dopamine, dopamine_gain, drug_action, dopamine_noise, clamp,
                                      goal_directed)}


def apply(graph: CircuitGraph, lesions: list[dict]) -> CircuitGraph:
    """``graph`` with each record ``{"transform": NAME, ARG: VALUE, ...}`` applied in turn.

    A record may name the ``disease`` it belongs to; the applied record keeps it.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (left unchanged)
    lesions : list of dict
        lesion records, each a transform's name under 'transform' and its arguments
    """
    for lesion in lesions:
        args = dict(lesion)
        name = args.pop("transform", None)
        source = args.pop("disease", None)
        if name not in TRANSFORMS:
            raise unknown_name("lesion transform", str(name), TRANSFORMS)
        accepted = list(inspect.signature(TRANSFORMS[name]).parameters)[1:]
        for arg in args:
            if arg not in accepted:
                raise unknown_name(f"argument of {name}:", arg, accepted)
        try:
            graph = TRANSFORMS[name](graph, **args)
        except TypeError:
            raise ConfigError(f"{name} needs {', '.join(accepted)}; got {', '.join(args) or 'nothing'}") from None
        if source is not None:
            graph.lesions[-1]["disease"] = source
    return graph
