"""The two resolutions, their time steps, and the checks that a graph can be integrated at them."""

from __future__ import annotations

from dopasim.circuits.graph import CircuitGraph
from dopasim.models.plasticity import PLASTICITY_DT_MS
from dopasim.params import ConfigError

MODES = ("rate", "spiking")
#: integration step per mode; rate units (tau >= 5 ms) are exact enough at 1 ms
DT_MS = {"rate": 1.0, "spiking": 0.25}


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ConfigError(f"mode {mode!r} is not one of {', '.join(MODES)}")


#: time constants integrated at the network's step (Euler: a step longer than the time constant overshoots,
#: two steps diverge), and those integrated at the plasticity step
_STEPPED = ("tau_ms", "noise_tau_ms", "recovery_ms")
_PLASTICITY_STEPPED = ("tag_ms", "eligibility_ms")


def check_time_constants(graph: CircuitGraph, mode: str) -> None:
    """Refuse a time constant shorter than the step that integrates it: the run would diverge."""
    check_mode(mode)
    dt = DT_MS[mode]
    owners = [(f"circuit.{r}", graph.region(r)["params"]) for r in graph.regions()]
    owners += [(f"circuit.{name}", attrs["params"]) for name, _, _, attrs in graph.projections()]
    for owner, params in owners:
        for name, step, what in ([(n, dt, f"the time step in {mode} mode") for n in _STEPPED]
                                 + [(n, PLASTICITY_DT_MS, "the plasticity step") for n in _PLASTICITY_STEPPED]):
            if name in params and params[name] < step:
                raise ConfigError(f"{owner}.{name}={params[name]} is shorter than {what} ({step} ms): the "
                                  f"integration would diverge; use at least {step}")
