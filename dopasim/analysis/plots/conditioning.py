"""Pavlovian figures: the transfer of the DA burst, learned value, DA beside the TD error, the
distributional code (Schultz, Dayan & Montague 1997; Dabney et al. 2020).
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.plots.common import finish, legend, mark_events, plt, subplots


def _trial_matrix(res, region):
    t, rate = res.recording.population_rate(region)
    per_trial = int(round(res.task.duration / (t[1] - t[0])))
    n = len(res.trials["trial"])
    return np.arange(per_trial) * (t[1] - t[0]), rate[: n * per_trial].reshape(n, per_trial)


def _plot_by_block(ax, res, t, m, ylabel, title):
    """Mean time course of the rewarded trials in four blocks of training."""
    edges = np.unique(np.linspace(0, len(m), 5).astype(int))
    rewarded = res.trials["omitted"] == 0
    for a, b, c in zip(edges[:-1], edges[1:], plt.cm.viridis(np.linspace(0, 0.9, 4))):
        if rewarded[a:b].any():
            ax.plot(t, m[a:b][rewarded[a:b]].mean(axis=0), color=c, label=f"trials {a}-{b - 1}")
    mark_events(ax, res.task)
    ax.set_xlabel("time in trial (s)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def dopamine_transfer(res, ax=None, region="vta"):
    """The DA response at the CS and at the US, trial by trial and by block of training.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    region : str
        the dopamine region to show
    """
    t, m = _trial_matrix(res, region)
    fig, (ax1, ax2) = subplots(ax, 1, 2, figsize=(11, 4))
    im = ax1.imshow(m, aspect="auto", origin="lower", extent=[t[0], t[-1], 0, len(m)], cmap="magma",
                    vmax=np.percentile(m, 99.5))
    fig.colorbar(im, ax=ax1, label="DA population rate (Hz)")
    ax1.set_xlabel("time in trial (s)")
    ax1.set_ylabel("trial")
    ax1.set_title("dopamine across training")
    _plot_by_block(ax2, res, t, m, "DA rate (Hz)", "burst moves from US (red) to CS (blue)")
    omitted = res.trials["omitted"] == 1
    if omitted[len(m) // 2:].any():
        late = np.flatnonzero(omitted)[np.flatnonzero(omitted) >= len(m) // 2]
        ax2.plot(t, m[late].mean(axis=0), color="k", ls="--", label="omitted (late)")
    legend(ax2)
    return finish(fig)


def value(res, ax=None, region="ventral_striatum"):
    """The ventral striatum's rate (the learned value) over the CS-US interval, by block of training.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    region : str
        the value (ventral striatal) region to show
    """
    t, m = _trial_matrix(res, region)
    fig, ax = subplots(ax, figsize=(6, 4))
    _plot_by_block(ax, res, t, m, "ventral striatal rate = value (Hz)", "learned value over the CS-US interval")
    legend(ax)
    return finish(fig)


def da_vs_td(res, ax=None):
    """The circuit's DA response beside the reference TD error on the same trials, with their scatter and r.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    tr = res.trials
    fig, axes = subplots(ax, 2, 2, figsize=(10, 6.5), gridspec_kw={"width_ratios": [2.2, 1]})
    for row, event in enumerate(("cs", "us")):
        ax, sc = axes[row]
        ax.plot(tr["trial"], tr[f"da_{event}"], ".", color="#c44e52", ms=4, label="circuit DA (Hz)")
        ax.set_ylabel(f"DA at {event.upper()} (Hz)", color="#c44e52")
        twin = ax.twinx()
        twin.plot(tr["trial"], tr[f"td_{event}"], color="k", lw=1.2, label="reference TD error")
        twin.set_ylabel("TD(lambda) error", fontsize=9)
        ax.set_title(f"{event.upper()}: circuit DA vs reference TD error", fontsize=10)
        r = res.summary.get(f"corr_da_td_{event}")
        sc.plot(tr[f"td_{event}"], tr[f"da_{event}"], ".", ms=4, color="#555555")
        sc.set_xlabel("TD error")
        sc.set_ylabel("DA (Hz)")
        sc.set_title("r = " + ("n/a" if r is None else f"{r:.2f}"), fontsize=10)
    axes[-1, 0].set_xlabel("trial")
    return finish(fig)


