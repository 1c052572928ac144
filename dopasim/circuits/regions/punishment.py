"""Punishment input: the volley that an aversive outcome (an "Incorrect!") sends to the dopamine cells.

Aversive events and negative feedback excite the lateral habenula, which
inhibits the dopamine cells through the GABAergic rostromedial tegmental
nucleus, so that they pause (Matsumoto & Hikosaka 2007; Hong et al. 2011).
Cells fire at ``peak_rate_hz`` times the punishment's magnitude for the
outcome's duration (Poisson in spiking mode); the projection onto the DA cells
is inhibitory, with the reward input's slow kernel, so a punishment dips them
as a reward of the same size bursts them.
"""

from dopasim.circuits.regions import RegionType
from dopasim.circuits.regions.reward import REGION as REWARD
from dopasim.params import Param

REGION = RegionType(
    name="punishment",
    kind="input",
    summary="punishment (negative feedback) input via the lateral habenula, rate proportional to its magnitude",
    params={
        "size": REWARD.params["size"],
        "peak_rate_hz": Param(100.0, "firing rate for a punishment of magnitude 1", low=0.0, high=1000.0,
                              unit="Hz"),
    },
    input_rate=REWARD.input_rate,
    signal="punishment",
    input_size=REWARD.input_size,
)
