"""
Action selection by disinhibition: Gurney, Prescott & Redgrave (2001)
=====================================================================

Three channels get saliences 0.4, 0.6 and 0.3 from t = 0.5 s. The most salient
channel's GPi/SNr output pauses and releases its thalamus; the others are held
down harder than at rest. Runs the `selection` circuit in rate and spiking mode
and plots GPi and thalamus rates per channel.

    python examples/action_selection.py [--out action_selection.png]
"""

import argparse

import matplotlib.pyplot as plt
import numpy as np

from dopasim.circuits import make_circuit
from dopasim.circuits.compiler import simulate

parser = argparse.ArgumentParser(description='Action selection by disinhibition: Gurney, Prescott & Redgrave (2001)')
parser.add_argument("--out", help="also write the figure to this file")
args = parser.parse_args()

SALIENCE, ONSET_S, DURATION_S = [0.4, 0.6, 0.3], 0.5, 1.5
salience = np.zeros((int(DURATION_S * 1000), 3))
salience[int(ONSET_S * 1000):] = SALIENCE

fig, axes = plt.subplots(2, 2, figsize=(10, 5.5), sharex=True)
colours = ["#4c72b0", "#c44e52", "#55a868"]
for col, mode in enumerate(("rate", "spiking")):
    rec = simulate(make_circuit("selection"), mode, {"salience": salience}, DURATION_S, seed=1,
                   progress=False)
    for row, region in enumerate(("gpi", "thalamus")):
        t, rates = rec.channel_rates(region, bin_s=0.05)
        ax = axes[row, col]
        for k, (r, c) in enumerate(zip(rates, colours)):
            ax.plot(t, r, color=c, label=f"channel {k} (salience {SALIENCE[k]})")
        ax.axvline(ONSET_S, color="k", lw=0.8, ls=":")
        ax.set_ylabel(f"{region} (Hz)")
        print(mode, region, "late:", np.round(rates[:, t > 1.0].mean(axis=1), 1))
    axes[0, col].set_title(f"{mode} mode")
    axes[1, col].set_xlabel("time (s); salience on at the dotted line")
axes[0, 0].legend(fontsize=8)
fig.suptitle("selection by disinhibition (Gurney, Prescott & Redgrave 2001)", fontsize=10)
fig.tight_layout()
if args.out:
    fig.savefig(args.out, dpi=110)
plt.show()
