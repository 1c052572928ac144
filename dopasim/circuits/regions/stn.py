"""Subthalamic nucleus: glutamatergic, driven by cortex (hyperdirect) and GPe.

Its output is diffuse: each STN channel excites every GPi/SNr and GPe channel,
the "off-centre" of the selection mechanism (Gurney, Prescott & Redgrave 2001;
Mink 1996). Tonically active; GPR's threshold -0.25 is a +25 Hz baseline at
100 Hz per model unit.
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="stn",
    kind="pallidum",
    summary="subthalamic nucleus: diffuse excitation of GPe and GPi",
    params=population_params(size=60, tau_ms=10.0, baseline_hz=25.0),
)
