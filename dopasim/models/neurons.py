"""Population equations at the two resolutions, driven by one rate-equivalent drive.

A population's ``drive`` (Hz) is its tonic baseline plus its synaptic inputs,
each an input current in Hz of rate equivalent. The same drive sets

* rate mode: a threshold-linear rate unit, ``tau drate/dt = [drive]_+ - rate``
  (Wilson & Cowan 1972, linearised);
* spiking mode: a leaky integrate-and-fire neuron with membrane noise whose mean
  depolarisation is ``V_OFFSET + MV_PER_HZ * drive``.

``V_OFFSET`` and ``MV_PER_HZ`` calibrate the noisy LIF (tau 20 ms, threshold 20 mV
above rest, 2 mV noise) onto the rate unit: measured over 0.2-45 Hz its rate is
within about 1 Hz of ``drive`` from 4 to 45 Hz, and 5.0 Hz at a drive of 5 Hz
(the DA tonic rate, which plasticity compares against). At a fixed membrane
noise the LIF rate scales as 1/tau (refractoriness aside), so for another
``tau`` the drive is scaled by tau / 20 ms and the calibration carries over
(tests/test_neurons.py checks 10 and 20 ms), so the same graph and parameters
mean the same thing in both modes.
"""

from brian2 import Hz, mV, ms

V_REST = -70 * mV
V_THRESHOLD = -50 * mV
V_RESET = -65 * mV
REFRACTORY = 2 * ms
NOISE = 2 * mV
TAU_CALIBRATED = 20 * ms
V_OFFSET = 15.15 * mV
MV_PER_HZ = 0.28 * mV / Hz

RATE_UNIT = """
drate/dt = (clip(drive, 0*Hz, max_rate) - rate) / tau : Hz
"""

LIF = """
dv/dt = (V_REST - v + V_OFFSET + MV_PER_HZ * drive * tau / TAU_CALIBRATED) / tau + NOISE * sqrt(2 / tau) * xi : volt (unless refractory)
"""

LIF_NAMESPACE = dict(TAU_CALIBRATED=TAU_CALIBRATED, V_REST=V_REST, V_THRESHOLD=V_THRESHOLD, V_RESET=V_RESET, V_OFFSET=V_OFFSET, MV_PER_HZ=MV_PER_HZ, NOISE=NOISE)
LIF_THRESHOLD = "v > V_THRESHOLD"
LIF_RESET = "v = V_RESET"


#: an Ornstein-Uhlenbeck fluctuation of the drive (Hz), independent per cell, in both modes
DRIVE_NOISE = "dnoise/dt = -noise / noise_tau + noise_sd * sqrt(2 / noise_tau) * xi_noise : Hz\n"


def input_current(name: str, mode: str, pooled: bool = False) -> str:
    """Equations of one synaptic input current (Hz), low-pass filtered with ``tau_<name>``.

    Rate mode filters the presynaptic input ``<name>_in``: summed over synapses,
    or, for a uniform all-to-all projection (``pooled``), linked to the source's
    mean rate times the weight. Spiking mode decays between spikes, each of
    which adds ``w / (N_incoming tau)``. All have the same mean,
    ``weight x mean presynaptic rate``.
    """
    if mode == "rate":
        flag = " (linked)" if pooled else ""
        return f"d{name}/dt = ({name}_in * gain_{name} - {name}) / tau_{name} : Hz\n{name}_in : Hz{flag}\n"
    return f"d{name}/dt = -{name} / tau_{name} : Hz\n"
