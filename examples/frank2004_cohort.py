"""
Parkinson's disease on and off medication: Frank, Seeberger & O'Reilly (2004)
=============================================================================

Patients with Parkinson's disease off medication learn better to avoid the
stimulus that was most often punished (B) than to choose the one most often
rewarded (A); on L-DOPA the bias reverses (Frank, Seeberger & O'Reilly 2004,
Fig. 2). In the model, dopamine bursts strengthen a stimulus's Go (D1) and
dips its NoGo (D2) synapses (Frank 2005): too few bursts after SNc cell loss,
and dips masked by the raised tonic dopamine of L-DOPA.

This runs the probabilistic selection task on a small cohort of each group
and plots each subject's ``choose_a`` and ``avoid_b``. Four subjects a group
are a sketch: the effect is small against the spread between subjects, and
``dopasim validate`` holds it to its confidence interval on 20 a group (the
validation page says whether the committed cohort resolves it).

    python examples/frank2004_cohort.py
"""

# %%
# The groups: healthy, Parkinson's off and on medication (``dopasim list``
# names every disease preset with its mechanism).
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from dopasim.study import Study, make_groups, run_study

groups = make_groups(["parkinsons", "parkinsons_medicated"])
study = Study("probabilistic_selection", groups, subjects=4, mode="rate", seed=2004)

# %%
# The subjects run on two worker processes (which import this file again,
# hence the ``__main__`` guard). Then each subject's learning from gains
# (choose A) against learning from losses (avoid B), and the group means.
if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        rows = run_study(study, Path(folder) / "frank2004", workers=2, progress=False)["rows"]

    fig, (ax, bias_ax) = plt.subplots(1, 2, figsize=(10, 3.8))
    names = [g.name for g in groups]
    for x, group in enumerate(names):
        a = np.array([r["choose_a"] for r in rows if r["group"] == group])
        b = np.array([r["avoid_b"] for r in rows if r["group"] == group])
        ax.plot(x - 0.15 + np.zeros_like(a), a, "o", color="C2", alpha=0.6)
        ax.plot(x + 0.15 + np.zeros_like(b), b, "o", color="C3", alpha=0.6)
        ax.bar([x - 0.15, x + 0.15], [a.mean(), b.mean()], width=0.28, color=["C2", "C3"], alpha=0.35)
        bias_ax.bar(x, np.mean(a - b), color="0.6")
        bias_ax.plot(x + np.zeros_like(a), a - b, "ko", ms=4)
        print(f"{group:>21}: choose A {a.mean():.2f}, avoid B {b.mean():.2f}, bias {np.mean(a - b):+.2f}")
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel("fraction of test choices")
    ax.set_title("choose A (green), avoid B (red)")
    ax.axhline(0.5, color="k", lw=0.5, ls=":")
    bias_ax.set_xticks(range(len(names)), names)
    bias_ax.axhline(0, color="k", lw=0.5)
    bias_ax.set_title("bias: choose A - avoid B")
    fig.tight_layout()
    plt.show()
