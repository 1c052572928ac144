"""A study's figures: every subject a point, per group and over lesion levels."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dopasim.analysis.plots.common import finish, plt, subplots


def _measure_grid(ax, n: int, width: float, height: float):
    """One panel per measure, four to a row (or the caller's ``n`` Axes)."""
    cols = min(4, n)
    rows = -(-n // cols)
    if ax is not None:
        fig, axes = subplots(ax, 1, n, squeeze=False)
        return fig, axes.flat
    fig, axes = subplots(None, rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for extra in axes.flat[n:]:
        extra.axis("off")
    return fig, axes.flat


def group_bars(rows: list[dict], ax=None):
    """Per measure, a bar per group (mean +- s.e.m.) with every subject as a point.

    ``rows``: a study's subjects (``subjects.csv`` as dicts); ``ax``: one Axes per measure.

    Parameters
    ----------
    rows : list of dict
        a study's subjects, one dict per subject (run_study's rows, or subjects.csv read as dicts)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    from dopasim.study import HEALTHY, measures

    names = measures(rows)
    groups = list(dict.fromkeys(r["group"] for r in rows))
    rng = np.random.default_rng(0)  # jitter only
    fig, axes = _measure_grid(ax, len(names), 1.0 + 0.7 * len(groups), 3.2)
    for panel, measure in zip(axes, names):
        for x, group in enumerate(groups):
            values = [r[measure] for r in rows if r["group"] == group and r.get(measure) is not None]
            colour = "#9e9e9e" if group == HEALTHY else f"C{x % 10}"
            if values:
                panel.bar(x, np.mean(values), color=colour, alpha=0.35, width=0.7)
                panel.errorbar(x, np.mean(values), yerr=np.std(values) / max(1, np.sqrt(len(values))),
                               color="k", capsize=3)
                panel.plot(x + rng.uniform(-0.18, 0.18, len(values)), values, "o", color=colour, ms=4, mec="k",
                           mew=0.4)
        panel.set_xticks(range(len(groups)), groups, rotation=30, ha="right", fontsize=8)
        panel.set_title(measure, fontsize=9)
    fig.suptitle("bar = group mean +- s.e.m.; one point per subject", fontsize=9)
    return finish(fig)


def graded(rows: list[dict]) -> list[dict]:
    """The subjects of a dose-response (healthy and each lesion level); empty without two levels."""
    from dopasim.study import HEALTHY

    chosen = [r for r in rows if r["lesion_region"] or r["group"] == HEALTHY]
    if len({r["lesion_fraction"] for r in chosen}) < 2 or not any(r["lesion_region"] for r in rows):
        return []
    return chosen


def dose_response(rows: list[dict], ax=None):
    """Per measure, every subject against its fraction of cells lost, and the mean per level.

    Parameters
    ----------
    rows : list of dict
        a study's subjects, one dict per subject (run_study's rows, or subjects.csv read as dicts)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    from dopasim.study import measures

    names = measures(rows)
    points_of = graded(rows)
    region = next((r["lesion_region"] for r in rows if r["lesion_region"]), "the region")
    rng = np.random.default_rng(1)  # jitter only
    fig, axes = _measure_grid(ax, len(names), 3.2, 3.0)
    for panel, measure in zip(axes, names):
        points = [(r["lesion_fraction"], r[measure]) for r in points_of if r.get(measure) is not None]
        if not points:
            continue
        x, y = np.array(points, dtype=float).T
        panel.plot(x + rng.uniform(-0.01, 0.01, len(x)), y, "o", color="#c44e52", alpha=0.6, ms=4)
        levels = np.unique(x)
        panel.plot(levels, [y[x == lv].mean() for lv in levels], "k-", lw=1.5)
        panel.set_xlabel(f"fraction of {region} cells lost", fontsize=8)
        panel.set_title(measure, fontsize=9)
    fig.suptitle("dose-response: line = group mean, one point per subject", fontsize=9)
    return finish(fig)


def study_figures(rows: list[dict], folder: Path) -> None:
    """A study's figures: ``groups.png`` (:func:`group_bars`) and, where there are lesion levels,
    ``dose_response.png`` (:func:`dose_response`).

    Parameters
    ----------
    rows : list of dict
        a study's subjects, one dict per subject (run_study's rows, or subjects.csv read as dicts)
    folder : Path
        where the figures are written
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    drawn = {"groups": group_bars}
    if graded(rows):
        drawn["dose_response"] = dose_response
    for stem, draw in drawn.items():
        fig = draw(rows)
        fig.savefig(folder / f"{stem}.png", dpi=100)
        plt.close(fig)
