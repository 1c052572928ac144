"""Premotor cortex: the efference copy of the committed action.

Once the decision is taken, the chosen action's premotor cells fire at
``peak_rate_hz`` until the outcome, and excite that channel's striatal D1 and D2
cells. This is the response layer's top-down input to the striatum in Frank
(2005): it makes the chosen channel's cells the most active, so that their
Hebbian tag (pre x post) carries the credit when dopamine arrives. The task's
``choice`` signal is 1 for the chosen channel while the cue is on.
"""

from dopasim.circuits.regions.salience import channel_input

REGION = channel_input("motor", "premotor efference copy of the chosen action (Frank 2005)", "choice", 2, 30.0,
                       "rate of the chosen channel's cells")
