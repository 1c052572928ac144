"""Premotor cortex: the efference copy of the committed action.

Once the decision is taken, the chosen action's premotor cells fire at
``peak_rate_hz`` until the outcome, and excite that channel's striatal D1 and D2
cells. This is the response layer's top-down input to the striatum in Frank
(2005): it makes the chosen channel's cells the most active, so that their
Hebbian tag (pre x post) carries the credit when dopamine arrives. The task's
``choice`` signal is 1 for the chosen channel while the cue is on.
"""

from dopasim.circuits.regions import RegionType
from dopasim.params import Param


def _rate(params: dict, signal) -> str:
    channel = f"i // {params['cells_per_channel']}"
    return f"{params['peak_rate_hz']}*Hz * {signal(channel)}"


REGION = RegionType(
    name="motor",
    kind="cortex",
    summary="premotor efference copy of the chosen action (Frank 2005)",
    params={
        "channels": Param(2, "number of action channels", low=1, high=1000),
        "cells_per_channel": Param(20, "cells carrying each channel", low=1, high=10_000),
        "peak_rate_hz": Param(30.0, "rate of the chosen channel's cells", low=0.0, high=1000.0, unit="Hz"),
    },
    input_rate=_rate,
    signal="choice",
    input_size=lambda p: p["channels"] * p["cells_per_channel"],
    rate_mode_params=lambda p: {**p, "cells_per_channel": 1},
)
