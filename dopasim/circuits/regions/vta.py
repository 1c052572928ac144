"""VTA dopamine neurons: tonic pacemakers whose bursts and pauses are the RPE.

DA cells fire tonically at ``baseline_hz`` (about 5 Hz; Grace & Bunney 1984).
Their drive is the reward input plus value from the ventral striatum along two
routes: fast net excitation (disinhibition through the ventral pallidum) and slow
inhibition (striosomal GABA-B). Fast value minus slow value approximates
dV/dt, so the drive is r(t) + dV/dt, a continuous-time TD error (Houk, Adams &
Barto 1995; Schultz, Dayan & Montague 1997; Doya 2000). The deviation of their
rate from the tonic baseline is the dopamine signal that gates plasticity.

``asymmetry_spread`` > 0 makes the channels' cells scale positive and negative
errors differently (Dabney et al. 2020): channel c of K has the asymmetry
``tau_c = 0.5 + spread * (c / (K - 1) - 0.5)`` and multiplies the net input
(all synaptic drive, the tonic baseline aside) by ``2 tau_c`` above zero and
``2 (1 - tau_c)`` below. A value channel trained by such a cell's dopamine
settles at the ``tau_c``-expectile of the rewards, so optimistic cells
(``tau_c`` > 0.5) pair with high values: the population codes the distribution.
"""

import numpy as np

from dopasim.circuits.regions import RegionType, population_params
from dopasim.params import Param

DOPAMINE_PARAMS = {
    **population_params(size=100, tau_ms=20.0, baseline_hz=5.0),
    "asymmetry_spread": Param(0.0, "range of the channels' asymmetries tau (positive vs negative error "
                                   "scaling), centred on 0.5; 0: every cell symmetric", low=0.0, high=0.98),
}


def asymmetries(spread: float, channels: int) -> list[float]:
    """``tau`` of each channel: evenly spaced over ``0.5 +- spread / 2`` (all 0.5 for one channel)."""
    if channels == 1:
        return [0.5]
    return [0.5 + spread * (c / (channels - 1) - 0.5) for c in range(channels)]


def drive_inputs(params: dict, terms: list[str]) -> tuple[list[str], str]:
    """With an asymmetry spread, the net synaptic input is scaled by 2 tau above zero and 2 (1 - tau) below."""
    if params["asymmetry_spread"] <= 0 or not terms:
        return terms, ""
    return (["+ net_input * (gain_positive * int(net_input > 0*Hz) + gain_negative * int(net_input <= 0*Hz))"],
            f"net_input = 0*Hz {' '.join(terms)} : Hz\ngain_positive : 1 (constant)\ngain_negative : 1 (constant)\n")


def prepare(group, params: dict, channels: int) -> None:
    """Each cell's gains from its channel's asymmetry (distributional dopamine only)."""
    if params["asymmetry_spread"] > 0 and "net_input" in group.variables:
        taus = np.repeat(asymmetries(params["asymmetry_spread"], channels), len(group) // channels)
        group.gain_positive, group.gain_negative = 2 * taus, 2 * (1 - taus)


REGION = RegionType(
    name="vta",
    kind="dopamine",
    summary="dopamine neurons; burst/pause around a tonic rate = reward prediction error",
    params=DOPAMINE_PARAMS,
    drive_inputs=drive_inputs,
    prepare=prepare,
)
