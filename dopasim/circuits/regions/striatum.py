"""Striatum: medium spiny neurons whose summed activity is learned value.

In the critic (ventral striatum / nucleus accumbens) the population rate is the
value of the current state, V(t) = sum_i w_i x_i(t) over cortical inputs, learned
by dopamine-gated corticostriatal plasticity (Houk, Adams & Barto 1995;
Reynolds, Hyland & Wickens 2001). MSNs are silent without cortical drive, hence
a zero baseline.
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="striatum",
    kind="striatum",
    summary="medium spiny neurons; population rate = learned value",
    params=population_params(size=100, tau_ms=20.0, baseline_hz=0.0),
)
