"""The circuit graph, its regions, named presets and the compiler to Brian2."""

from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.presets import PRESETS, make_circuit

__all__ = ["CircuitGraph", "PRESETS", "make_circuit"]
