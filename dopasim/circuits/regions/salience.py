"""Cortical salience input: one channel per action, each with its own rate.

The input of Gurney, Prescott & Redgrave (2001): the salience of each competing
action, as the firing rate of that channel's cortical cells (Poisson in spiking
mode). The task's ``salience`` signal holds one value per channel, 0 to 1,
scaled by ``peak_rate_hz``.
"""

from dopasim.circuits.regions import RegionType
from dopasim.params import Param


def _rate(params: dict, signal) -> str:
    channel = f"i // {params['cells_per_channel']}"
    return f"{params['peak_rate_hz']}*Hz * {signal(channel)}"


def channel_input(name: str, summary: str, signal: str, channels: int, peak_rate_hz: float,
                  peak_help: str) -> RegionType:
    """An input region with one group of cells per channel, each at ``peak_rate_hz`` x its column of ``signal``.

    In rate mode a channel's cells are identical by construction, so each is one unit.
    """
    return RegionType(
        name=name,
        kind="cortex",
        summary=summary,
        params={
            "channels": Param(channels, "number of channels", low=1, high=1000),
            "cells_per_channel": Param(20, "cells carrying each channel", low=1, high=10_000),
            "peak_rate_hz": Param(peak_rate_hz, peak_help, low=0.0, high=1000.0, unit="Hz"),
        },
        input_rate=_rate,
        signal=signal,
        input_size=lambda p: p["channels"] * p["cells_per_channel"],
        rate_mode_params=lambda p: {**p, "cells_per_channel": 1},
    )


REGION = channel_input("salience", "per-channel cortical salience of competing actions (Gurney et al. 2001)",
                       "salience", 3, 100.0, "rate for a salience of 1")
