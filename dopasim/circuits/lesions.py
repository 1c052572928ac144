"""Lesions as graph transforms: pure functions from a circuit graph to a new one.

The input graph is never changed, so a healthy circuit and its lesioned copies
can be compared side by side.
"""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph


def remove_region(graph: CircuitGraph, region: str) -> CircuitGraph:
    """The circuit without ``region`` and every projection to or from it."""
    graph.region(region)  # raises with the valid names if it is not there
    out = graph.copy()
    out.graph.remove_node(region)
    out.name = f"{graph.name}-{region}"
    return out


def cut_projection(graph: CircuitGraph, projection: str) -> CircuitGraph:
    """The circuit without the named projection."""
    out = graph.copy()
    out.graph.remove_edge(*out._edge(projection))
    out.name = f"{graph.name}-{projection}"
    return out
