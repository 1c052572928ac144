"""
How exact must a distributional code be to decode as bimodal? (Dabney et al. 2020)
==================================================================================

Dabney et al. (2020) decoded the reward distribution from each DA neuron's
asymmetry tau and reversal point, the tau-expectile of the rewards. Here the
pairs are made from the true expectiles of the bimodal reward 0.1, 0.2, 1.3,
1.4 (``variable_magnitude --set task.magnitudes=0.1,0.2,1.3,1.4``), at 20
asymmetries from 0.1 to 0.9 (one subject's channels, or 8 subjects' pooled),
and then spoiled with Gaussian noise: s.d. ``noise_reversal`` on the reversal
points, ``noise_asymmetry`` on the asymmetries. Each cell of the table is the
fraction of repeats that :func:`dopasim.analysis.distributional.decode` turns
into exactly two modes (the count ``variable_magnitude`` reports as
``decoded_modes``).

    python examples/decoding_noise.py [--repeats 4] [--out decoding_noise.png]
"""

import argparse

import matplotlib.pyplot as plt
import numpy as np

from dopasim.analysis.distributional import decode, expectile, modes

parser = argparse.ArgumentParser(description="How exact must a distributional code be to decode as bimodal?")
parser.add_argument("--repeats", type=int, default=4)
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--out", help="also write the figure to this file")
args = parser.parse_args()

REWARDS = np.array([0.1, 0.2, 1.3, 1.4])
BANDWIDTH = np.ptp(REWARDS) / 10  # as variable_magnitude counts modes
NOISE_REVERSAL = [0.0, 0.02, 0.05, 0.1, 0.2]
NOISE_ASYMMETRY = [0.0, 0.05, 0.15]
rng = np.random.default_rng(args.seed)

fig, axes = plt.subplots(1, 2, figsize=(10, 3.6), sharey=True)
for ax, n_channels in zip(axes, (20, 160)):
    taus = np.tile(np.linspace(0.1, 0.9, 20), n_channels // 20)
    exact = np.array([expectile(REWARDS, t) for t in taus])
    bimodal = np.zeros((len(NOISE_ASYMMETRY), len(NOISE_REVERSAL)))
    for i, sd_tau in enumerate(NOISE_ASYMMETRY):
        for j, sd_rev in enumerate(NOISE_REVERSAL):
            counts = []
            for rep in range(args.repeats):
                reversal = exact + rng.normal(0, sd_rev, n_channels)
                measured = np.clip(taus + rng.normal(0, sd_tau, n_channels), 0.02, 0.98)
                counts.append(modes(decode(measured, reversal, seed=rep), bandwidth=BANDWIDTH))
            bimodal[i, j] = np.mean(np.array(counts) == 2)
            print(f"{n_channels:4d} channels  noise: asymmetry {sd_tau:.2f}, reversal {sd_rev:.2f}  "
                  f"modes {counts}  bimodal in {bimodal[i, j]:.0%}", flush=True)
    image = ax.imshow(bimodal, vmin=0, vmax=1, cmap="viridis", origin="lower", aspect="auto")
    ax.set_xticks(range(len(NOISE_REVERSAL)), [str(v) for v in NOISE_REVERSAL])
    ax.set_yticks(range(len(NOISE_ASYMMETRY)), [str(v) for v in NOISE_ASYMMETRY])
    ax.set_xlabel("s.d. of the reversal points (reward units)")
    ax.set_title(f"{n_channels} channels", fontsize=10)
axes[0].set_ylabel("s.d. of the asymmetries")
fig.colorbar(image, ax=axes, label="fraction decoded bimodal")
fig.suptitle("Decoding the bimodal reward 0.1, 0.2, 1.3, 1.4 from noisy expectiles", fontsize=11)
if args.out:
    fig.savefig(args.out, dpi=110, bbox_inches="tight")
plt.show()
