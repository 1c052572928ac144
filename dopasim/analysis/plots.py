"""The figures a person looks at first.

``write_figures`` writes, for a Pavlovian run:

* ``circuit.png``: the circuit graph, regions coloured by kind;
* ``activity.png``: population activity in the first and last trials (raster in
  spiking mode, rates in rate mode);
* ``dopamine_transfer.png``: DA population rate across trial time and trials,
  the classic transfer of the burst from US to CS;
* ``value.png``: ventral striatal rate (value) across trial time, by block;
* ``da_vs_td.png``: the circuit's DA responses beside the reference TD errors.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402

KIND_COLOURS = {
    "input": "#9e9e9e", "cortex": "#4c72b0", "striatum": "#55a868", "dopamine": "#c44e52",
    "pallidum": "#8172b2", "thalamus": "#ccb974", "hippocampus": "#64b5cd",
}
#: sign -> (colour, arrow head, line style)
SIGN_STYLE = {"excitatory": ("#333333", "-|>", "-"), "inhibitory": ("#1f5fbf", "-[", "-"),
              "dopamine": ("#c44e52", "-|>", "--")}


def draw_circuit(graph, ax=None):
    """Draw a :class:`CircuitGraph`: nodes coloured by region kind, edges by sign."""
    g = graph.graph
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 4.5))
    pos = nx.shell_layout(g) if g.number_of_nodes() > 2 else nx.spring_layout(g, seed=0)
    colours = [KIND_COLOURS.get(d["kind"], "#dddddd") for _, d in g.nodes(data=True)]
    nx.draw_networkx_nodes(g, pos, node_color=colours, node_size=2200, ax=ax)
    nx.draw_networkx_labels(g, pos, labels={n: n.replace("_", "\n") for n in g}, font_size=8, ax=ax)
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        colour, head, line = SIGN_STYLE[d["sign"]]
        parallel = list(g.get_edge_data(u, v))  # bend parallel projections apart
        rad = 0.15 + 0.15 * len(parallel) * parallel.index(k)
        ax.annotate("", xy=pos[v], xytext=pos[u],
                    arrowprops=dict(arrowstyle=head, color=colour, shrinkA=25, shrinkB=25, lw=1.5,
                                    linestyle=line, connectionstyle=f"arc3,rad={rad}"))
        mid = (np.asarray(pos[u]) + np.asarray(pos[v])) / 2
        ax.text(*(mid + 0.08 * (i % 3 - 1)), k + (" *" if d["rule"] else ""), fontsize=7, color=colour,
                ha="center")
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=k, markersize=9)
               for k, c in KIND_COLOURS.items() if k in {d["kind"] for _, d in g.nodes(data=True)}]
    handles += [plt.Line2D([], [], color=colour, ls=line, label=sign)
                for sign, (colour, _, line) in SIGN_STYLE.items()]
    ax.legend(handles=handles, fontsize=7, loc="lower left", frameon=False)
    ax.set_title(f"circuit '{graph.name}'  (* = plastic)", fontsize=10)
    ax.axis("off")
    return ax


def _trial_matrix(res, region):
    t, rate = res.recording.population_rate(region)
    per_trial = int(round(res.task.duration / (t[1] - t[0])))
    n = len(res.trials["trial"])
    return np.arange(per_trial) * (t[1] - t[0]), rate[: n * per_trial].reshape(n, per_trial)


def _mark_events(ax, task):
    ax.axvline(task.cs, color="#4c72b0", lw=0.8, ls=":")
    ax.axvline(task.us, color="#c44e52", lw=0.8, ls=":")


def _legend(ax):
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)


def _plot_by_block(ax, res, t, m, ylabel, title):
    """Mean time course of the rewarded trials in four blocks of training."""
    edges = np.unique(np.linspace(0, len(m), 5).astype(int))
    rewarded = res.trials["omitted"] == 0
    for a, b, c in zip(edges[:-1], edges[1:], plt.cm.viridis(np.linspace(0, 0.9, 4))):
        if rewarded[a:b].any():
            ax.plot(t, m[a:b][rewarded[a:b]].mean(axis=0), color=c, label=f"trials {a}-{b - 1}")
    _mark_events(ax, res.task)
    ax.set_xlabel("time in trial (s)")
    ax.set_ylabel(ylabel)
    ax.set_title(title)


def activity(res, path):
    rec, task = res.recording, res.task
    regions = [r for r in rec.sizes if r in rec.spikes or r in rec.rates]
    n = len(res.trials["trial"])
    shown = [("first trial", 0), ("last trial", n - 1)]
    fig, axes = plt.subplots(len(regions), 2, figsize=(10, 1.6 * len(regions) + 1), sharex=True, squeeze=False)
    for col, (label, k) in enumerate(shown):
        t0 = k * task.duration
        for row, region in enumerate(regions):
            ax = axes[row, col]
            if region in rec.spikes:
                i, t = rec.spikes[region]
                sel = (t >= t0) & (t < t0 + task.duration)
                ax.plot(t[sel] - t0, i[sel], "|", ms=2, color=KIND_COLOURS.get(rec.kinds[region], "k"))
                ax.set_ylabel(f"{region}\ncell", fontsize=8)
            elif rec.kinds[region] in ("input", "cortex"):
                # stimulus representations: each recorded unit's rate, the rate-mode analogue of a raster
                tt, r = rec.rates[region]
                sel = (tt >= t0) & (tt < t0 + task.duration)
                ax.imshow(r[:, sel], aspect="auto", origin="lower", cmap="Greys", interpolation="nearest",
                          extent=[0, task.duration, 0, len(r)])
                ax.set_ylabel(f"{region}\nunit", fontsize=8)
            else:
                tt, r = rec.rates[region]
                sel = (tt >= t0) & (tt < t0 + task.duration)
                ax.plot(tt[sel] - t0, r[:, sel].mean(axis=0), color=KIND_COLOURS.get(rec.kinds[region], "k"))
                ax.set_ylabel(f"{region}\nHz", fontsize=8)
            _mark_events(ax, task)
        axes[0, col].set_title(f"{label} ({k})", fontsize=10)
        axes[-1, col].set_xlabel("time in trial (s)")
    fig.suptitle(f"population activity, {res.mode} mode (dotted: CS blue, US red)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def dopamine_transfer(res, path, region="vta"):
    t, m = _trial_matrix(res, region)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4))
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
    _legend(ax2)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def value(res, path, region="ventral_striatum"):
    t, m = _trial_matrix(res, region)
    fig, ax = plt.subplots(figsize=(6, 4))
    _plot_by_block(ax, res, t, m, "ventral striatal rate = value (Hz)", "learned value over the CS-US interval")
    _legend(ax)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def da_vs_td(res, path):
    tr = res.trials
    fig, axes = plt.subplots(2, 2, figsize=(10, 6.5), gridspec_kw={"width_ratios": [2.2, 1]})
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
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_figures(res, folder: Path) -> None:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    fig, ax = plt.subplots(figsize=(6.5, 5))
    draw_circuit(res.graph, ax)
    fig.tight_layout()
    fig.savefig(folder / "circuit.png", dpi=110)
    plt.close(fig)
    activity(res, folder / "activity.png")
    dopamine_transfer(res, folder / "dopamine_transfer.png")
    value(res, folder / "value.png")
    da_vs_td(res, folder / "da_vs_td.png")
