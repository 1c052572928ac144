"""
A circuit of your own: regions and projections as plain data
============================================================

A circuit is a :class:`dopasim.CircuitGraph`: regions (each of a registered
region type, with its parameters) and projections between them (a sign, a
weight, a time constant and, if plastic, a rule). This example builds the
Pavlovian critic of Houk, Adams & Barto (1995) by hand instead of taking the
``critic`` preset, prints the Brian2 equations its dopamine cells run, and
trains it on Pavlovian conditioning (Schultz, Dayan & Montague 1997).

The DA cells' drive is reward plus fast value minus slow value: fast minus
slow value approximates dV/dt, so the drive is a continuous-time TD error
(Doya 2000).

    python examples/custom_circuit.py
"""

# %%
# Four regions: the cue as a serial compound in cortex, the reward input,
# value cells in the ventral striatum and the VTA's dopamine cells.
import matplotlib.pyplot as plt

import dopasim
from dopasim.analysis.plots import dopamine_transfer, draw_circuit

graph = dopasim.CircuitGraph("my_critic")
graph.add_region("cortex", "cortex")
graph.add_region("reward", "reward")
graph.add_region("ventral_striatum", "striatum")
graph.add_region("vta", "vta", size=50)

# %%
# Five projections: the plastic corticostriatal synapses learn value
# (three-factor rule: eligibility x dopamine), value reaches the VTA by a fast
# excitatory and a slow inhibitory route, the reward drives the VTA with the
# slow route's time constant (so that a predicted reward cancels), and the VTA
# returns dopamine to the striatum.
graph.add_projection("corticostriatal", "cortex", "ventral_striatum", "excitatory",
                     rule="three_factor", weight=0.5, tau_ms=5.0)
graph.add_projection("value_fast", "ventral_striatum", "vta", "excitatory", weight=1.0, tau_ms=20.0)
graph.add_projection("value_slow", "ventral_striatum", "vta", "inhibitory", weight=1.0, tau_ms=100.0)
graph.add_projection("reward_drive", "reward", "vta", "excitatory", weight=0.3, tau_ms=100.0)
graph.add_projection("mesolimbic", "vta", "ventral_striatum", "dopamine", weight=1.0, tau_ms=20.0)
print(graph.equations("vta", "rate"))

# %%
# Train it: 80 trials, the reward withheld on trial 70. The burst moves from
# the reward (US) to the cue (CS), and the omitted reward leaves a dip.
res = dopasim.run("pavlovian", circuit=graph, mode="rate", trials=80, seed=1, progress=False,
                  params={"task.omit_trials": "70"})
print({k: round(v, 2) for k, v in res.summary.items() if k.startswith("da_")})
fig = plt.figure(figsize=(13, 3.6))
draw_circuit(graph, ax=fig.add_subplot(1, 3, 1))
dopamine_transfer(res, ax=[fig.add_subplot(1, 3, 2), fig.add_subplot(1, 3, 3)])
plt.show()
