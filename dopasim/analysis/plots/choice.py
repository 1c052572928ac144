"""Choice figures: learning curves, opponent D1/D2 weights, activity around the choice, test choices.
"""

from __future__ import annotations

import numpy as np

from dopasim.analysis.plots.common import finish, legend, mark_events, plt, running, subplots


def learning_curve(res, ax=None, width=20):
    """Running choice of the best option: circuit and reference on the same trials (training trials only).

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    width : int
        trials in the running mean
    """
    tr = res.trials
    rows = np.flatnonzero(tr["phase"] == "train") if "phase" in tr else np.arange(len(tr["trial"]))
    # 1 where the best option was chosen: bandits mark the best arm, probabilistic selection the better stimulus
    best, ref_best = ((tr["chose_best"], tr["ref_chose_best"]) if "chose_best" in tr
                      else (tr["correct"], tr["ref_correct"]))
    fig, ax = subplots(ax, figsize=(8, 3.8))
    x = np.arange(len(running(best[rows], width))) + width - 1
    ax.plot(x, running(best[rows], width), color="#c44e52", lw=2, label=f"circuit ({res.mode} mode)")
    ax.plot(x, running(ref_best[rows], width), color="k", lw=1.2, label="reference "
            f"({res.config['reference']['learner']})")
    ax.plot(x, running(tr["choice"][rows] < 0, width), color="#999999", lw=1, ls="--", label="no response")
    if "reversal_trial" in res.task.p:
        ax.axvline(res.task.p["reversal_trial"], color="k", ls=":", lw=1)
        ax.text(res.task.p["reversal_trial"], 1.02, " reversal", fontsize=8)
    ax.set_ylim(-0.02, 1.08)
    ax.set_xlabel("trial")
    ax.set_ylabel(f"P(best option), running mean of {width}")
    ax.set_title("choice learning")
    ax.legend(fontsize=8, loc="lower right")
    return finish(fig)


def within_episode_learning(res, ax=None):
    """P(best arm) at each trial of an episode: early episodes, trained ones (the second half), the reference.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of meta_bandit
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    tr = res.trials
    n = int(tr["episode_trial"].max())
    last = tr["episode"].max()
    fig, ax = subplots(ax, figsize=(6.5, 4))
    for rows, prefix, label, style in (
            (tr["episode"] < max(1, last // 5), "", "circuit, first fifth of the episodes", dict(color="#dd8452")),
            (tr["episode"] >= last / 2, "", "circuit, second half", dict(color="#c44e52", lw=2)),
            (tr["episode"] >= last / 2, "ref_", f"reference ({res.config['reference']['learner']}), second half",
             dict(color="k", lw=1.2))):
        best = tr[f"{prefix}choice"] == tr["best_arm"]
        curve = [best[rows & (tr["episode_trial"] == k)].mean() for k in range(1, n + 1)]
        ax.plot(np.arange(1, n + 1), curve, marker="o", ms=4, label=label, **style)
    ax.axhline(0.5, color="#999999", ls=":", lw=1)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("trial of the episode (the arms are re-drawn at trial 1)")
    ax.set_ylabel("P(better arm)")
    ax.set_title(f"learning within an episode ({res.mode} mode)")
    ax.legend(fontsize=8, loc="lower right")
    return finish(fig)


def test_choices(res, ax=None):
    """Probabilistic selection, test phase: choose A and avoid B (circuit vs reference), and every pair.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns) of probabilistic_selection
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    from dopasim.tasks.probabilistic_selection import LETTERS

    tr, task = res.trials, res.task
    fig, (bars, grid) = subplots(ax, 1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [1, 1.4]})
    who = (("circuit", "", "#c44e52"), ("reference", "ref_", "#555555"))
    for k, (label, prefix, colour) in enumerate(who):
        values = [res.summary.get(f"{prefix}choose_a"), res.summary.get(f"{prefix}avoid_b")]
        bars.bar(np.arange(2) + (k - 0.5) * 0.38, [np.nan if v is None else v for v in values], 0.38,
                 color=colour, label=label)
    bars.axhline(0.5, color="k", ls=":", lw=1)
    bars.set_xticks([0, 1], ["choose A", "avoid B"])
    bars.set_ylim(0, 1.05)
    bars.set_ylabel("accuracy in novel test pairs")
    bars.set_title(f"test phase ({res.mode} mode)", fontsize=10)
    bars.legend(fontsize=8)
    n = len(task.probs)
    chose_first = np.full((n, n), np.nan)
    test = (tr["phase"] == "test") & (tr["choice"] >= 0)
    for a in range(n):
        for b in range(n):
            sel = test & (((tr["stim_a"] == a) & (tr["stim_b"] == b)) | ((tr["stim_a"] == b) & (tr["stim_b"] == a)))
            if a != b and sel.any():
                chose_first[a, b] = np.mean(tr["choice"][sel] == a)
    image = grid.imshow(chose_first, vmin=0, vmax=1, cmap="RdBu_r")
    letters = [f"{c} ({p:.1f})" for c, p in zip(LETTERS, task.probs)]
    grid.set_xticks(range(n), letters, fontsize=8, rotation=45)
    grid.set_yticks(range(n), letters, fontsize=8)
    grid.set_title("test: P(choose row stimulus over column)", fontsize=10)
    fig.colorbar(image, ax=grid, fraction=0.046)
    return finish(fig)


