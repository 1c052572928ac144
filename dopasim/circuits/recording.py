"""What a session leaves behind: spikes, rates, weights and the closed loop's log, as numpy arrays.

A :class:`Recording` is plain data (seconds, Hz), independent of Brian2: the
measures, figures and NWB export read it, and :func:`check_finite` stops a run
whose rates or weights diverged before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: resolution of recorded rates and of population-rate estimates
RECORD_DT_MS = 10.0
#: rate units recorded per population in rate mode
RATE_SAMPLE = 20
#: synapses of a plastic projection whose weights are recorded over time, and how often
WEIGHT_SAMPLE = 200
WEIGHT_RECORD_DT_MS = 100.0


@dataclass
class Recording:
    """What one session left behind, as plain numpy arrays (seconds, Hz).

    Attributes
    ----------
    mode : str
        rate or spiking
    duration : float
        simulated time (s)
    sizes, kinds, channels : dict of str to int or str
        per region, its cells, its kind, its channels
    recorded : dict of str to ndarray
        per region, the indices of the recorded cells
    spikes : dict of str to (ndarray, ndarray)
        per region, spike times (s) and cell indices (spiking mode)
    rates : dict of str to (ndarray, ndarray)
        per region, sample times (s) and rates (Hz), recorded cells x times
    weights : dict of str to (ndarray, ndarray)
        per plastic projection, sample times and sampled weights
    final_weights : dict of str to (ndarray, ndarray, ndarray)
        per plastic projection, every synapse's pre, post and final weight
    weight_synapses : dict of str to ndarray
        per plastic projection, the indices of the sampled synapses
    events : dict of str to ndarray
        the task's log of every outcome (closed-loop tasks)
    timings : dict of str to float
        seconds spent building, compiling and simulating
    """

    mode: str
    duration: float
    sizes: dict[str, int]
    kinds: dict[str, str]
    channels: dict[str, int] = field(default_factory=dict)
    #: rate mode: which units of each region were recorded
    recorded: dict[str, np.ndarray] = field(default_factory=dict)
    spikes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    rates: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    weights: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: plastic projection -> (presynaptic index, postsynaptic index, weight) of every synapse
    final_weights: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: plastic projection -> indices of the synapses in ``weights``
    weight_synapses: dict[str, np.ndarray] = field(default_factory=dict)
    #: closed-loop tasks: the task variables logged at each trial's outcome
    events: dict[str, np.ndarray] = field(default_factory=dict)
    #: where the wall time went (s): ``network`` (building the Brian2 objects and generating code, Python),
    #: ``compile`` (writing the C++ project and compiling what changed), ``simulation`` (the compiled run)
    timings: dict[str, float] = field(default_factory=dict)

    def population_rate(self, region: str, bin_s: float = RECORD_DT_MS / 1000) -> tuple[np.ndarray, np.ndarray]:
        """Mean rate of ``region`` (Hz) in bins of ``bin_s``: (bin starts, rate).

        From the spikes of every cell in spiking mode, from the recorded units in rate mode.

        Parameters
        ----------
        region : str
            the region
        bin_s : float
            bin width (s)

        Examples
        --------
        >>> t, da = res.recording.population_rate("vta")        # doctest: +SKIP
        """
        t, rates = self.channel_rates(region, bin_s, by_channel=False)
        return t, rates[0]

    def channel_rates(self, region: str, bin_s: float = RECORD_DT_MS / 1000,
                      by_channel: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Mean rate (Hz) of each channel of ``region`` in bins of ``bin_s``: (bin starts, channels x bins).

        Parameters
        ----------
        region : str
            the region
        bin_s : float
            bin width (s)
        by_channel : bool
            one row per channel (False: the whole population in one row)
        """
        k = self.channels.get(region, 1) if by_channel else 1
        n_bins = int(round(self.duration / bin_s))
        starts = np.arange(n_bins) * bin_s
        if region in self.spikes:
            cells, times = self.spikes[region]
            per = self.sizes[region] // k
            b = np.minimum((times / bin_s).astype(int), n_bins - 1)
            counts = np.zeros((k, n_bins))
            np.add.at(counts, (np.minimum(cells // per, k - 1), b), 1)
            return starts, counts / (per * bin_s)
        t, r = self.rates[region]
        channel = self.recorded[region] * k // self.sizes[region]
        mean = np.array([r[channel == c].mean(axis=0) for c in range(k)])
        step = max(1, int(round(bin_s / (t[1] - t[0])))) if len(t) > 1 else 1
        usable = (mean.shape[1] // step) * step
        # a session ended early by the task records a step past its last whole trial: cut to the duration
        binned = mean[:, :usable].reshape(k, -1, step).mean(axis=2)[:, :n_bins]
        return starts[: binned.shape[1]], binned


class SimulationError(RuntimeError):
    """The simulation could not be built or run (not the user's input)."""


def check_finite(rec: "Recording", dt_s: float) -> None:
    """Stop a run whose rates or weights became NaN or infinite, naming where and when it diverged."""
    found = []
    for region, (t, rates) in rec.rates.items():
        bad = ~np.isfinite(rates)
        if bad.any():
            found.append((t[np.argmax(bad.any(axis=0))], f"region {region!r}: its rate"))
    for name, (t, w) in rec.weights.items():
        bad = ~np.isfinite(w)
        if bad.any():
            found.append((t[np.argmax(bad.any(axis=0))], f"projection {name!r}: its weights"))
    for name, (_, _, w) in rec.final_weights.items():
        if not np.all(np.isfinite(w)):
            found.append((rec.duration, f"projection {name!r}: its weights"))
    if found:
        when, what = min(found, key=lambda f: f[0])
        raise SimulationError(f"the simulation diverged: {what} became NaN or infinite by t = {when:.3f} s "
                              f"(dt {dt_s * 1000:g} ms); nothing was written")
