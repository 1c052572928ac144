"""Spectra of population activity: an LFP proxy and its beta band.

The local field potential of the STN and GPe is dominated by their synaptic
currents, which follow the populations' summed activity; the summed population
rate is the usual proxy in models of parkinsonian beta (Holgado, Terry & Bogacz
2010; Kumar et al. 2011). Its power spectrum is Welch's estimate (scipy). Beta
(13-30 Hz) is quantified two ways: the fraction of the power between
``LOW_HZ`` and the top frequency that falls in the band, and the height of the
band's largest peak over the median power outside the band (a clear peak is
several times that median; a flat or 1/f spectrum gives about 1).
"""

from __future__ import annotations

import numpy as np

BETA_HZ = (13.0, 30.0)
#: power below this is the slow drift of a finite recording, not rhythm
LOW_HZ = 4.0


def power_spectrum(signal: np.ndarray, fs: float, segment_s: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Welch's power spectral density of ``signal`` sampled at ``fs`` Hz: (frequencies, power).

    Parameters
    ----------
    signal : ndarray
        the signal (e.g. the LFP proxy)
    fs : float
        its sampling rate (Hz)
    segment_s : float
        Welch segment length (s)
    """
    from scipy.signal import welch

    signal = np.asarray(signal, dtype=float)
    nperseg = max(8, min(len(signal), int(round(segment_s * fs))))
    return welch(signal - signal.mean(), fs=fs, nperseg=nperseg)


def band_measures(freqs: np.ndarray, power: np.ndarray, band: tuple[float, float] = BETA_HZ) -> dict[str, float]:
    """``fraction`` of the power (LOW_HZ to the top) in ``band``, the band's ``peak_hz`` and ``peak_ratio``.

    A peak is a local maximum of the spectrum inside the band; the slope of a
    peak outside it (rising to the band's edge) is none: ``peak_hz`` is then
    NaN and ``peak_ratio`` 0.

    Parameters
    ----------
    freqs : ndarray
        frequencies (Hz)
    power : ndarray
        power at each
    band : tuple of float
        the band's edges (Hz)
    """
    usable = freqs >= LOW_HZ
    inside = usable & (freqs >= band[0]) & (freqs <= band[1])
    outside = usable & ~inside
    total = power[usable].sum()
    local_max = np.zeros_like(inside)
    local_max[1:-1] = (power[1:-1] >= power[:-2]) & (power[1:-1] >= power[2:])
    candidates = inside & local_max
    if not candidates.any() or total <= 0:
        return {"fraction": float(power[inside].sum() / total) if total > 0 else 0.0, "peak_hz": float("nan"),
                "peak_ratio": 0.0}
    peak = np.argmax(np.where(candidates, power, -np.inf))
    floor = np.median(power[outside]) if outside.any() else 0.0
    return {"fraction": float(power[inside].sum() / total), "peak_hz": float(freqs[peak]),
            "peak_ratio": float(power[peak] / floor) if floor > 0 else float("inf")}
