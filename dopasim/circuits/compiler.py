"""Compile a circuit graph into Brian2 objects: walk the graph, let each part build itself.

The same graph compiles at two resolutions (see :mod:`dopasim.models.neurons`).
Each region becomes one ``NeuronGroup`` named after it: an input region reads
the task's signals (:mod:`dopasim.circuits.signals`); a population gets the
shared equations with its region type's hooks (:mod:`dopasim.circuits.populations`).
Each projection becomes one ``Synapses`` object, a plastic one built by its
rule (:mod:`dopasim.circuits.synapses`, :mod:`dopasim.circuits.rules`). Nothing
here asks which region or rule it is building.

Speed decides the run loop: Brian2's runtime targets pay Python overhead on
every time step of every object, so :func:`simulate` runs the whole session in
one ``run()`` on the C++ standalone device, with the task's stimuli and
outcomes precomputed as ``TimedArray`` signals or decided in generated code
(:mod:`dopasim.circuits.loop`). Code is compiled into a per-mode cache
directory; only files whose code changed are rebuilt.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

import numpy as np

from dopasim.circuits.batch import Batch
from dopasim.circuits.build import build_dir, build_lock, compile_and_run, default_build_root, project_structure
from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.loop import TaskLoop, TaskProgram
from dopasim.circuits.populations import population_equations
from dopasim.circuits.recording import RATE_SAMPLE, RECORD_DT_MS, Recording, SimulationError, check_finite
from dopasim.circuits.regions import REGIONS
from dopasim.circuits.resolution import DT_MS, MODES, check_mode, check_time_constants
from dopasim.circuits.signals import SignalReader, input_group
from dopasim.circuits.standalone import progress_bar, standalone, stochastic_variables_in_sorted_order
from dopasim.circuits.synapses import build_projections
from dopasim.params import ConfigError

__all__ = ["DT_MS", "MODES", "Recording", "SimulationError", "build_network", "check_finite", "check_mode",
           "check_time_constants", "region_equations", "simulate", "simulate_batch"]


def region_equations(graph: CircuitGraph, region: str, mode: str) -> str:
    """The Brian2 equations ``region`` compiles to at resolution ``mode``, as text.

    An input region's cells have one variable, ``rate``, set at every step
    from the task's signal; its line says from which expression.
    """
    check_mode(mode)
    attrs = graph.region(region)
    spec, params = REGIONS[attrs["region"]], attrs["params"]
    if spec.is_input:
        if mode == "rate" and spec.rate_mode_params:
            params = spec.rate_mode_params(params)
        def signal(index=None):
            return spec.signal if index is None else f"{spec.signal}[{index}]"
        return f"rate : Hz  # set every step: rate = {spec.input_rate(params, signal)}\n"
    return population_equations(graph, region, mode)[0]


def _population_group(graph: CircuitGraph, region: str, spec, params: dict, n: int, mode: str, timed: dict,
                      loop: TaskLoop | None, batch: Batch | None = None):
    import brian2 as b2

    from dopasim.models import neurons

    eqs, ns = population_equations(graph, region, mode)
    sensing = None
    if spec.senses is not None:
        reader = SignalReader(region, timed, loop)
        sensing = spec.senses(reader, params, n)
        eqs += reader.declarations()
        ns.update(reader.namespace)
    kwargs = dict(method="euler", namespace=ns, name=region)
    if mode == "spiking":
        kwargs.update(threshold=neurons.LIF_THRESHOLD, reset=neurons.LIF_RESET, refractory=neurons.REFRACTORY)
    if batch is None:
        group = b2.NeuronGroup(n, eqs, **kwargs)
    else:
        group, sensing = batch.group(n, eqs, **kwargs), batch.local(sensing)
    if mode == "spiking":
        group.v = "V_REST + rand() * (V_THRESHOLD - V_REST)"
    if sensing is not None:
        reader.link(group)
        group.run_regularly(sensing, when="start", name=f"{region}_senses")
    if spec.prepare is not None:
        spec.prepare(group if batch is None else batch.one_subject(group, n), params, graph.channels(region))
    return group


def build_network(graph: CircuitGraph, mode: str, signals, signal_dt: float, loop: TaskLoop | None = None,
                  batch: Batch | None = None):
    """The graph as plain Brian2 objects on the current device.

    Returns ``(network, groups, synapses, monitors)``: dicts keyed by region,
    projection and monitor name, so a user can add monitors or run the network
    on any Brian2 device. ``signals`` maps the task's signal names to arrays
    sampled every ``signal_dt`` seconds (see :func:`simulate`); a closed-loop
    task's ``loop`` (:class:`dopasim.circuits.loop.TaskLoop`) supplies the rest
    and reads its decision from the thalamus. With a ``batch``
    (:class:`dopasim.circuits.batch.Batch`), every region holds its subjects side
    by side and ``signals`` is a list of each subject's.
    """
    import brian2 as b2

    groups, monitors = {}, {}
    extra = [batch.start()] if batch is not None else []
    if batch is None:
        timed = {name: b2.TimedArray(values, dt=signal_dt * b2.second, name=f"sig_{name}")
                 for name, values in signals.items()}
    else:
        timed = {name: b2.TimedArray(batch.table(f"sig_{name}", [own[name] for own in signals]),
                                     dt=signal_dt * b2.second, name=f"sig_{name}") for name in signals[0]}
    record_dt = RECORD_DT_MS * b2.ms
    copies = 1 if batch is None else batch.size

    for region in graph.regions():
        attrs = graph.region(region)
        spec, params = REGIONS[attrs["region"]], attrs["params"]
        if mode == "rate" and spec.rate_mode_params:
            params = spec.rate_mode_params(params)
        n = spec.size(params)
        if spec.is_input:
            group = input_group(region, spec, params, n, mode, timed, loop, batch)
        else:
            group = _population_group(graph, region, spec, params, n, mode, timed, loop, batch)
        groups[region] = group
        if mode == "spiking":
            monitors[f"spikes_{region}"] = b2.SpikeMonitor(group, name=f"spikes_{region}")
        else:
            # evenly spaced units: with at most RATE_SAMPLE channels every channel is sampled
            record = np.unique(np.linspace(0, n - 1, min(n, RATE_SAMPLE)).astype(int))
            record = (record[None, :] + n * np.arange(copies)[:, None]).ravel()
            monitors[f"rates_{region}"] = b2.StateMonitor(group, "rate", record=record, dt=record_dt,
                                                          name=f"rates_{region}")

    synapses, pools = build_projections(graph, mode, groups, timed, monitors, batch)

    if loop is not None:
        region = loop.program.decision_region
        if region is not None:
            if region not in groups or graph.channels(region) != loop.program.n_actions:
                raise ConfigError(f"this task chooses among {loop.program.n_actions} actions through the region "
                                  f"{region!r}, so the circuit needs one with {loop.program.n_actions} channels")
            loop.decide(groups[region], mode, len(groups[region]) // copies // loop.program.n_actions)
        loop.watch(groups, mode)
        extra += loop.objects
    net = b2.Network(*groups.values(), *synapses.values(), *monitors.values(),
                     *(obj for pair in pools.values() for obj in pair), *extra)
    return net, groups, synapses, monitors


def simulate(graph: CircuitGraph, mode: str, signals: dict, duration: float, *, signal_dt: float = 0.001,
             seed: int = 1, progress: bool = True, build_root: Path | None = None,
             trial_s: float | None = None, program: TaskProgram | None = None,
             decision: dict | None = None) -> Recording:
    """Run ``graph`` at resolution ``mode`` for ``duration`` seconds, driven by ``signals``; no task needed.

    Parameters
    ----------
    graph : CircuitGraph
        the circuit (checked again here).
    mode : {"rate", "spiking"}
        the resolution.
    signals : dict
        signal name -> array sampled every ``signal_dt`` seconds (one column per
        stimulus or channel where the reading region has several): what the
        input regions read (``cs``, ``reward``, ``salience`` ...).
    duration : float
        simulated time (s).
    signal_dt : float
        the signals' sampling step (s).
    seed : int
        fixes every random draw (initial weights, Poisson input, noise).
    progress : bool
        draw a progress bar (in trials of ``trial_s``) on stderr.
    build_root : path, optional
        where the C++ code is compiled (default :func:`dopasim.circuits.build.default_build_root`), in a
        directory per circuit and project structure.
    trial_s, program, decision
        a closed-loop task's trial length, its :class:`~dopasim.circuits.loop.TaskProgram` and the decision
        read-out's parameters; its log of every outcome is ``Recording.events``.

    Returns
    -------
    Recording
        spikes (spiking mode) or sampled rates (rate mode) of every region, plastic weights over time.

    Examples
    --------
    >>> import numpy as np, dopasim
    >>> salience = np.tile([0.6, 0.3, 0.1], (1000, 1))          # 1 s of three competing inputs
    >>> rec = dopasim.simulate(dopasim.make_circuit("selection"), "rate",
    ...                        {"salience": salience}, 1.0, progress=False)   # doctest: +SKIP
    >>> t, rates = rec.channel_rates("thalamus")                # doctest: +SKIP
    """
    return _run(graph, mode, signals, duration, signal_dt, seed, progress, build_root, trial_s, program,
                decision)[0]


def simulate_batch(graph: CircuitGraph, mode: str, signals: list[dict], duration: float, seeds: list[int], *,
                   signal_dt: float = 0.001, progress: bool = True, build_root: Path | None = None,
                   trial_s: float | None = None, programs: list[TaskProgram] | None = None,
                   decision: dict | None = None) -> list[Recording]:
    """:func:`simulate` for a batch of subjects in one network (:mod:`dopasim.circuits.batch`): each with its
    own ``signals`` (a dict per subject), seed and task program; one :class:`Recording` per subject, as a run
    of its own would have left it."""
    batch = Batch(seeds)
    if len(signals) != batch.size or (programs is not None and len(programs) != batch.size):
        raise ConfigError(f"a batch of {batch.size} subjects needs as many signal sets and task programs")
    return _run(graph, mode, signals, duration, signal_dt, seeds[0], progress, build_root, trial_s,
                programs[0] if programs else None, decision, batch, programs)


def _run(graph, mode, signals, duration, signal_dt, seed, progress, build_root, trial_s, program, decision,
         batch=None, programs=None) -> list[Recording]:
    check_mode(mode)
    graph.validate()
    check_time_constants(graph, mode)
    import brian2 as b2

    # the weight monitor records synapses 0..k of an all-to-all projection, which exist
    b2.BrianLogger.suppress_name("cannot_check_statemonitor_indices")
    # the decision's same-step crossings are serialised on purpose: each replaces the choice with
    # chance 1/(crossings so far), so the order-dependence Brian2 warns about is the tie-break
    b2.BrianLogger.suppress_hierarchy("brian2.codegen.generators.base")

    # the Brian2 objects of an earlier run in this process must be gone, or this run's code objects are
    # named around theirs (``..._codeobject_1``) and every file of the build directory is compiled again
    gc.collect()
    stochastic_variables_in_sorted_order()
    started = time.perf_counter()
    copies = 1 if batch is None else batch.size
    with standalone() as device:
        b2.defaultclock.dt = DT_MS[mode] * b2.ms
        b2.seed(seed)
        loop = None
        if batch is not None:
            batch.start()
        if program is not None:
            loop = TaskLoop(program, DT_MS[mode] / 1000, decision, batch, programs)
        net, groups, synapses, monitors = build_network(graph, mode, signals, signal_dt, loop, batch)
        counter = program.progress if program is not None else None
        report = progress_bar(trial_s or duration, counter) if progress else None
        net.run(duration * b2.second, report=report, report_period=1 * b2.second)
        if sys.platform.startswith("linux"):
            # the compiled simulation dies with this process: a run killed outright (SIGKILL) leaves no orphan
            # computing on (SIGTERM and Ctrl-C stop it already: Brian2 kills it on any exception). Added after
            # the code objects exist, so that only main.cpp includes the header
            device.headers.append("<sys/prctl.h>")
            device.insert_code("before_start", "prctl(PR_SET_PDEATHSIG, SIGKILL);")
        sizes = {region: len(group) // copies for region, group in groups.items()}
        structure = project_structure(device, {region: len(group) for region, group in groups.items()})
        directory = build_dir(build_root or default_build_root(), mode, graph.name, structure)
        with build_lock(directory):
            built = time.perf_counter()
            if progress:
                print(f"  compiling C++ in {directory} (changed files only)", file=sys.stderr, flush=True)
            try:
                compile_and_run(device, directory, with_output=progress)
            except RuntimeError as err:
                raise SimulationError(f"the C++ standalone build or run failed in {directory} ({err}); "
                                      "Brian2 needs a working g++ and make") from err
            ran = time.perf_counter()
            if progress and device._last_run_completed_fraction < 1:
                print(file=sys.stderr, flush=True)  # the bar stops short when the task ends the session
            # a task can end the session early (at a trial's start): keep whole trials only
            simulated = duration * device._last_run_completed_fraction
            if trial_s and simulated < duration:
                simulated = min(duration, round(simulated / trial_s) * trial_s)
            timings = {"network": built - started, "compile": ran - built - device._last_run_time,
                       "simulation": device._last_run_time}
            recordings = _recordings(graph, mode, simulated, sizes, groups, synapses, monitors, loop, batch)
    for rec in recordings:
        rec.timings = dict(timings)
        check_finite(rec, DT_MS[mode] / 1000)
    return recordings


def _recordings(graph, mode, simulated, sizes, groups, synapses, monitors, loop, batch) -> list[Recording]:
    """What the monitors hold, read once, split by subject (one without a batch), each with its own cell
    indices."""
    copies = 1 if batch is None else batch.size
    recs = [Recording(mode=mode, duration=simulated, sizes=sizes, kinds={r: graph.region(r)["kind"] for r in groups},
                      channels={r: graph.channels(r) for r in groups}) for _ in range(copies)]
    for key, mon in monitors.items():
        kind, _, name = key.partition("_")
        if kind == "spikes":
            i, t = np.asarray(mon.i_), np.asarray(mon.t_)
            if batch is None:
                recs[0].spikes[name] = (i, t)
                continue
            subject = i // sizes[name]
            for s, rec in enumerate(recs):
                mine = subject == s
                rec.spikes[name] = (i[mine] % sizes[name], t[mine])
        elif kind == "rates":
            rows, t, rates = np.asarray(mon.record), np.asarray(mon.t_), np.asarray(mon.rate_)
            per = len(rows) // copies
            for s, rec in enumerate(recs):
                rec.rates[name] = (t, rates[s * per:(s + 1) * per])
                rec.recorded[name] = rows[s * per:(s + 1) * per] % sizes[name]
        else:
            rows, t, w = np.asarray(mon.record), np.asarray(mon.t_), np.asarray(mon.w_)
            starts = [0, len(rows)] if batch is None else batch.weight_rows[name]
            firsts = [0] if batch is None else batch.synapses[name]
            for s, rec in enumerate(recs):
                rec.weights[name] = (t, w[starts[s]:starts[s + 1]])
                rec.weight_synapses[name] = rows[starts[s]:starts[s + 1]] - firsts[s]
    if loop is not None:
        for s, rec in enumerate(recs):
            rec.events = loop.events(None if batch is None else s)
    for name, syn in synapses.items():
        if graph.projection(name)["rule"]:
            i, j, w = np.asarray(syn.i[:]), np.asarray(syn.j[:]), np.asarray(syn.w[:])
            bounds = [0, len(i)] if batch is None else batch.synapses[name]
            for s, rec in enumerate(recs):
                mine = slice(bounds[s], bounds[s + 1])
                rec.final_weights[name] = (i[mine] % sizes[syn.source.name], j[mine] % sizes[syn.target.name], w[mine])
    return recs
