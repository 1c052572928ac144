"""
Lesion dose-response: SNc cell loss and learning to choose
==========================================================

Dopamine cells of the substantia nigra pars compacta (SNc) teach the dorsal
striatum which action pays; Parkinson's disease appears once most of them are
lost (Fearnley & Lees 1991). This example kills a growing fraction of the SNc
cells of the ``actor_critic`` circuit and runs a two-armed bandit (0.8 against
0.2) on three subjects at each level, as ``dopasim study bandit --lesion
snc=0.4,0.8,0.95`` does from the command line. Each subject's seed comes from
the study's seed, so a rerun gives the same cohort.

    python examples/lesion_dose_response.py
"""

# %%
# The cohort: healthy subjects and three levels of cell loss.
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

from dopasim.analysis.plots.cohorts import dose_response
from dopasim.study import Study, make_groups, run_study

groups = make_groups([], lesion_region="snc", lesion_levels=[0.4, 0.8, 0.95])
study = Study("bandit", groups, subjects=3, mode="rate", trials=200, seed=7)

# %%
# The subjects run on two worker processes. The workers import this file
# again, so the run sits under ``if __name__ == "__main__"``.
if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        result = run_study(study, Path(folder) / "snc_dose", workers=2, progress=False)

    # Every subject against its fraction of SNc cells lost: how well it learned
    # the better arm, how often it made no choice at all, and the burst its VTA
    # gave to a reward.
    design = ("group", "disease", "lesion_region", "lesion_fraction", "subject", "seed")
    shown = (*design, "p_best_last100", "no_response_rate", "da_rewarded")
    rows = [{k: r[k] for k in shown} for r in result["rows"]]
    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    dose_response(rows, ax=axes)
    for group in dict.fromkeys(r["group"] for r in rows):
        print(f"{group:>9}: p_best_last100 {np.mean([r['p_best_last100'] for r in rows if r['group'] == group]):.2f}")
    trend = next(r for r in result["stats"] if r["group"] == "dose_response" and r["measure"] == "p_best_last100")
    print(f"Spearman rho over the levels: {trend['rho']:.2f} (p = {trend['p']:.2g})")
    plt.show()
