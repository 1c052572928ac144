"""Reward input: the sensory volley that a delivered reward sends to the dopamine cells.

Cells fire at ``peak_rate_hz`` times the reward magnitude for the US duration
(Poisson in spiking mode). Its projection onto the VTA carries the slow kernel
that makes it the same shape as the fall of value at the US, so that a fully
predicted reward cancels (Schultz, Dayan & Montague 1997).
"""

from dopasim.circuits.regions import RegionType
from dopasim.params import Param


def _rate(params: dict, signal) -> str:
    return f"{params['peak_rate_hz']}*Hz * {signal()}"


REGION = RegionType(
    name="reward",
    kind="input",
    summary="reward (US) input, rate proportional to reward magnitude",
    params={
        "size": Param(20, "number of input cells", low=1, high=100_000),
        "peak_rate_hz": Param(100.0, "firing rate for a reward of magnitude 1", low=0.0, high=1000.0, unit="Hz"),
    },
    input_rate=_rate,
    signal="reward",
    input_size=lambda p: p["size"],
)
