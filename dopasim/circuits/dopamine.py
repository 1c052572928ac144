"""Dopamine at rest: the level each target sees, and what a lesion or a drug does to it.

Bursts and dips are counted from the level the DA cells release at rest; the
resting level itself sets the operating point of the target's receptors and
scales the projections that dopamine loss strengthens (the pharmacology of
Frank 2005; Holgado, Terry & Bogacz 2010). These are constants of a compiled
network, computed from the graph alone.
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.regions import REGIONS

#: dopamine level (Hz of DA cell rate at the terminals) at which half the receptors are bound: D2 receptors
#: (high affinity) are mostly bound at the normal resting level of 5 Hz, D1 receptors (low affinity) hardly
#: (Richfield, Penney & Young 1989: nM vs uM affinities; Dreyer et al. 2010)
RECEPTOR_AFFINITY_HZ = {"d1": 50.0, "d2": 2.5}


def receptor_of(graph: CircuitGraph, region: str) -> str | None:
    """The dopamine receptor (``d1``, ``d2``) of ``region``'s cells, as its region type declares; None if none."""
    attrs = graph.region(region)
    return REGIONS[attrs["region"]].receptor(attrs["params"])


def resting_drive(graph: CircuitGraph, region: str) -> float:
    """Drive (Hz) of ``region`` at rest: its baseline plus what its resting inputs send it.

    The tonic dopamine level, from which bursts and dips are counted, is the DA
    cells' resting drive: the rate they are calibrated to fire at with no
    reward and no value in view. Inputs rest at their own baseline (if above 0).
    """
    drive = graph.region(region)["params"]["baseline_hz"]
    for _, source, attrs in graph.incoming(region):
        sign = {"excitatory": 1.0, "inhibitory": -1.0}.get(attrs["sign"], 0.0)
        if not REGIONS[graph.region(source)["region"]].is_input:
            drive += sign * attrs["params"]["weight"] * max(graph.region(source)["params"]["baseline_hz"], 0.0)
    return drive


def resting_dopamine(graph: CircuitGraph, target: str) -> tuple[float, float] | None:
    """``(level, normal)``: the dopamine level (Hz) at ``target`` at rest, and that of an intact circuit.

    The level is what the DA cells release at rest (weight x their resting
    drive) plus any dopamine at the terminals that firing does not set
    (``tonic_hz``, a drug); an intact circuit releases the cells' resting
    rate (weight 1). None where no dopamine reaches ``target``.
    """
    found = graph.dopamine_projection(target)
    if found is None:
        return None
    _, source, attrs = found
    normal = resting_drive(graph, source)
    return attrs["params"]["weight"] * normal + attrs["params"]["tonic_hz"], normal


def receptor_slope(graph: CircuitGraph, target: str) -> float:
    """How strongly ``target``'s receptors register a burst or dip, relative to an intact circuit.

    Occupancy ``D / (D + K)`` (``K``: the receptor's affinity) linearised
    around the resting level ``D``: its slope relative to the slope at the
    normal level. High-affinity D2 receptors, nearly full at the normal
    level, feel dips more where dopamine is depleted and hardly at all where
    a drug has raised it; low-affinity D1 receptors are nearly linear
    (Richfield, Penney & Young 1989; Dreyer et al. 2010; Frank 2005).
    """
    rest = resting_dopamine(graph, target)
    receptor = receptor_of(graph, target)
    if rest is None or receptor is None:
        return 1.0
    level, normal = rest
    k = RECEPTOR_AFFINITY_HZ[receptor]
    return ((normal + k) / (max(level, 0.0) + k)) ** 2


def dopamine_scaling(graph: CircuitGraph, target: str, attrs: dict) -> float:
    """The factor on a projection's weight at its ``target``'s resting dopamine level: 1 in an intact circuit.

    ``weight x (1 + dopamine_scaling x the fraction of normal dopamine lost)``:
    a positive scaling strengthens the projection as dopamine is lost (GPe ->
    STN, STN -> GPe; Holgado, Terry & Bogacz 2010), a negative one weakens it.
    Dopamine above normal leaves it as it is.
    """
    kappa = attrs["params"]["dopamine_scaling"]
    rest = resting_dopamine(graph, target)
    if rest is None or not kappa:
        return 1.0
    level, normal = rest
    return max(0.0, 1 + kappa * max(0.0, 1 - level / normal))


def dopamine_terms(graph: CircuitGraph, target: str) -> dict:
    """The sign of dopamine's action at ``target`` (D1 +1, D2 -1) and its set point: what the DA cells' firing
    releases at rest (a drug's share cancels)."""
    import brian2 as b2

    _, da_source, release = graph.dopamine_projection(target)
    tonic = release["params"]["weight"] * resting_drive(graph, da_source)
    return dict(dopamine_sign=-1.0 if receptor_of(graph, target) == "d2" else 1.0, dopamine_tonic=tonic * b2.Hz)
