"""The resting state: STN/GPe activity and its spectrum, beta band marked.
"""

from __future__ import annotations

from dopasim.analysis.plots.common import finish, subplots


def lfp_spectrum(res, ax=None):
    """The rest task: a stretch of the STN/GPe LFP proxy and the power spectra, beta band shaded.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of rest
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    from dopasim.analysis.spectra import BETA_HZ, power_spectrum

    t, lfp, rates = res.task.lfp(res.recording)
    keep = t >= res.task.settle
    fs = 1 / (t[1] - t[0])
    fig, (top, bottom) = subplots(ax, 2, 1, figsize=(7, 6))
    shown = keep & (t < res.task.settle + 1.0)
    for name, x in rates.items():
        top.plot(t[shown], x[shown], lw=0.8, label=name.upper())
    top.set(xlabel="time (s)", ylabel="population rate (Hz)", title="spontaneous activity (1 s)")
    top.legend(fontsize=8, frameon=False)
    for name, x in {**rates, "lfp (stn+gpe)": lfp}.items():
        f, p = power_spectrum(x[keep], fs)
        bottom.semilogy(f[f >= 1], p[f >= 1], lw=1.2, label=name)
    bottom.axvspan(*BETA_HZ, color="#c44e52", alpha=0.12, label="beta 13-30 Hz")
    bottom.set(xlabel="frequency (Hz)", ylabel="power (Hz$^2$/Hz)", xlim=(1, min(100, fs / 2)),
               title=f"power spectrum ({res.graph.name}{', lesioned' if res.graph.lesions else ''})")
    bottom.legend(fontsize=8, frameon=False)
    return finish(fig)
