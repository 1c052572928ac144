"""
Model-free and model-based control in the two-step task: Daw et al. (2011)
==========================================================================

In the two-step task a first choice leads to one of two second-stage states,
commonly (70%) or rarely; a reward there drifts slowly. A model-free learner
repeats a first choice that was rewarded, whatever the transition; a
model-based learner repeats it after a common transition but switches after a
rare one, since the other first choice more often leads to the state that
just paid (Daw et al. 2011, Fig. 2).

The ``model_based`` circuit arbitrates between a habitual (dorsolateral)
striatum, trained by dopamine, and a goal-directed (dorsomedial) one driven by
a PFC that learns the transitions (Daw, Niv & Dayan 2005).
``circuit.pfc.model_based_weight`` sets the share of control given to the
planner; here one subject with the planner off and one with it in full
control play the same episodes.

    python examples/two_step.py
"""

# %%
import matplotlib.pyplot as plt

import dopasim

EPISODES = 150
results = {}
for weight in (0.0, 1.0):
    results[weight] = dopasim.run("two_step", mode="rate", trials=EPISODES, seed=11, progress=False,
                                  params={"circuit.pfc.model_based_weight": weight})

# %%
# Stay probabilities of the first choice, by the last episode's reward and
# transition: Daw et al.'s signature plot. ``mf_index`` is the main effect of
# reward, ``mb_index`` the reward x transition interaction. One subject's
# indices are noisy at this length (they look one episode back); Daw et al.'s
# hybrid learner fitted to every choice (``fitted_model_based_weight``) tells
# the two apart more surely.
kinds = ["common_rewarded", "rare_rewarded", "common_unrewarded", "rare_unrewarded"]
fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), sharey=True)
for ax, (weight, res) in zip(axes, results.items()):
    s = res.summary
    ax.bar([0, 1, 3, 4], [s[f"stay_{k}"] for k in kinds], color=["C0", "C3", "C0", "C3"])
    ax.set_xticks([0.5, 3.5], ["rewarded", "unrewarded"])
    ax.set_title(f"model_based_weight {weight:g}: mf {s['mf_index']:+.2f}, mb {s['mb_index']:+.2f}, "
                 f"fitted weight {s['fitted_model_based_weight']:.2f}", fontsize=9)
    print(f"weight {weight:g}: mf_index {s['mf_index']:+.2f}, mb_index {s['mb_index']:+.2f}, "
          f"fitted model-based weight {s['fitted_model_based_weight']:.2f}")
axes[0].set_ylabel("P(stay)")
axes[0].set_ylim(0, 1)
axes[1].legend(handles=[plt.Rectangle((0, 0), 1, 1, color=c) for c in ("C0", "C3")], labels=["common", "rare"])
fig.tight_layout()
plt.show()
