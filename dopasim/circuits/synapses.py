"""Projections as Brian2 objects: pooled mean rates, static synapses, and plastic ones built by their rule.

Each projection becomes one ``Synapses`` object named after it, feeding the
target's input current (or its dopamine level). In rate mode a static
all-to-all projection needs no synapses: the target reads the source's mean
rate (per channel where the projection is focused), computed once per step.
A plastic projection's model, update and constants come from its rule's
builder (:mod:`dopasim.circuits.rules`); its weights are sampled over time.
"""

from __future__ import annotations

import numpy as np

from dopasim.circuits.batch import SUBJECT_VARIABLES
from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.populations import input_var, pooled, simulated
from dopasim.circuits.recording import WEIGHT_RECORD_DT_MS, WEIGHT_SAMPLE
from dopasim.circuits.rules import Projection, build_synapses
from dopasim.circuits.weights import load as load_weights
from dopasim.models.plasticity import PLASTICITY_DT_MS, depression_equations
from dopasim.params import ConfigError


def _mean_rate(groups: dict, pools: dict, source: str, k: int, copies: int = 1):
    """The group holding the mean rate of ``source`` (per channel if ``k`` > 1; per subject of a batch of
    ``copies``), made once per source."""
    import brian2 as b2

    key = (source, k)
    if key not in pools:
        label = f"{source}_mean" if k == 1 else f"{source}_channel_mean"
        n = len(groups[source]) // copies
        pool = b2.NeuronGroup(k * copies, "mean_rate : Hz", name=label)
        pooling = b2.Synapses(groups[source], pool, "mean_rate_post = rate_pre / N_incoming : Hz (summed)",
                              name=f"{label}_pooling")
        # each mean sums its cells in their order, but the synapses take the means in turn (the first cell of
        # every mean, then the second...): consecutive additions go to different means and do not wait on each
        # other, and each mean is the same sum, bit for bit, as with its cells' synapses side by side
        means, per_mean = k * copies, n // k
        cells = np.arange(means * per_mean).reshape(means, per_mean)
        pooling.connect(i=cells.T.ravel(), j=np.tile(np.arange(means), per_mean))
        pools[key] = (pool, pooling)
    return pools[key][0]


def _weight_sample(pairs: int, p: float, made: int | None) -> np.ndarray:
    """The synapses whose weights are recorded over time, of a projection over ``pairs`` cell pairs.

    All-to-all (or with a known number ``made``): evenly spaced, so every channel of a focused projection is
    sampled. Random (``p`` < 1): the number made is drawn inside the compiled run, so the first ones made
    (those of the first source cells), no more than it surely has (8 s.d. below the expected number).
    """
    if made is None and p >= 1.0:
        made = pairs
    if made is not None:
        return np.unique(np.linspace(0, made - 1, min(made, WEIGHT_SAMPLE)).astype(int)) if made else np.arange(0)
    surely = int(pairs * p - 8 * np.sqrt(pairs * p * (1 - p)))
    return np.arange(max(0, min(WEIGHT_SAMPLE, surely)))


def _pairs(n_pre: int, n_post: int, k: int, p: float):
    """One subject's synapses of a projection (pre-major, as Brian2 makes them): every pair, or within each of
    ``k`` channels, kept with probability ``p``; a function of the subject's generator."""
    pre, post = np.meshgrid(np.arange(n_pre), np.arange(n_post), indexing="ij")
    keep = pre // (n_pre // k) == post // (n_post // k)

    def draw(rng):
        chosen = keep & (rng.random(keep.shape) < p) if p < 1.0 else keep
        return pre[chosen], post[chosen]
    return draw


