"""Distributional dopamine: per-neuron asymmetry and reversal point, expectiles, decoding.

Dabney et al. (2020) recorded DA neurons' responses to rewards of several
magnitudes. Each neuron's response changes sign at its *reversal point* and
grows more steeply on one side than the other; its *asymmetry* is
``tau = slope_above / (slope_above + slope_below)``. If each neuron's paired
value channel learns with that asymmetry, the reversal point is the
``tau``-expectile of the reward distribution, so the population's reversal
points rise with asymmetry, and the distribution can be decoded from the pairs
``(tau, reversal point)`` by finding samples whose expectiles match them
(the imputation of Rowland et al. 2019 and Dabney et al. 2020).

As in Dabney et al., asymmetry and reversal point are measured on disjoint
halves of the trials, so that noise shared by both cannot correlate them.
"""

from __future__ import annotations

import numpy as np


def expectile(samples, tau: float, weights=None) -> float:
    """The ``tau``-expectile: the ``e`` at which ``tau E[(X - e)+] = (1 - tau) E[(e - X)+]`` (0.5: the mean).

    Parameters
    ----------
    samples : array-like
        the values
    tau : float
        the asymmetry, 0 to 1 (0.5: the mean)
    weights : array-like
        optional: the samples' probabilities
    """
    x = np.asarray(samples, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    lo, hi = float(x.min()), float(x.max())
    for _ in range(100):  # bisection: the imbalance falls as e rises
        e = (lo + hi) / 2
        above = np.sum(w * np.clip(x - e, 0, None))
        below = np.sum(w * np.clip(e - x, 0, None))
        lo, hi = (e, hi) if tau * above > (1 - tau) * below else (lo, e)
    return (lo + hi) / 2


def _slopes(d: np.ndarray, r: np.ndarray) -> tuple[float, float, float]:
    """Least-squares slopes above and below 0 of lines through the origin, and the squared error left."""
    up, down = d > 0, d < 0
    slope_up = np.sum(r[up] * d[up]) / np.sum(d[up] ** 2) if up.any() else np.nan
    slope_down = np.sum(r[down] * d[down]) / np.sum(d[down] ** 2) if down.any() else np.nan
    fitted = np.where(up, d * np.nan_to_num(slope_up), d * np.nan_to_num(slope_down))
    return slope_up, slope_down, float(np.sum((r - fitted) ** 2))


def reversal_point(magnitudes, responses, grid: int = 400) -> float:
    """The kink of the best piecewise-linear fit ``a+ [m - e]+ - a- [e - m]+`` (NaN without a sign change).

    A straight line between the two magnitudes on either side of the sign
    change would bias the crossing toward the steeper side; the two-slope fit
    does not.

    Parameters
    ----------
    magnitudes : array-like
        reward magnitudes, one per trial
    responses : array-like
        the cell's response on each trial
    grid : int
        candidate kinks tried between the smallest and largest magnitude
    """
    m, r = np.asarray(magnitudes, dtype=float), np.asarray(responses, dtype=float)
    if not (r.min() < 0 < r.max()):
        return float("nan")
    best, found = np.inf, float("nan")
    for e in np.linspace(m.min(), m.max(), grid)[1:-1]:
        slope_up, slope_down, error = _slopes(m - e, r)
        if slope_up > 0 and slope_down > 0 and error < best:
            best, found = error, float(e)
    return found


def asymmetry(magnitudes, responses, reversal: float) -> float:
    """``slope_above / (slope_above + slope_below)`` of responses about ``reversal`` (NaN if a side is empty).

    Each slope is the least-squares line through the reversal point on its side.

    Parameters
    ----------
    magnitudes : array-like
        reward magnitudes, one per trial
    responses : array-like
        the cell's response on each trial
    reversal : float
        the cell's reversal point
    """
    if not np.isfinite(reversal):
        return float("nan")
    slope_up, slope_down, _ = _slopes(np.asarray(magnitudes, dtype=float) - reversal,
                                      np.asarray(responses, dtype=float))
    if not (slope_up > 0 and slope_down > 0):  # NaN (a side without magnitudes) fails too
        return float("nan")
    return float(slope_up / (slope_up + slope_down))


def neuron_table(magnitude, responses) -> dict[str, np.ndarray]:
    """Per-neuron ``asymmetry`` and ``reversal_point`` from trials x neurons ``responses`` to ``magnitude``.

    Reversal points come from the even trials, asymmetries (about those
    reversal points) from the odd ones. A magnitude that a half lacks (a rare
    one) is left out of that half's curve.
    """
    magnitude, responses = np.asarray(magnitude, dtype=float), np.asarray(responses, dtype=float)
    halves = [np.arange(len(magnitude)) % 2 == k for k in (0, 1)]

    def mean_curve(rows, neuron):
        levels = np.unique(magnitude[rows])
        return levels, np.array([responses[rows & (magnitude == m), neuron].mean() for m in levels])

    reversal, tau = [], []
    for neuron in range(responses.shape[1]):
        reversal.append(reversal_point(*mean_curve(halves[0], neuron)))
        tau.append(asymmetry(*mean_curve(halves[1], neuron), reversal[-1]))
    return {"neuron": np.arange(responses.shape[1]), "asymmetry": np.array(tau),
            "reversal_point": np.array(reversal)}


def decode(taus, expectiles, n_samples: int = 100, restarts: int = 5, seed: int = 0) -> np.ndarray:
    """Samples whose ``taus``-expectiles match ``expectiles`` best (NaN pairs ignored).

    Minimises the squared expectile conditions (the first-order conditions of
    the expectile loss) over ``n_samples`` free samples, from ``restarts``
    random starts; samples stay within the expectiles' range widened by that
    range on either side. Returns the best fit, sorted.

    Parameters
    ----------
    taus : array-like
        each cell's asymmetry
    expectiles : array-like
        each cell's reversal point
    n_samples : int
        free samples of the decoded distribution
    restarts : int
        random starts of the minimisation
    seed : int
        seeds the starts
    """
    from scipy.optimize import minimize

    taus, e = np.asarray(taus, dtype=float), np.asarray(expectiles, dtype=float)
    ok = np.isfinite(taus) & np.isfinite(e)
    taus, e = taus[ok], e[ok]
    if len(e) < 2:
        raise ValueError("decoding a distribution needs at least two neurons with an asymmetry and a reversal point")

    def loss(z):
        d = z[None, :] - e[:, None]
        grad_terms = np.where(d > 0, taus[:, None], 1 - taus[:, None])
        cond = (grad_terms * d).mean(axis=1)  # tau E[(z - e)+] - (1 - tau) E[(e - z)+]
        gradient = 2 * (cond[:, None] * grad_terms).sum(axis=0) / len(z)
        return float(np.sum(cond ** 2)), gradient

    rng = np.random.default_rng(seed)
    spread = e.max() - e.min()
    lo, hi = e.min() - spread, e.max() + spread
    best = None
    for _ in range(restarts):
        start = rng.uniform(lo, hi, n_samples)
        found = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(lo, hi)] * n_samples)
        if best is None or found.fun < best.fun:
            best = found
    return np.sort(best.x)


def modes(samples, bandwidth: float, prominence: float = 0.2) -> int:
    """Peaks of the samples' Gaussian kernel density (``bandwidth`` wide) standing out by ``prominence`` of the highest.

    Parameters
    ----------
    samples : array-like
        samples of a distribution
    bandwidth : float
        the kernel's s.d.
    prominence : float
        a peak counts if it stands out by this fraction of the highest
    """
    from scipy.signal import find_peaks

    x = np.asarray(samples, dtype=float)
    grid = np.linspace(x.min() - 3 * bandwidth, x.max() + 3 * bandwidth, 512)
    density = np.exp(-0.5 * ((grid[:, None] - x[None, :]) / bandwidth) ** 2).sum(axis=1)
    peaks, _ = find_peaks(density, prominence=prominence * density.max())
    return len(peaks)
