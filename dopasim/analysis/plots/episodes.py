"""Episodic figures: steps and return per episode, and a maze's learned values and moves.
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.plots.common import finish, plt, running, subplots


def episode_learning(res, ax=None, width=10):
    """Steps to the goal and return per episode: circuit and reference from the same starts and draws.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of an episodic task
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    width : int
        episodes in the running mean
    """
    tr, task = res.trials, res.task
    fig, (steps_ax, return_ax) = subplots(ax, 1, 2, figsize=(11, 3.8))
    for label, prefix, colour, lw in ((f"circuit ({res.mode} mode)", "", "#c44e52", 2),
                                      (f"reference ({res.config['reference']['learner']})", "ref_", "k", 1.2)):
        episodes = task.episodes(tr, prefix)
        x = np.arange(len(episodes["steps"]))
        running_x = x[width - 1:] if len(x) >= width else x  # where _running's means end
        steps_ax.plot(x, episodes["steps"], ".", color=colour, ms=3, alpha=0.4)
        steps_ax.plot(running_x, running(episodes["steps"], width), color=colour, lw=lw, label=label)
        return_ax.plot(running_x, running(episodes["return"], width), color=colour, lw=lw, label=label)
    if res.summary.get("optimal_steps"):
        steps_ax.axhline(res.summary["optimal_steps"], color="#55a868", ls=":", lw=1.5, label="optimal")
    steps_ax.set_yscale("log")
    steps_ax.set_xlabel("episode")
    steps_ax.set_ylabel(f"steps to the goal ({task.max_steps}: not reached)")
    steps_ax.set_title(f"steps per episode, running mean of {width}", fontsize=10)
    steps_ax.legend(fontsize=8)
    return_ax.set_ylim(-0.02, max(1.05, return_ax.get_ylim()[1]))
    return_ax.set_xlabel("episode")
    return_ax.set_ylabel("return")
    return_ax.set_title(f"return per episode, running mean of {width}", fontsize=10)
    return finish(fig)


def _per_state_action(res, projection: str, n_states: int, n_actions: int) -> np.ndarray:
    """Mean final weight of a plastic projection from each state's cells to each action's (or one) target."""
    rec = res.recording
    i, j, w = rec.final_weights[projection]
    source, target = res.graph._edge(projection)[:2]
    per_state = rec.sizes[source] // n_states
    per_action = rec.sizes[target] // n_actions
    cell = (i // per_state, np.minimum(j // per_action, n_actions - 1))
    out, counts = np.zeros((n_states, n_actions)), np.zeros((n_states, n_actions))
    np.add.at(out, cell, w)
    np.add.at(counts, cell, 1)
    return out / np.maximum(counts, 1)


def maze_policy(res, ax=None):
    """The maze after learning: the critic's value per state (colour) and the actor's preferred move (arrows).

    Value is the mean cortex -> ventral striatum weight of the state; the
    preference of a move is its Go (cue -> D1) minus NoGo (cue -> D2) weight.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of gridworld or a gym world with a grid
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    task = res.task
    rows, state_of = task.grid()
    n_s, n_a = task.n_states, task.n_actions
    value = _per_state_action(res, "corticostriatal", n_s, 1)[:, 0]
    preference = (_per_state_action(res, "cue_d1", n_s, n_a) - _per_state_action(res, "cue_d2", n_s, n_a))
    fig, ax = subplots(ax, figsize=(1.1 * len(rows[0]) + 2, 1.1 * len(rows) + 0.6))
    shown = np.full((len(rows), len(rows[0])), np.nan)
    for (r, c), s in state_of.items():
        shown[r, c] = value[s]
    image = ax.imshow(shown, cmap="viridis")
    for r, row in enumerate(rows):
        for c, mark in enumerate(row):
            s = state_of.get((r, c))
            if s is None or mark in "#":
                ax.add_patch(plt.Rectangle((c - 0.5, r - 0.5), 1, 1, color="#444444"))
                continue
            if mark in "GH":
                ax.text(c, r, mark, ha="center", va="center", fontsize=14, color="w", weight="bold")
                continue
            dr, dc = task.action_moves[int(np.argmax(preference[s]))]
            ax.annotate("", xy=(c + 0.35 * dc, r + 0.35 * dr), xytext=(c - 0.35 * dc, r - 0.35 * dr),
                        arrowprops=dict(arrowstyle="-|>", color="w", lw=2))
            if mark == "S":
                ax.text(c - 0.4, r - 0.3, "S", fontsize=9, color="w")
    ax.set_xticks([])
    ax.set_yticks([])
    fig.colorbar(image, ax=ax, fraction=0.046, label="value (cortex -> ventral striatum weight)")
    ax.set_title(f"learned value and preferred move (Go - NoGo), {res.mode} mode", fontsize=9)
    return finish(fig)
