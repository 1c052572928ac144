"""
The dopamine burst moves from reward to cue: Schultz, Dayan & Montague (1997)
=============================================================================

Schultz, Dayan & Montague (1997), Fig. 1. Runs the ``critic`` circuit on 150
Pavlovian trials with an omission probe, in rate and in spiking mode, and plots
the DA population's response at CS and US; each title gives its correlation
with the reference TD(lambda) error on the same trials.

    python examples/pavlovian_transfer.py [--trials 150] [--out FILE]
"""

import argparse

import matplotlib.pyplot as plt

from dopasim.experiment import run

parser = argparse.ArgumentParser(description='The dopamine burst moves from reward to cue')
parser.add_argument("--trials", type=int, default=150)
parser.add_argument("--out", help="also write the figure to this file")
args = parser.parse_args()

fig, axes = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True)
for ax, mode in zip(axes, ("rate", "spiking")):
    res = run("pavlovian", mode=mode, trials=args.trials, seed=1, progress=False,
              params={"task.omit_trials": f"{args.trials - 10}"})
    tr = res.trials
    ax.plot(tr["trial"], tr["da_cs"], ".", label="DA at CS")
    ax.plot(tr["trial"], tr["da_us"], ".", label="DA at US")
    ax.set_title(f"{mode}: r(DA, TD) = {res.summary['corr_da_td_cs']:.2f} (CS), "
                 f"{res.summary['corr_da_td_us']:.2f} (US)", fontsize=9)
    ax.set_xlabel("trial")
    print(mode, {k: round(v, 2) for k, v in res.summary.items() if v is not None})
axes[0].set_ylabel("DA response re baseline (Hz)")
axes[0].legend()
fig.tight_layout()
if args.out:
    fig.savefig(args.out, dpi=110)
plt.show()
