"""
A distributional code for reward in dopamine cells: Dabney et al. (2020)
========================================================================

Dopamine cells differ in how strongly they scale positive against negative
prediction errors. A value channel trained by a cell that weighs positive
errors more (optimistic) settles above the mean reward, a pessimistic one
below: each holds an expectile of the reward distribution, and together they
code the distribution itself (Dabney et al. 2020; Rowland et al. 2019).

This runs ``variable_magnitude`` on its default circuit, ``distributional``
(20 value channels, DA asymmetries from 0.1 to 0.9), with a bimodal reward,
and measures each DA channel as the recordings did: its reversal point (the
magnitude where its response changes sign) and its asymmetry (the slopes of
its responses above and below it). The reward distribution is then decoded
from those pairs alone.

    python examples/distributional_code.py
"""

# %%
import matplotlib.pyplot as plt

import dopasim
from dopasim.analysis.plots import distributional

res = dopasim.run("variable_magnitude", mode="rate", seed=3, progress=False,
                  params={"task.magnitudes": "0.1,0.3,0.5,1.1,1.3,1.5"})
s = res.summary
print(f"asymmetry vs reversal point: r = {s['asymmetry_reversal_corr']:.2f}; "
      f"decoded modes {s['decoded_modes']}, decoded mean {s['decoded_mean']:.2f} (true {s['true_mean']:.2f})")

# %%
# Left: every channel's response at the reward against its magnitude. Middle:
# the reversal points rise with the measured asymmetry, as expectile TD's do.
# Right: the distribution decoded from the DA cells against the true one.
distributional(res)
plt.show()
