"""Prefrontal working memory: pools of cells that hold an item after its cue has gone.

Each channel is one item (a task state). Persistent activity of prefrontal
cells through a delay is the classic correlate of working memory
(Fuster & Alexander 1971; Funahashi, Bruce & Goldman-Rakic 1989). Here a
pool's cells excite each other through slow (NMDA-like) synapses that
depress with use (Tsodyks & Markram 1997): the recurrent drive saturates as
the pool's rate rises, so the pool has two stable states, silent and
persistent, with an unstable rate between them (the bistable attractor of
Compte et al. 2000 and Brunel & Wang 2001, bounded by depression instead of
NMDA saturation; Barak & Tsodyks 2007). A cue lifts its pool past the unstable
rate and the pool keeps firing after the cue ends; the threshold
(``baseline_hz`` below 0) keeps a silent pool silent.

With the preset's weights (:func:`dopasim.circuits.presets.working_memory`):
recurrent gain 3.5, a threshold of 12 Hz and resources that take 100 ms to
recover, half used per spike, a pool's steady rates solve
``r = 3.5 r / (1 + 0.05 r) - 12``: 8 Hz (unstable) and 30 Hz (held).
"""

from dopasim.circuits.regions import RegionType, population_params

REGION = RegionType(
    name="working_memory",
    kind="cortex",
    summary="item pools with depressing recurrent excitation: persistent activity holds the last cued item",
    params=population_params(size=60, tau_ms=20.0, baseline_hz=-12.0),
)
