"""Cortex as the state input: a complete serial compound of the conditioned stimulus.

After CS onset, element k of the compound is active during the k-th interval of
``element_ms`` for as long as the CS lasts, so that value can be learned for each
moment of the CS-US interval (Sutton & Barto 1990; Montague, Dayan & Sejnowski
1996; Schultz, Dayan & Montague 1997). Each element is carried by
``cells_per_element`` cells firing at ``on_rate_hz`` (Poisson in spiking mode).

In rate mode the cells of one element have identical rates by construction, so
each element is a single rate unit: every weight from an element's cells gets
the same update, and the input to a striatal cell depends only on their mean,
so one unit per element is the same model at 1/cells_per_element of the cost.

With ``stimuli`` > 1 each stimulus has its own compound, so that value can be
learned per stimulus (or per state of a maze).
"""

from dopasim.circuits.regions import RegionType
from dopasim.params import Param


def _rate(params: dict, signal) -> str:
    # signal: seconds since the onset of the stimulus while it is on, -1 otherwise
    k, n = params["cells_per_element"], params["n_elements"]
    element_s = params["element_ms"] / 1000
    since = signal() if params["stimuli"] == 1 else signal(f"i // {k * n}")
    return (f"{params['on_rate_hz']}*Hz * int({since} >= 0)"
            f" * int(floor({since} / {element_s}) == (i // {k}) % {n})")


REGION = RegionType(
    name="cortex",
    kind="cortex",
    summary="CS input as a complete serial compound (Montague, Dayan & Sejnowski 1996)",
    params={
        "stimuli": Param(1, "stimuli with a serial compound each (the signal has a column per stimulus)",
                         low=1, high=1000),
        "n_elements": Param(20, "elements of the serial compound", low=1, high=1000),
        "element_ms": Param(100.0, "duration of one element", low=1.0, high=10_000.0, unit="ms"),
        "cells_per_element": Param(20, "cells carrying each element", low=1, high=1000),
        "on_rate_hz": Param(20.0, "firing rate of an active element", low=0.0, low_inclusive=False,
                            high=500.0, unit="Hz"),
    },
    input_rate=_rate,
    signal="cs",
    input_size=lambda p: p["stimuli"] * p["n_elements"] * p["cells_per_element"],
    rate_mode_params=lambda p: {**p, "cells_per_element": 1},
)
