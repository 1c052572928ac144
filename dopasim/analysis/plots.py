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
    """Dotted lines at the stimulus (blue) and the outcome (red), where the task has them."""
    if not hasattr(task, "program") and not hasattr(task, "cs"):
        return
    stimulus, outcome = (task.cue, task.outcome) if hasattr(task, "program") else (task.cs, task.us)
    ax.axvline(stimulus, color="#4c72b0", lw=0.8, ls=":")
    ax.axvline(outcome, color="#c44e52", lw=0.8, ls=":")


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
    trials = res.trials["trial"]
    shown = [("first trial", int(trials[0])), ("last trial", int(trials[-1]))]
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


def _running(x, width=20):
    x = np.asarray(x, dtype=float)
    return np.convolve(x, np.ones(width) / width, mode="valid") if len(x) >= width else x


def learning_curve(res, path, width=20):
    """Running choice of the best option: circuit and reference on the same trials (training trials only)."""
    tr = res.trials
    rows = np.flatnonzero(tr["phase"] == "train") if "phase" in tr else np.arange(len(tr["trial"]))
    # 1 where the best option was chosen: bandits mark the best arm, probabilistic selection the better stimulus
    best, ref_best = ((tr["chose_best"], tr["ref_chose_best"]) if "chose_best" in tr
                      else (tr["correct"], tr["ref_correct"]))
    fig, ax = plt.subplots(figsize=(8, 3.8))
    x = np.arange(len(_running(best[rows], width))) + width - 1
    ax.plot(x, _running(best[rows], width), color="#c44e52", lw=2, label=f"circuit ({res.mode} mode)")
    ax.plot(x, _running(ref_best[rows], width), color="k", lw=1.2, label="reference "
            f"({res.config['reference']['learner']})")
    ax.plot(x, _running(tr["choice"][rows] < 0, width), color="#999999", lw=1, ls="--", label="no response")
    if "reversal_trial" in res.task.p:
        ax.axvline(res.task.p["reversal_trial"], color="k", ls=":", lw=1)
        ax.text(res.task.p["reversal_trial"], 1.02, " reversal", fontsize=8)
    ax.set_ylim(-0.02, 1.08)
    ax.set_xlabel("trial")
    ax.set_ylabel(f"P(best option), running mean of {width}")
    ax.set_title("choice learning")
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def within_episode_learning(res, path):
    """P(best arm) at each trial of an episode: early episodes, trained ones (the second half), the reference."""
    tr = res.trials
    n = int(tr["episode_trial"].max())
    last = tr["episode"].max()
    fig, ax = plt.subplots(figsize=(6.5, 4))
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
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def test_choices(res, path):
    """Probabilistic selection, test phase: choose A and avoid B (circuit vs reference), and every pair."""
    from dopasim.tasks.probabilistic_selection import LETTERS

    tr, task = res.trials, res.task
    fig, (bars, grid) = plt.subplots(1, 2, figsize=(10, 4), gridspec_kw={"width_ratios": [1, 1.4]})
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
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def opponent_weights(res, path):
    """Go (cue -> D1) and NoGo (cue -> D2) weights of each action channel across the session."""
    rec = res.recording
    fig, ax = plt.subplots(figsize=(8, 3.8))
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
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def choice_activity(res, path, regions=("striatum_d1", "gpi", "thalamus", "vta")):
    """Chosen vs unchosen channels around the choice, averaged over the second half of the session."""
    rec, task, tr = res.recording, res.task, res.trials
    late = [k for k in range(len(tr["trial"]) // 2, len(tr["trial"])) if tr["choice"][k] >= 0]
    fig, axes = plt.subplots(1, len(regions), figsize=(3.2 * len(regions), 3.4))
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
        _mark_events(ax, task)
        ax.set_title(region, fontsize=10)
        ax.set_xlabel("time in trial (s)")
        _legend(ax)
    axes[0].set_ylabel("rate (Hz)")
    fig.suptitle(f"activity around the choice, second half, {res.mode} mode (dotted: cue blue, outcome red)",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def episode_learning(res, path, width=10):
    """Steps to the goal and return per episode: circuit and reference from the same starts and draws."""
    tr, task = res.trials, res.task
    fig, (steps_ax, return_ax) = plt.subplots(1, 2, figsize=(11, 3.8))
    for label, prefix, colour, lw in ((f"circuit ({res.mode} mode)", "", "#c44e52", 2),
                                      (f"reference ({res.config['reference']['learner']})", "ref_", "k", 1.2)):
        episodes = task.episodes(tr, prefix)
        x = np.arange(len(episodes["steps"]))
        running_x = x[width - 1:] if len(x) >= width else x  # where _running's means end
        steps_ax.plot(x, episodes["steps"], ".", color=colour, ms=3, alpha=0.4)
        steps_ax.plot(running_x, _running(episodes["steps"], width), color=colour, lw=lw, label=label)
        return_ax.plot(running_x, _running(episodes["return"], width), color=colour, lw=lw, label=label)
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
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


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


def maze_policy(res, path):
    """The maze after learning: the critic's value per state (colour) and the actor's preferred move (arrows).

    Value is the mean cortex -> ventral striatum weight of the state; the
    preference of a move is its Go (cue -> D1) minus NoGo (cue -> D2) weight.
    """
    task = res.task
    rows, state_of = task.grid()
    n_s, n_a = task.n_states, task.n_actions
    value = _per_state_action(res, "corticostriatal", n_s, 1)[:, 0]
    preference = (_per_state_action(res, "cue_d1", n_s, n_a) - _per_state_action(res, "cue_d2", n_s, n_a))
    fig, ax = plt.subplots(figsize=(1.1 * len(rows[0]) + 2, 1.1 * len(rows) + 0.6))
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
    if hasattr(res.task, "episodes"):
        episode_learning(res, folder / "learning.png")
        if res.task.grid() is not None:
            maze_policy(res, folder / "maze.png")
        choice_activity(res, folder / "choice_activity.png")
        return
    if hasattr(res.task, "program"):
        learning_curve(res, folder / "learning.png")
        opponent_weights(res, folder / "weights.png")
        choice_activity(res, folder / "choice_activity.png")
        if "choose_a" in res.summary:
            test_choices(res, folder / "test_choices.png")
        if "episode_trial" in res.trials:
            within_episode_learning(res, folder / "within_episode.png")
        return
    if res.task.name == "rest":
        lfp_spectrum(res, folder / "spectrum.png")
        return
    dopamine_transfer(res, folder / "dopamine_transfer.png")
    value(res, folder / "value.png")
    da_vs_td(res, folder / "da_vs_td.png")
    if hasattr(res.task, "neurons"):
        distributional(res, folder / "distributional.png")


def distributional(res, path):
    """Each DA channel's US response against magnitude, reversal point against asymmetry, decoded distribution."""
    from dopasim.analysis.distributional import decode

    tr, task = res.trials, res.task
    late = (tr["trial"] >= len(tr["trial"]) // 2) & (tr["omitted"] == 0)
    rows = task.neurons(tr)
    columns = sorted(c for c in tr if c.startswith("da_us_ch"))
    colours = plt.cm.coolwarm(np.linspace(0, 1, len(columns)))
    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(14, 4))
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
    _legend(ax2)
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
    _legend(ax3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _measure_grid(n: int, width: float, height: float):
    cols = min(4, n)
    rows = -(-n // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), squeeze=False)
    for ax in axes.flat[n:]:
        ax.axis("off")
    return fig, axes.flat


def study_figures(rows: list[dict], folder: Path) -> None:
    """A study's figures: per measure, a bar per group with every subject as a point (``groups.png``),
    and a dose-response curve over lesion levels (``dose_response.png``) where there are levels."""
    from dopasim.study import HEALTHY, measures

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    names = measures(rows)
    groups = list(dict.fromkeys(r["group"] for r in rows))
    rng = np.random.default_rng(0)  # jitter only
    fig, axes = _measure_grid(len(names), 1.0 + 0.7 * len(groups), 3.2)
    for ax, measure in zip(axes, names):
        for x, group in enumerate(groups):
            values = [r[measure] for r in rows if r["group"] == group and r.get(measure) is not None]
            colour = "#9e9e9e" if group == HEALTHY else f"C{x % 10}"
            if values:
                ax.bar(x, np.mean(values), color=colour, alpha=0.35, width=0.7)
                ax.errorbar(x, np.mean(values), yerr=np.std(values) / max(1, np.sqrt(len(values))),
                            color="k", capsize=3)
                ax.plot(x + rng.uniform(-0.18, 0.18, len(values)), values, "o", color=colour, ms=4, mec="k",
                        mew=0.4)
        ax.set_xticks(range(len(groups)), groups, rotation=30, ha="right", fontsize=8)
        ax.set_title(measure, fontsize=9)
    fig.suptitle("bar = group mean +- s.e.m.; one point per subject", fontsize=9)
    fig.tight_layout()
    fig.savefig(folder / "groups.png", dpi=100)
    plt.close(fig)
    graded = [r for r in rows if r["lesion_region"] or r["group"] == HEALTHY]
    if len({r["lesion_fraction"] for r in graded}) < 2 or not any(r["lesion_region"] for r in rows):
        return
    region = next(r["lesion_region"] for r in rows if r["lesion_region"])
    fig, axes = _measure_grid(len(names), 3.2, 3.0)
    for ax, measure in zip(axes, names):
        points = [(r["lesion_fraction"], r[measure]) for r in graded if r.get(measure) is not None]
        if not points:
            continue
        x, y = np.array(points, dtype=float).T
        ax.plot(x + rng.uniform(-0.01, 0.01, len(x)), y, "o", color="#c44e52", alpha=0.6, ms=4)
        levels = np.unique(x)
        ax.plot(levels, [y[x == lv].mean() for lv in levels], "k-", lw=1.5)
        ax.set_xlabel(f"fraction of {region} cells lost", fontsize=8)
        ax.set_title(measure, fontsize=9)
    fig.suptitle("dose-response: line = group mean, one point per subject", fontsize=9)
    fig.tight_layout()
    fig.savefig(folder / "dose_response.png", dpi=100)
    plt.close(fig)


def lfp_spectrum(res, path: Path) -> None:
    """The rest task: a stretch of the STN/GPe LFP proxy and the power spectra, beta band shaded."""
    from dopasim.analysis.spectra import BETA_HZ, power_spectrum

    t, lfp, rates = res.task.lfp(res.recording)
    keep = t >= res.task.settle
    fs = 1 / (t[1] - t[0])
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 6))
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
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
