"""VTA dopamine neurons: tonic pacemakers whose bursts and pauses are the RPE.

DA cells fire tonically at ``baseline_hz`` (about 5 Hz; Grace & Bunney 1984).
Their drive is the reward input plus value from the ventral striatum along two
routes: fast net excitation (disinhibition through the ventral pallidum) and slow
inhibition (striosomal GABA-B). Fast value minus slow value approximates
dV/dt, so the drive is r(t) + dV/dt, a continuous-time TD error (Houk, Adams &
Barto 1995; Schultz, Dayan & Montague 1997; Doya 2000). The deviation of their
rate from the tonic baseline is the dopamine signal that gates plasticity.
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="vta",
    kind="dopamine",
    summary="dopamine neurons; burst/pause around a tonic rate = reward prediction error",
    params=population_params(size=100, tau_ms=20.0, baseline_hz=5.0),
)
