"""The distal reward problem: the rewarded synapse's weight against the rest of the network's, over time.
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.plots.common import finish, subplots


def distal_reward(res, ax=None):
    """Top: the chosen synapse's weight (w / w_max) and the other plastic weights' median and 99th percentile;
    bottom: the pairings and rewards so far.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of distal_reward
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    table, task = res.trials, res.task
    name = task.p["synapse"]
    t, w = res.recording.weights[name]
    fig, (top, bottom) = subplots(ax, 2, 1, figsize=(7, 6), sharex=True)
    top.fill_between(table["t_end"], 0, table["others_p99"], color="0.85", label="other synapses, below 99th pct")
    top.plot(table["t_end"], table["others_median"], color="0.45", lw=1.2, label="others' median")
    top.plot(t, w[0] / task.bounds[name], color="#c44e52", lw=1.5, label=f"rewarded synapse ({name})")
    top.set(ylabel="weight (w / w_max)", ylim=(0, 1.05),
            title=f"distal reward: pairing rewarded {task.p['delay_min_s']:g}-{task.p['delay_max_s']:g} s later")
    top.legend(fontsize=8, frameon=False, loc="upper left")
    for column, colour in (("pairings", "0.5"), ("rewards", "#4c72b0")):
        bottom.step(np.concatenate([[0.0], table["t_end"]]), np.concatenate([[0], np.cumsum(table[column])]),
                    where="post", color=colour, lw=1.5, label=column)
    bottom.set(xlabel="time (s)", ylabel="count since the start")
    bottom.legend(fontsize=8, frameon=False, loc="upper left")
    return finish(fig)