def opponent_weights(res, ax=None):
    """Go (cue -> D1) and NoGo (cue -> D2) weights of each action channel across the session.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    """
    rec = res.recording
    fig, ax = subplots(ax, figsize=(8, 3.8))
    colours = plt.cm.tab10(np.arange(10))
    for name, line in (("cue_d1", "-"), ("cue_d2", "--")):
        if name not in rec.weights:
            continue
        t, w = rec.weights[name]
        j = rec.final_weights[name][1][rec.weight_synapses[name]]
        target = res.graph._edge(name)[1]
        per = rec.sizes[target] // rec.channels[target]
        for k in range(rec.channels[target]):
            sel = j // per == k
            if sel.any():
                ax.plot(t / res.task.duration, w[sel].mean(axis=0), line, color=colours[k % 10],
                        label=f"{'Go (D1)' if name == 'cue_d1' else 'NoGo (D2)'} channel {k}")
    ax.set_xlabel("trial")
    ax.set_ylabel("mean weight")
    ax.set_title("opponent learning: D1 (solid) and D2 (dashed) weights per action")
    ax.legend(fontsize=7, ncol=2)
    return finish(fig)


def choice_activity(res, ax=None, regions=("striatum_d1", "gpi", "thalamus", "vta")):
    """Chosen vs unchosen channels around the choice, averaged over the second half of the session.

    Parameters
    ----------
    res : Results
        a finished run (what dopasim.run returns)
    ax : matplotlib Axes or sequence of Axes, optional
        where to draw, as many panels as the figure has (None: a new figure)
    regions : tuple of str
        the regions whose chosen and unchosen channels are drawn
    """
    rec, task, tr = res.recording, res.task, res.trials
    late = [k for k in range(len(tr["trial"]) // 2, len(tr["trial"])) if tr["choice"][k] >= 0]
    fig, axes = subplots(ax, 1, len(regions), figsize=(3.2 * len(regions), 3.4))
    for ax, region in zip(axes, regions):
        t, c = rec.channel_rates(region, bin_s=0.02)
        per = int(round(task.duration / 0.02))
        slots = tr["trial"]
        rows = [(c[:, slots[k] * per:(slots[k] + 1) * per], tr["choice"][k]) for k in late
                if (slots[k] + 1) * per <= c.shape[1]]
        tt = np.arange(per) * 0.02
        if not rows:
            continue
        if c.shape[0] > 1:
            chosen = np.mean([m[ch] for m, ch in rows], axis=0)
            other = np.mean([np.delete(m, ch, axis=0).mean(axis=0) for m, ch in rows], axis=0)
            ax.plot(tt, chosen, color="#c44e52", label="chosen")
            ax.plot(tt, other, color="#4c72b0", label="other")
        else:
            rewarded = [m[0] for (m, _), k in zip(rows, late) if tr["reward"][k] > 0]
            omitted = [m[0] for (m, _), k in zip(rows, late) if tr["reward"][k] == 0]
            for group, colour, label in ((rewarded, "#c44e52", "rewarded"), (omitted, "k", "no reward")):
                if group:
                    ax.plot(tt, np.mean(group, axis=0), color=colour, label=label)
        mark_events(ax, task)
        ax.set_title(region, fontsize=10)
        ax.set_xlabel("time in trial (s)")
        legend(ax)
    axes[0].set_ylabel("rate (Hz)")
    fig.suptitle(f"activity around the choice, second half, {res.mode} mode (dotted: cue blue, outcome red)",
                 fontsize=10)
    return finish(fig)