def distributional(res, ax=None):
    """Each DA channel's US response against magnitude, reversal point against asymmetry, decoded distribution.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of variable_magnitude
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    from dopasim.analysis.distributional import decode

    tr, task = res.trials, res.task
    late = (tr["trial"] >= len(tr["trial"]) // 2) & (tr["omitted"] == 0)
    rows = task.neurons(tr)
    columns = sorted(c for c in tr if c.startswith("da_us_ch"))
    colours = plt.cm.coolwarm(np.linspace(0, 1, len(columns)))
    fig, (ax1, ax2, ax3) = subplots(ax, 1, 3, figsize=(14, 4))
    for c, colour in zip(columns, colours):
        means = [tr[c][late & (tr["magnitude"] == m)].mean() for m in task.magnitudes]
        ax1.plot(task.magnitudes, means, "o-", color=colour, ms=3, lw=1)
    ax1.axhline(0, color="k", lw=0.8)
    ax1.set_xlabel("reward magnitude")
    ax1.set_ylabel("DA response at the US (Hz)")
    ax1.set_title("each DA channel (blue: pessimistic, red: optimistic)", fontsize=10)
    ax2.scatter(rows["asymmetry"], rows["reversal_point"], c=colours, edgecolor="k", label="circuit (measured)")
    if "ref_reversal_point" in rows:
        ax2.plot(rows["ref_asymmetry"], rows["ref_reversal_point"], "k--", lw=1, label="expectile TD (reference)")
    r = res.summary.get("asymmetry_reversal_corr")
    ax2.set_xlabel("asymmetry  a+ / (a+ + a-)")
    ax2.set_ylabel("reversal point (magnitude)")
    ax2.set_title("reversal points rise with asymmetry: r = " + ("n/a" if r is None else f"{r:.2f}"), fontsize=10)
    legend(ax2)
    ok = np.isfinite(rows["asymmetry"]) & np.isfinite(rows["reversal_point"])
    width = np.ptp(task.magnitudes) / 20 or 0.05
    ax3.bar(task.magnitudes, task.probs, width=width, color="#999999", label="true distribution")
    if ok.sum() >= 2:
        decoded = decode(rows["asymmetry"][ok], rows["reversal_point"][ok])
        bins = np.arange(decoded.min(), decoded.max() + width, width)
        ax3.hist(decoded, bins=bins, weights=np.full(len(decoded), 1 / len(decoded)), color="#c44e52",
                 alpha=0.6, label="decoded from DA")
    ax3.set_xlabel("reward magnitude")
    ax3.set_ylabel("probability")
    ax3.set_title("reward distribution decoded from the DA population", fontsize=10)
    legend(ax3)
    return finish(fig)


def dopamine_by_type(res, ax=None, region="vta"):
    """A protocol's DA time course by phase (one panel each) and trial type (one line each), over the second
    half of each phase's trials of that type; each type's cue onsets (dotted) and reward time (dashed) marked.

    ``ax``: one Axes per phase.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) with a protocol
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    region : str
        the dopamine region to show
    """
    t, m = _trial_matrix(res, region)
    protocol, tr = res.task.protocol, res.trials
    fig, axes = subplots(ax, 1, len(protocol.phases), figsize=(4.2 * len(protocol.phases), 3.6), squeeze=False)
    for panel, phase in zip(axes.flat, protocol.phases):
        for k, kind in enumerate(phase.types):
            rows = np.flatnonzero((tr["phase"] == phase.name) & (tr["trial_type"] == kind.name))
            rows = rows[len(rows) // 2:]
            if not len(rows):
                continue
            colour = f"C{k % 10}"
            panel.plot(t, m[rows].mean(axis=0), color=colour, label=f"{kind.name} ({len(rows)})")
            for shown in kind.cues:
                panel.axvline(shown.onset_ms / 1000, color=colour, lw=0.8, ls=":")
            if kind.expected_at_ms >= 0:
                panel.axvline(kind.expected_at_ms / 1000, color=colour, lw=0.8, ls="--")
        panel.set(xlabel="time in trial (s)", title=f"{phase.name} (second half)")
        legend(panel)
    axes.flat[0].set_ylabel("DA population rate (Hz)")
    fig.suptitle(f"dopamine by phase and trial type, protocol {protocol.name!r}, {res.mode} mode", fontsize=10)
    return finish(fig)
