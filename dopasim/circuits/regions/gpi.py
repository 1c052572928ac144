"""GPi/SNr: the basal ganglia output, tonically inhibiting the thalamus.

A channel is selected when its GPi/SNr cells fall silent and release their
thalamic targets from inhibition (Chevalier & Deniau 1990; Gurney, Prescott &
Redgrave 2001). Inhibited by D1 striatum (direct pathway) and GPe, excited by
STN. GPR's threshold -0.2 is a +20 Hz baseline.
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="gpi",
    kind="pallidum",
    summary="GPi/SNr output nuclei: tonic inhibition of thalamus, paused for the selected channel",
    params=population_params(size=60, tau_ms=10.0, baseline_hz=20.0),
)
