"""Globus pallidus externus: GABAergic, inhibited by D2 striatum, excited by STN.

It regulates the STN and the GPi/SNr channel by channel, the control pathway of
Gurney, Prescott & Redgrave (2001). GPR's threshold -0.2 is a +20 Hz baseline.
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="gpe",
    kind="pallidum",
    summary="globus pallidus externus: indirect-pathway relay that tunes STN and GPi",
    params=population_params(size=60, tau_ms=10.0, baseline_hz=20.0),
)
