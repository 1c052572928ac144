"""
Persistent activity holds a cued item: Funahashi et al. (1989), Compte et al. (2000)
====================================================================================

Item 0 is cued at 0.3-0.5 s and item 1 at 1.5-1.7 s. After each cue ends, its
pool keeps firing (about 30 Hz) until the next cue replaces it. With the pools'
recurrent excitation cut (`cut_projection(graph, "memory_recurrent")`), activity
ends with the cue. Runs the `working_memory` circuit in rate and spiking mode and
plots each item pool's rate.

    python examples/working_memory.py [--out working_memory.png]
"""

import argparse

import matplotlib.pyplot as plt
import numpy as np

from dopasim.circuits import make_circuit
from dopasim.circuits.compiler import simulate
from dopasim.circuits.lesions import cut_projection

parser = argparse.ArgumentParser(description='Persistent activity holds a cued item')
parser.add_argument("--out", help="also write the figure to this file")
args = parser.parse_args()

CUES, DURATION_S = [(0, 0.3, 0.5), (1, 1.5, 1.7)], 2.7
cue = np.zeros((int(round(DURATION_S * 1000)), 3))
for item, start, stop in CUES:
    cue[int(start * 1000):int(stop * 1000), item] = 1.0

circuits = {"intact": make_circuit("working_memory"),
            "recurrent excitation cut": cut_projection(make_circuit("working_memory"), "memory_recurrent")}
fig, axes = plt.subplots(2, 2, figsize=(10, 5.5), sharex=True, sharey=True)
colours = ["#4c72b0", "#c44e52", "#55a868"]
for col, mode in enumerate(("rate", "spiking")):
    for row, (label, graph) in enumerate(circuits.items()):
        rec = simulate(graph, mode, {"salience": cue}, DURATION_S, seed=1, progress=False)
        t, rates = rec.channel_rates("pfc_memory", bin_s=0.05)
        ax = axes[row, col]
        for _, start, stop in CUES:
            ax.axvspan(start, stop, color="0.9")
        for k, (r, c) in enumerate(zip(rates, colours)):
            ax.plot(t, r, color=c, label=f"item {k} pool")
        ax.set_title(f"{mode} mode, {label}", fontsize=9)
        delays = [rates[:, (t >= stop + 0.4) & (t < stop + 1.0)].mean(axis=1) for _, _, stop in CUES]
        print(mode, label, "delay rates (Hz):", [np.round(d, 1).tolist() for d in delays])
    axes[1, col].set_xlabel("time (s); cues shaded: item 0, then item 1")
for ax in axes[:, 0]:
    ax.set_ylabel("pool rate (Hz)")
axes[0, 0].legend(fontsize=8)
fig.suptitle("prefrontal working memory: persistent activity after the cue (Funahashi et al. 1989)", fontsize=10)
fig.tight_layout()
if args.out:
    fig.savefig(args.out, dpi=110)
plt.show()
