"""The circuit as a graph, and its population activity in the first and last trials.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from dopasim.analysis.plots.common import KIND_COLOURS, SIGN_STYLE, finish, mark_events, plt, subplots


def draw_circuit(graph, ax=None):
    """Draw a :class:`CircuitGraph`: nodes coloured by region kind, edges by sign; returns the figure.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit to draw
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)

    Examples
    --------
    >>> import dopasim
    >>> from dopasim.analysis.plots import draw_circuit
    >>> fig = draw_circuit(dopasim.make_circuit("critic"))
    """
    g = graph.graph
    fig, ax = subplots(ax, figsize=(6.5, 5))
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
    return finish(fig)


def activity(res, ax=None):
    """Every recorded region in the first and last trials: rasters (spiking) or rates (rate mode).

    ``ax``: two Axes per region, row by row (first trial, last trial).

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    rec, task = res.recording, res.task
    regions = [r for r in rec.sizes if r in rec.spikes or r in rec.rates]
    trials = res.trials["trial"]
    shown = [("first trial", int(trials[0])), ("last trial", int(trials[-1]))]
    fig, axes = subplots(ax, len(regions), 2, figsize=(10, 1.6 * len(regions) + 1), sharex=True, squeeze=False)
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
            mark_events(ax, task)
        axes[0, col].set_title(f"{label} ({k})", fontsize=10)
        axes[-1, col].set_xlabel("time in trial (s)")
    fig.suptitle(f"population activity, {res.mode} mode (dotted: CS blue, US red)", fontsize=10)
    return finish(fig)
