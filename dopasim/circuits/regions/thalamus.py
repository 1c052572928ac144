"""Motor thalamus (VA/VL): the channel released from GPi/SNr inhibition is the action.

Thalamic cells have a tonic drive (30 Hz) that the basal ganglia output holds
down to a few Hz;
disinhibition of a channel lets it fire and carry the action back to cortex
(Chevalier & Deniau 1990; Humphries & Gurney 2002).
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="thalamus",
    kind="thalamus",
    summary="motor thalamus: the disinhibited channel is the selected action",
    params=population_params(size=60, tau_ms=10.0, baseline_hz=30.0),
)
