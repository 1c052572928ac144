"""What every figure shares: the colours of region kinds, axes given or made, and event marks."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

KIND_COLOURS = {
    "input": "#9e9e9e", "cortex": "#4c72b0", "striatum": "#55a868", "dopamine": "#c44e52",
    "pallidum": "#8172b2", "thalamus": "#ccb974", "hippocampus": "#64b5cd",
}
#: sign -> (colour, arrow head, line style)
SIGN_STYLE = {"excitatory": ("#333333", "-|>", "-"), "inhibitory": ("#1f5fbf", "-[", "-"),
              "dopamine": ("#c44e52", "-|>", "--")}


def subplots(ax, nrows: int = 1, ncols: int = 1, **kwargs):
    """``(figure, axes)`` as ``plt.subplots`` gives them: new ones, or those the caller passed as ``ax``.

    ``ax`` is one Axes for a one-panel figure, or a sequence of ``nrows x ncols``
    Axes (row by row) for a figure of several panels; their figure is returned.
    """
    if ax is None:
        fig, axes = plt.subplots(nrows, ncols, **kwargs)
        fig.dopasim_made = True  # ours to lay out
        return fig, axes
    axes = np.array(list(np.ravel(ax)) if isinstance(ax, (list, tuple, np.ndarray)) else [ax], dtype=object)
    if axes.size != nrows * ncols:
        raise ValueError(f"this figure draws {nrows * ncols} panels ({nrows} x {ncols}); ax= holds {axes.size}")
    fig = axes[0].figure
    if not kwargs.get("squeeze", True):
        return fig, axes.reshape(nrows, ncols)
    if axes.size == 1:
        return fig, axes[0]
    return fig, axes if 1 in (nrows, ncols) else axes.reshape(nrows, ncols)


def finish(fig):
    """Lay out a figure this module made (one drawn into the caller's axes is left as it is); return it."""
    if getattr(fig, "dopasim_made", False):
        fig.tight_layout()
    return fig


def mark_events(ax, task):
    """Dotted lines at the stimulus (blue) and the outcome (red), where the task has them (``task.events()``)."""
    for event, colour in (("stimulus", "#4c72b0"), ("outcome", "#c44e52")):
        if event in task.events():
            ax.axvline(task.events()[event], color=colour, lw=0.8, ls=":")


def legend(ax):
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)


def running(x, width=20):
    x = np.asarray(x, dtype=float)
    return np.convolve(x, np.ones(width) / width, mode="valid") if len(x) >= width else x
