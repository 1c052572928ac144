"""The figures a person looks at first: every function takes ``ax=`` and returns its figure.

Each figure function draws one run's ``Results`` (``res``) into new axes, or
into the caller's ``ax`` (one Axes, or a sequence of them for a figure of
several panels), and returns the ``matplotlib`` figure, as NetworkX's drawing
functions do. :func:`write_figures` saves the figures a run directory holds:
``circuit.png`` and ``activity.png`` for every run, then those the task names
(:meth:`dopasim.tasks.Task.figures`).

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from dopasim.analysis.plots import dopamine_transfer
>>> fig, axes = plt.subplots(1, 2)
>>> dopamine_transfer(res, ax=axes)            # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from dopasim.analysis.plots.choice import (choice_activity, learning_curve, opponent_weights, test_choices,
                                           within_episode_learning)
from dopasim.analysis.plots.circuit import activity, draw_circuit
from dopasim.analysis.plots.cohorts import dose_response, group_bars, study_figures
from dopasim.analysis.plots.common import KIND_COLOURS, SIGN_STYLE, plt
from dopasim.analysis.plots.conditioning import da_vs_td, distributional, dopamine_by_type, dopamine_transfer, value
from dopasim.analysis.plots.episodes import episode_learning, maze_policy
from dopasim.analysis.plots.rest import lfp_spectrum
from dopasim.analysis.plots.stdp import distal_reward

__all__ = ["KIND_COLOURS", "SIGN_STYLE", "activity", "choice_activity", "da_vs_td", "distal_reward", "distributional",
           "dopamine_by_type", "dopamine_transfer", "dose_response", "draw_circuit", "episode_learning", "group_bars",
           "learning_curve", "lfp_spectrum", "maze_policy", "opponent_weights", "study_figures", "test_choices",
           "value", "within_episode_learning", "write_figures"]


def write_figures(res, folder: Path) -> None:
    """Save ``figures/*.png`` of a run: the circuit, its activity, and the figures its task draws.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    folder : Path
        the run directory's figures folder
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    drawn = {"circuit": lambda r: draw_circuit(r.graph), "activity": activity, **res.task.figures()}
    for stem, draw in drawn.items():
        fig = draw(res)
        fig.savefig(folder / f"{stem}.png", dpi=110)
        plt.close(fig)
