"""SNc dopamine neurons: the dopamine source of the dorsal striatum (the actor).

They share the VTA cells' model (tonic pacemakers, ``baseline_hz`` about 5 Hz;
bursts and pauses are the RPE) and receive the same value and reward inputs, so
the actor learns from the critic's error, as in the actor-critic of Barto (1995)
and Joel, Niv & Ruppin (2002). Parkinson's disease is the loss of these cells.
"""

from dopasim.circuits.regions import RegionType
from dopasim.circuits.regions.vta import DOPAMINE_PARAMS, drive_inputs, prepare

REGION = RegionType(
    name="snc",
    kind="dopamine",
    summary="nigrostriatal dopamine neurons; the RPE that trains the dorsal striatum",
    params=DOPAMINE_PARAMS,
    drive_inputs=drive_inputs,
    prepare=prepare,
)
