"""Striatum: medium spiny neurons, D1 ("Go", direct pathway) or D2 ("NoGo", indirect).

In the critic (ventral striatum / nucleus accumbens) the population rate is the
value of the current state, V(t) = sum_i w_i x_i(t) over cortical inputs, learned
by dopamine-gated corticostriatal plasticity (Houk, Adams & Barto 1995;
Reynolds, Hyland & Wickens 2001). MSNs are silent without cortical drive, hence
a zero baseline.

``dopamine_receptor`` sets how dopamine gates their corticostriatal plasticity:
D1 cells potentiate on bursts and depress on dips, D2 cells the reverse, so Go
learns from better-than-expected and NoGo from worse-than-expected outcomes
(Shen et al. 2008; Frank 2005).

The resting dopamine level sets how strongly their receptors register a burst
or a dip (receptor occupancy near the resting level, see
:mod:`dopasim.circuits.dopamine`): 1 in an intact circuit, moved only when a
lesion or a drug moves the resting level.
"""

from dopasim.circuits.regions import RegionType, population_params
from dopasim.params import Param

REGION = RegionType(
    name="striatum",
    kind="striatum",
    summary="medium spiny neurons; population rate = learned value",
    params={**population_params(size=100, tau_ms=20.0, baseline_hz=0.0),
            "dopamine_receptor": Param("d1", "d1: bursts potentiate, dips depress; d2: the reverse",
                                       choices=("d1", "d2"))},
    receptor=lambda params: params["dopamine_receptor"],
)
