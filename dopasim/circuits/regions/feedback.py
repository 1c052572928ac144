"""Feedback input: the action just taken and whether it paid, one channel per (action, outcome).

For a circuit that must carry the last trial into the next one (the inputs of
the recurrent PFC of Wang et al. 2018: the previous action and reward).
Channel ``2 a + r`` fires at ``peak_rate_hz`` during the outcome volley after
action ``a`` was rewarded (``r = 1``) or not (``r = 0``). The task's
``feedback`` signal holds one value per channel, 0 or 1.
"""

from dopasim.circuits.regions.salience import channel_input

REGION = channel_input("feedback", "the last action and its outcome, one channel per (action, reward or not)",
                       "feedback", 4, 50.0, "rate of the channel of the action and outcome just seen")