def build_projections(graph: CircuitGraph, mode: str, groups: dict, timed: dict, monitors: dict, batch=None):
    """Every simulated projection of ``graph`` between the Brian2 ``groups``.

    Returns ``(synapses, pools)``: the ``Synapses`` by projection name, and the
    (mean-rate group, pooling synapses) pairs of pooled rate projections.
    Weight monitors of plastic projections are added to ``monitors``. With a
    ``batch`` (:class:`dopasim.circuits.batch.Batch`), each synapse joins cells
    of one subject, drawn from that subject's seed; ``batch.synapses`` keeps the
    first synapse of each subject, ``batch.weight_rows`` its sampled weights.
    """
    import brian2 as b2

    synapses, pools = {}, {}
    copies = 1 if batch is None else batch.size
    trained = load_weights(graph.init_from) if graph.init_from else {}
    if trained and batch is not None:
        raise ConfigError("a run that starts from another's weights (init-from) runs alone: use --batch 1")
    for name, source, target, attrs in graph.projections():
        if not simulated(graph, target, attrs):
            continue
        p = attrs["params"]
        focused = p["topology"] == "channel"
        k = graph.channels(source) if focused else 1
        n_src, n_tgt = len(groups[source]) // copies, len(groups[target]) // copies
        per_src, per_tgt = n_src // k, n_tgt // k
        var = input_var(name, attrs)
        if mode == "rate" and p["delay_ms"] > 0:
            raise ConfigError(f"circuit.{name}.delay_ms={p['delay_ms']}: rate mode has no axonal delays; "
                              "set it to 0 or use --mode spiking")
        if pooled(mode, attrs):
            cells = np.arange(len(groups[target]))
            setattr(groups[target], f"{var}_in",
                    b2.linked_var(_mean_rate(groups, pools, source, k, copies), "mean_rate",
                                  index=(cells // n_tgt) * k + (cells % n_tgt) // per_tgt))
            continue
        ns = {"tau_syn": p["tau_ms"] * b2.ms, "weight": p["weight"]}
        model, on_pre, on_post, kwargs = "w : 1\n", "", "", {}
        code = None
        if attrs["rule"]:
            code = build_synapses(Projection(graph, name, source, target, mode, p,
                                             groups[source].variables, groups[target].variables,
                                             n_src, timed))
        gain = code.drive_gain if code else ""
        if p["depression"]:  # short-term depression scales the drive by the resources left
            gain += " * resources"
        if mode == "rate":
            model += f"{var}_in_post = w{gain} * rate_pre / N_incoming : Hz (summed)\n"
        else:
            on_pre = f"{var}_post += w{gain} / (N_incoming * tau_syn)"
        if p["depression"]:
            extra, used = depression_equations(mode)
            model, on_pre = model + extra, "\n".join(c for c in (on_pre, used) if c)
            ns.update(depression=p["depression"], recovery=p["recovery_ms"] * b2.ms)
            kwargs = dict(method="euler")
        if code:
            model += code.model
            on_pre = "\n".join(c for c in (on_pre, code.on_pre) if c)
            on_post = code.on_post
            ns.update(code.namespace)
            # the initial weights' spread and bound, from the rule's declared w_init_spread and w_max
            ns.setdefault("w_max", p["w_max"])
            ns.setdefault("spread", p["w_init_spread"])
            kwargs = dict(dt=PLASTICITY_DT_MS * b2.ms, method="euler")
        update = code.update if code else None
        if batch is not None:
            model, on_pre, on_post = (batch.local(c, True) for c in (model, on_pre, on_post))
            model, update = model + SUBJECT_VARIABLES, batch.local(update, True)
        syn = b2.Synapses(groups[source], groups[target], model, on_pre=on_pre or None,
                          on_post=on_post or None, namespace=ns, name=name, **kwargs)
        condition = f"i // {per_src} == j // {per_tgt}" if focused else None
        offsets = None
        if batch is not None:
            offsets = batch.connect_pairs(syn, name, n_src, n_tgt, _pairs(n_src, n_tgt, k, p["p"]))
            batch.synapses[name] = offsets
        elif name in trained:
            # the synapses and weights a previous run ended with (CircuitGraph.start_from)
            # (no local may be named like an equation's constant: Brian2 also looks names up in the caller's frame)
            saved_pre, saved_post, saved_w, saved_shape = trained[name]
            if saved_shape != (len(groups[source]), len(groups[target])):
                raise ConfigError(f"init-from {graph.init_from['run']!r}: projection {name!r} joined {saved_shape[0]} "
                                  f"to {saved_shape[1]} cells there and {len(groups[source])} to "
                                  f"{len(groups[target])} here (same circuit and mode needed)")
            syn.connect(i=saved_pre, j=saved_post)
            syn.w = saved_w
        elif p["p"] >= 1.0:
            syn.connect(condition=condition)
        else:
            syn.connect(condition=condition, p=p["p"])
        if code:
            fresh = name not in trained
            if fresh:
                syn.w = "clip(weight * (1 + spread * (2 * rand() - 1)), 0, w_max)"
            syn.run_regularly(update, dt=PLASTICITY_DT_MS * b2.ms, name=f"{name}_weights")
            if fresh and code.initialise is not None:
                code.initialise(syn if batch is None else batch.one_subject(syn, n_src, synaptic=True))
            if batch is None:
                record = _weight_sample(len(groups[source]) * len(groups[target]) // (k if focused else 1),
                                        p["p"], len(trained[name][0]) if name in trained else None)
            else:  # each subject's own sample, evenly spaced over the synapses it has
                samples = [start + _weight_sample(0, 1.0, stop - start) for start, stop in zip(offsets, offsets[1:])]
                batch.weight_rows[name] = np.cumsum([0] + [len(sample) for sample in samples])
                record = np.concatenate(samples)
            if len(record):
                monitors[f"weights_{name}"] = b2.StateMonitor(
                    syn, "w", record=record, dt=WEIGHT_RECORD_DT_MS * b2.ms, name=f"weights_{name}")
        else:
            syn.w = "weight"
        if p["depression"]:
            syn.resources = 1.0
        if mode == "spiking" and p["delay_ms"] > 0:
            syn.delay = p["delay_ms"] * b2.ms
        synapses[name] = syn
    return synapses, pools
