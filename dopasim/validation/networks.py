"""Findings of one network driven without a task: the basal ganglia select the most salient channel (Gurney,
Prescott & Redgrave 2001), and prefrontal pools hold the last cued item through a delay (Funahashi, Bruce &
Goldman-Rakic 1989; Compte et al. 2000).

Each subject is a probe: its seed draws what is presented (the channels'
saliences, the items cued) and the network's noise, and the probe returns the
subject's measures.
"""

from __future__ import annotations

import numpy as np

from dopasim.validation import Finding, register_finding

#: salience on from here to the end (s); the last SETTLED seconds are measured
SALIENCE_ONSET_S, SALIENCE_END_S, SETTLED_S = 0.5, 1.5, 0.5
#: saliences are drawn from this range, the most salient channel at least GAP above the next
SALIENCE_RANGE, GAP = (0.2, 0.7), 0.15


def draw_saliences(rng: np.random.Generator, channels: int = 3) -> np.ndarray:
    """Saliences for ``channels`` channels, uniform in :data:`SALIENCE_RANGE`, with a clear winner (:data:`GAP`)."""
    while True:
        salience = rng.uniform(*SALIENCE_RANGE, channels)
        top, second = np.sort(salience)[::-1][:2]
        if top - second >= GAP:
            return salience


def _drive(circuit: str, mode: str, salience: np.ndarray, duration: float, seed: int):
    """The ``circuit`` preset driven by ``salience`` (one row per ms, one column per channel): its recording."""
    from dopasim.circuits import make_circuit
    from dopasim.circuits.compiler import simulate
    from dopasim.study import worker_build_root

    return simulate(make_circuit(circuit), mode, {"salience": salience}, duration, seed=seed, progress=False,
                    build_root=worker_build_root())


def selection(mode: str, seed: int) -> dict:
    """Three channels of the ``selection`` circuit get saliences drawn from ``seed`` at 0.5 s; measured over
    the last 0.5 s of 1.5: the winner's thalamic rate above the best of the others' (Hz), and its GPi/SNr rate
    below the lowest of the others'."""
    salience = draw_saliences(np.random.default_rng([seed, 0]))
    drive = np.zeros((int(SALIENCE_END_S * 1000), len(salience)))
    drive[int(SALIENCE_ONSET_S * 1000):] = salience
    rec = _drive("selection", mode, drive, SALIENCE_END_S, seed)
    winner = int(np.argmax(salience))
    out = {"saliences": [round(float(s), 4) for s in salience], "winner": winner}
    for region in ("thalamus", "gpi"):
        t, rates = rec.channel_rates(region, bin_s=0.05)
        late = rates[:, t >= SALIENCE_END_S - SETTLED_S].mean(axis=1)
        others = np.delete(late, winner)
        out[f"{region}_hz"] = [round(float(r), 3) for r in late]
        out[f"{region}_margin"] = float(late[winner] - others.max() if region == "thalamus"
                                        else others.min() - late[winner])
    return out


register_finding(Finding(
    name="most_salient_channel_selected", paper="Gurney, Prescott & Redgrave (2001) Biol Cybern 84:401",
    claim="of three channels with random saliences, the most salient one's thalamus is released: it fires "
          "above every other channel's (by more than 2 Hz)",
    task="saliences", circuit="selection", measure="thalamus_margin", expect="above", threshold=2.0,
    probe=selection))

#: cues of two different items (s); each pool is measured from 0.4 to 1.0 s after its cue ends
FIRST_CUE_S, SECOND_CUE_S, CUE_S, DELAY_FROM_S, DELAY_TO_S = 0.3, 1.5, 0.2, 0.4, 1.0


def memory(mode: str, seed: int) -> dict:
    """The ``working_memory`` circuit is cued with one item, then another (drawn from ``seed``); in each
    delay the cued pool's rate above the best of the others' (Hz). ``held_margin``: the smaller of the two."""
    rng = np.random.default_rng([seed, 1])
    first, second = (int(i) for i in rng.choice(3, size=2, replace=False))
    duration = SECOND_CUE_S + CUE_S + DELAY_TO_S
    cue = np.zeros((int(round(duration * 1000)), 3))
    for item, start in ((first, FIRST_CUE_S), (second, SECOND_CUE_S)):
        cue[int(start * 1000):int((start + CUE_S) * 1000), item] = 1.0
    rec = _drive("working_memory", mode, cue, duration, seed)
    t, rates = rec.channel_rates("pfc_memory", bin_s=0.05)
    out = {"items": [first, second]}
    for label, item, start in (("first", first, FIRST_CUE_S), ("second", second, SECOND_CUE_S)):
        end = start + CUE_S
        delay = rates[:, (t >= end + DELAY_FROM_S) & (t < end + DELAY_TO_S)].mean(axis=1)
        out[f"{label}_delay_hz"] = [round(float(r), 3) for r in delay]
        out[f"{label}_margin"] = float(delay[item] - np.delete(delay, item).max())
    out["held_margin"] = min(out["first_margin"], out["second_margin"])
    return out


register_finding(Finding(
    name="cued_item_held_through_the_delay", paper="Funahashi, Bruce & Goldman-Rakic (1989) J Neurophysiol "
    "61:331; Compte, Brunel, Goldman-Rakic & Wang (2000) Cereb Cortex 10:910",
    claim="after its cue ends, the cued item's prefrontal pool keeps firing at least 10 Hz above every other "
          "pool, and the next cue's item replaces it",
    task="two_cues", circuit="working_memory", measure="held_margin", expect="above", threshold=10.0,
    probe=memory))
