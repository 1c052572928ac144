"""A population of cortical neurons, for networks beyond the basal ganglia loop.

Excitatory or inhibitory by the signs of the projections it sends; recurrent
projections (a region onto itself) are allowed. With ``da_stdp`` projections
and a dopamine region it builds the dopamine-modulated STDP network of
Izhikevich (2007) (benchmarks/da_stdp.py).
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="cortical_population",
    kind="cortex",
    summary="cortical neurons (excitatory or inhibitory by their projections), e.g. Izhikevich (2007)'s network",
    params=population_params(size=800, tau_ms=20.0, baseline_hz=0.0),
)
