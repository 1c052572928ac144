"""Compile a circuit graph into Brian2 objects and run a whole session at once.

The same graph compiles at two resolutions (see :mod:`dopasim.models.neurons`).
Each projection becomes one ``Synapses`` object named after it; each population
gets one input current per incoming projection and sums them into its drive,
excitatory ones added and inhibitory ones subtracted. A dopamine projection
instead sets the target's ``dopamine`` level (Hz of DA population rate), which
the target's plastic synapses read.

Speed decides the run loop: Brian2's runtime targets pay Python overhead on
every time step of every object, so the whole session runs in one ``run()`` on
the C++ standalone device, with the task's stimuli and outcomes precomputed as
``TimedArray`` signals. Code is compiled into a per-mode cache directory; only
files whose code changed are rebuilt, so a second run with other parameters or
another seed rebuilds little.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dopasim.circuits.build import build_dir, build_lock, compile_and_run, default_build_root, project_structure
from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.loop import TaskLoop, TaskProgram, expand, task_names
from dopasim.circuits.regions import REGIONS
from dopasim.circuits.regions.striatum import RECEPTOR_AFFINITY_HZ
from dopasim.circuits.regions.vta import asymmetries
from dopasim.models import neurons
from dopasim.models.plasticity import (DA_STDP_EQUATIONS, PLASTICITY_DT_MS, REWARD_PREDICTION_EQUATIONS,
                                      REWARD_PREDICTION_UPDATE, STATE_PREDICTION_UPDATE, WEIGHT_UPDATE,
                                      depression_equations, forgetting, three_factor_equations, weight_update)
from dopasim.params import ConfigError

MODES = ("rate", "spiking")
#: integration step per mode; rate units (tau >= 5 ms) are exact enough at 1 ms
DT_MS = {"rate": 1.0, "spiking": 0.25}
#: resolution of recorded rates and of population-rate estimates
RECORD_DT_MS = 10.0
#: rate units recorded per population in rate mode
RATE_SAMPLE = 20
WEIGHT_SAMPLE = 200
WEIGHT_RECORD_DT_MS = 100.0


@dataclass
class Recording:
    """What one session left behind, as plain numpy arrays (seconds, Hz)."""

    mode: str
    duration: float
    sizes: dict[str, int]
    kinds: dict[str, str]
    channels: dict[str, int] = field(default_factory=dict)
    #: rate mode: which units of each region were recorded
    recorded: dict[str, np.ndarray] = field(default_factory=dict)
    spikes: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    rates: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    weights: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: plastic projection -> (presynaptic index, postsynaptic index, weight) of every synapse
    final_weights: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)
    #: plastic projection -> indices of the synapses in ``weights``
    weight_synapses: dict[str, np.ndarray] = field(default_factory=dict)
    #: closed-loop tasks: the task variables logged at each trial's outcome
    events: dict[str, np.ndarray] = field(default_factory=dict)
    #: where the wall time went (s): ``network`` (building the Brian2 objects and generating code, Python),
    #: ``compile`` (writing the C++ project and compiling what changed), ``simulation`` (the compiled run)
    timings: dict[str, float] = field(default_factory=dict)

    def population_rate(self, region: str, bin_s: float = RECORD_DT_MS / 1000) -> tuple[np.ndarray, np.ndarray]:
        """Mean rate of ``region`` (Hz) in bins of ``bin_s``: (bin starts, rate)."""
        t, rates = self.channel_rates(region, bin_s, by_channel=False)
        return t, rates[0]

    def channel_rates(self, region: str, bin_s: float = RECORD_DT_MS / 1000,
                      by_channel: bool = True) -> tuple[np.ndarray, np.ndarray]:
        """Mean rate (Hz) of each channel of ``region`` in bins of ``bin_s``: (bin starts, channels x bins)."""
        k = self.channels.get(region, 1) if by_channel else 1
        n_bins = int(round(self.duration / bin_s))
        starts = np.arange(n_bins) * bin_s
        if region in self.spikes:
            cells, times = self.spikes[region]
            per = self.sizes[region] // k
            b = np.minimum((times / bin_s).astype(int), n_bins - 1)
            counts = np.zeros((k, n_bins))
            np.add.at(counts, (np.minimum(cells // per, k - 1), b), 1)
            return starts, counts / (per * bin_s)
        t, r = self.rates[region]
        channel = self.recorded[region] * k // self.sizes[region]
        mean = np.array([r[channel == c].mean(axis=0) for c in range(k)])
        step = max(1, int(round(bin_s / (t[1] - t[0])))) if len(t) > 1 else 1
        usable = (mean.shape[1] // step) * step
        # a session ended early by the task records a step past its last whole trial: cut to the duration
        binned = mean[:, :usable].reshape(k, -1, step).mean(axis=2)[:, :n_bins]
        return starts[: binned.shape[1]], binned


def resting_drive(graph: CircuitGraph, region: str) -> float:
    """Drive (Hz) of ``region`` at rest: its baseline plus what its resting inputs send it.

    The tonic dopamine level, from which bursts and dips are counted, is the DA
    cells' resting drive: the rate they are calibrated to fire at with no
    reward and no value in view. Inputs rest at their own baseline (if above 0).
    """
    drive = graph.region(region)["params"]["baseline_hz"]
    for _, source, attrs in graph.incoming(region):
        sign = {"excitatory": 1.0, "inhibitory": -1.0}.get(attrs["sign"], 0.0)
        if not REGIONS[graph.region(source)["region"]].is_input:
            drive += sign * attrs["params"]["weight"] * max(graph.region(source)["params"]["baseline_hz"], 0.0)
    return drive


def resting_dopamine(graph: CircuitGraph, target: str) -> tuple[float, float] | None:
    """``(level, normal)``: the dopamine level (Hz) at ``target`` at rest, and that of an intact circuit.

    The level is what the DA cells release at rest (weight x their resting
    drive) plus any dopamine at the terminals that firing does not set
    (``tonic_hz``, a drug); an intact circuit releases the cells' resting
    rate (weight 1). None where no dopamine reaches ``target``.
    """
    found = graph.dopamine_projection(target)
    if found is None:
        return None
    _, source, attrs = found
    normal = resting_drive(graph, source)
    return attrs["params"]["weight"] * normal + attrs["params"]["tonic_hz"], normal


def receptor_slope(graph: CircuitGraph, target: str) -> float:
    """How strongly ``target``'s receptors register a burst or dip, relative to an intact circuit.

    Occupancy ``D / (D + K)`` (``K``: the receptor's affinity) linearised
    around the resting level ``D``: its slope relative to the slope at the
    normal level. High-affinity D2 receptors, nearly full at the normal
    level, feel dips more where dopamine is depleted and hardly at all where
    a drug has raised it; low-affinity D1 receptors are nearly linear
    (Richfield, Penney & Young 1989; Dreyer et al. 2010; Frank 2005).
    """
    rest = resting_dopamine(graph, target)
    receptor = graph.region(target)["params"].get("dopamine_receptor")
    if rest is None or receptor is None:
        return 1.0
    level, normal = rest
    k = RECEPTOR_AFFINITY_HZ[receptor]
    return ((normal + k) / (max(level, 0.0) + k)) ** 2


def dopamine_scaling(graph: CircuitGraph, target: str, attrs: dict) -> float:
    """The factor on a projection's weight at its ``target``'s resting dopamine level: 1 in an intact circuit.

    ``weight x (1 + dopamine_scaling x the fraction of normal dopamine lost)``:
    a positive scaling strengthens the projection as dopamine is lost (GPe ->
    STN, STN -> GPe; Holgado, Terry & Bogacz 2010), a negative one weakens it.
    Dopamine above normal leaves it as it is.
    """
    kappa = attrs["params"]["dopamine_scaling"]
    rest = resting_dopamine(graph, target)
    if rest is None or not kappa:
        return 1.0
    level, normal = rest
    return max(0.0, 1 + kappa * max(0.0, 1 - level / normal))


def control_gain(graph: CircuitGraph, attrs: dict) -> float:
    """A projection's share in the arbitration between goal-directed and habitual control.

    ``model_based_weight`` (of the circuit's PFC or hippocampus) for a ``control="goal_directed"``
    projection, 1 minus it for a ``"habitual"`` one, 1 for the rest (Daw, Niv &
    Dayan 2005: the controllers' values mixed by a weight, as in Daw et al. 2011).
    """
    control = attrs["params"]["control"]
    if control == "none":
        return 1.0
    weight = graph.region(graph.control_region())["params"]["model_based_weight"]
    return weight if control == "goal_directed" else 1.0 - weight


def check_mode(mode: str) -> None:
    if mode not in MODES:
        raise ConfigError(f"mode {mode!r} is not one of {', '.join(MODES)}")


#: time constants integrated at the network's step (Euler: a step longer than the time constant overshoots,
#: two steps diverge), and those integrated at the plasticity step
_STEPPED = ("tau_ms", "noise_tau_ms", "recovery_ms")
_PLASTICITY_STEPPED = ("tag_ms", "eligibility_ms")


def check_time_constants(graph: CircuitGraph, mode: str) -> None:
    """Refuse a time constant shorter than the step that integrates it: the run would diverge."""
    check_mode(mode)
    dt = DT_MS[mode]
    owners = [(f"circuit.{r}", graph.region(r)["params"]) for r in graph.regions()]
    owners += [(f"circuit.{name}", attrs["params"]) for name, _, _, attrs in graph.projections()]
    for owner, params in owners:
        for name, step, what in ([(n, dt, f"the time step in {mode} mode") for n in _STEPPED]
                                 + [(n, PLASTICITY_DT_MS, "the plasticity step") for n in _PLASTICITY_STEPPED]):
            if name in params and params[name] < step:
                raise ConfigError(f"{owner}.{name}={params[name]} is shorter than {what} ({step} ms): the "
                                  f"integration would diverge; use at least {step}")


def check_finite(rec: "Recording", dt_s: float) -> None:
    """Stop a run whose rates or weights became NaN or infinite, naming where and when it diverged."""
    found = []
    for region, (t, rates) in rec.rates.items():
        bad = ~np.isfinite(rates)
        if bad.any():
            found.append((t[np.argmax(bad.any(axis=0))], f"region {region!r}: its rate"))
    for name, (t, w) in rec.weights.items():
        bad = ~np.isfinite(w)
        if bad.any():
            found.append((t[np.argmax(bad.any(axis=0))], f"projection {name!r}: its weights"))
    for name, (_, _, w) in rec.final_weights.items():
        if not np.all(np.isfinite(w)):
            found.append((rec.duration, f"projection {name!r}: its weights"))
    if found:
        when, what = min(found, key=lambda f: f[0])
        raise SimulationError(f"the simulation diverged: {what} became NaN or infinite by t = {when:.3f} s "
                              f"(dt {dt_s * 1000:g} ms); nothing was written")


def _input_var(name: str, attrs: dict) -> str:
    """The target's variable that a projection feeds: its DA level, or an input current."""
    return "dopamine" if attrs["sign"] == "dopamine" else f"I_{name}"


def _simulated(graph: CircuitGraph, target: str, attrs: dict) -> bool:
    """Whether a projection is built: not a dopamine projection to a target that has no plastic synapses.

    Such a projection acts only through its resting level (the target's
    ``dopamine_scaling`` of its inputs), a constant of the compiled network.
    """
    return attrs["sign"] != "dopamine" or any(a["rule"] for _, _, a in graph.incoming(target))


def _pooled(mode: str, attrs: dict) -> bool:
    """A static all-to-all rate projection: weight x mean source rate, no synapses needed."""
    p = attrs["params"]
    return mode == "rate" and attrs["rule"] is None and p["p"] >= 1.0 and not p["depression"]


def _population_equations(graph: CircuitGraph, region: str, mode: str) -> tuple[str, dict]:
    params = graph.region(region)["params"]
    import brian2 as b2

    namespace = {"tau": params["tau_ms"] * b2.ms, "max_rate": params["max_rate_hz"] * b2.Hz}
    terms, synaptic = [f"{params['baseline_hz']}*Hz"], []
    currents = ""
    for name, _, attrs in graph.incoming(region):
        if not _simulated(graph, region, attrs):
            continue
        var = _input_var(name, attrs)
        pooled = _pooled(mode, attrs)
        currents += neurons.input_current(var, mode, pooled)
        namespace[f"tau_{var}"] = attrs["params"]["tau_ms"] * b2.ms
        namespace[f"gain_{var}"] = attrs["params"]["weight"] if pooled else 1.0
        scale = dopamine_scaling(graph, region, attrs) * control_gain(graph, attrs)
        factor = "" if scale == 1.0 else f"{scale!r} * "  # an intact circuit keeps its code
        if attrs["sign"] == "excitatory":
            synaptic.append(f"+ {factor}{var}")
        elif attrs["sign"] == "inhibitory":
            synaptic.append(f"- {factor}{var}")
    if params.get("asymmetry_spread", 0.0) > 0 and synaptic:
        # distributional dopamine: the net input scaled by 2 tau above zero and 2 (1 - tau) below (per cell)
        terms.append("+ net_input * (gain_positive * int(net_input > 0*Hz) + gain_negative * int(net_input <= 0*Hz))")
        currents += (f"net_input = 0*Hz {' '.join(synaptic)} : Hz\n"
                     "gain_positive : 1 (constant)\ngain_negative : 1 (constant)\n")
    else:
        terms += synaptic
    if params["noise_hz"] > 0:  # only then, so noiseless circuits keep their code
        terms.append("+ noise")
        currents += neurons.DRIVE_NOISE
        namespace.update(noise_sd=params["noise_hz"] * b2.Hz, noise_tau=params["noise_tau_ms"] * b2.ms)
    if params["clamp_hz"] != 0:
        clock = "(t % clamp_period)" if params["clamp_period_s"] > 0 else "t"
        terms.append(f"+ clamp * int({clock} >= clamp_start) * int({clock} < clamp_stop)")
        namespace.update(clamp=params["clamp_hz"] * b2.Hz, clamp_start=params["clamp_start_s"] * b2.second,
                         clamp_stop=params["clamp_stop_s"] * b2.second,
                         clamp_period=params["clamp_period_s"] * b2.second)
    if REGIONS[graph.region(region)["region"]].signal:
        # a population that senses the task (a PFC or hippocampus): which outcome is present, what a move showed
        currents += "present : 1\nexperienced : 1\nobserved : 1\nonset : 1\nrewarded : 1\n"
    body = neurons.RATE_UNIT if mode == "rate" else neurons.LIF
    if mode == "spiking":
        namespace.update(neurons.LIF_NAMESPACE)
    return body + f"drive = {' '.join(terms)} : Hz\n" + currents, namespace


class SimulationError(RuntimeError):
    """The simulation could not be built or run (not the user's input)."""


def _input_group(region: str, spec, params: dict, n: int, mode: str, timed: dict, loop: TaskLoop | None):
    """An input region: cells whose rate follows the task (Poisson spikes in spiking mode).

    The rate is a state variable set once per step, not an expression every
    synapse re-evaluates. It reads a precomputed signal (a ``TimedArray``) or,
    in a closed loop, the task's state through linked variables.
    """
    import brian2 as b2

    reader = _SignalReader(region, timed, loop)
    signal = reader.signal(spec.signal)
    rate = spec.input_rate(params, signal)
    code = reader.code() + f"rate = {rate}"
    eqs = "rate : Hz\n" + reader.declarations()
    threshold = "rand() < rate * dt" if mode == "spiking" else None
    group = b2.NeuronGroup(n, eqs, threshold=threshold, namespace=reader.namespace, name=region)
    reader.link(group)
    group.run_regularly(code, when="start", name=f"{region}_signal")
    return group


class _SignalReader:
    """Code that reads the task's signals: precomputed ``TimedArray`` columns, or the closed loop's state.

    ``signal(name)`` returns a function of a column index (an expression, or
    None for a scalar signal) giving the name of a temporary that holds its
    value now; :meth:`code` assigns the temporaries. Each use becomes a
    temporary first: Brian2 cannot compare function calls symbolically.
    """

    def __init__(self, region: str, timed: dict, loop: TaskLoop | None):
        self.region, self.timed, self.loop = region, timed, loop
        self.namespace, self.linked, self.temporaries = {}, set(), {}

    def signal(self, name: str):
        if name in self.timed:
            def value(index):
                return f"sig_{name}(t)" if index is None else f"sig_{name}(t, {index})"
            self.namespace[f"sig_{name}"] = self.timed[name]
        elif self.loop is not None and name in self.loop.program.signals:
            def value(index):
                return expand(self.loop.program.signals[name].format(index=index))
            self.namespace.update(self.loop.namespace)
            self.linked.update(task_names(self.loop.program.signals[name]))
        else:
            provided = sorted(set(self.timed) | set(self.loop.program.signals if self.loop else ()))
            raise ConfigError(f"region {self.region!r} reads the signal {name!r}, which this task "
                              f"does not provide (it provides: {', '.join(provided) or 'none'})")

        def temporary(index=None):
            key = (name, index)
            if key not in self.temporaries:
                self.temporaries[key] = (f"signal_{len(self.temporaries)}", value(index))
            return self.temporaries[key][0]
        return temporary

    def code(self) -> str:
        return "".join(f"{var} = {expr}\n" for var, expr in self.temporaries.values())

    def declarations(self) -> str:
        return self.loop.declarations(sorted(self.linked)) if self.linked else ""

    def link(self, group) -> None:
        if self.linked:
            self.loop.link(group, sorted(self.linked))


def pfc_outcome(n: int, params: dict, cell: str = "i") -> str:
    """The outcome (0 .. outcomes - 1) a PFC (or hippocampus) cell stands for, as an expression of its index."""
    per_outcome = n // (params["channels"] * params["outcomes"])
    return f"(({cell} // {per_outcome}) % {params['outcomes']})"


def _senses(region: str, params: dict, n: int, timed: dict, loop: TaskLoop | None) -> _SignalReader:
    """A PFC's (or hippocampus') reading of the task: which outcome is present (a column per outcome), how
    long since the move.

    Returns the reader, whose :attr:`~_SignalReader.sensing` code sets each
    cell's ``present``, ``experienced`` (present, and a state rather than the
    reward), ``onset`` (1 within ``onset_ms`` of a move), ``observed``
    (present and onset) and ``rewarded`` (a reward delivered, and onset).
    """
    reader = _SignalReader(region, timed, loop)
    present, moved = reader.signal("present"), reader.signal("moved")
    outcome = pfc_outcome(n, params)
    now, since, reward_now = present(outcome), moved(), present(params["outcomes"] - 1)
    reader.sensing = reader.code() + (
        f"present = {now}\nexperienced = present * int({outcome} < {params['outcomes'] - 1})\n"
        f"onset = int({since} < {params['onset_ms'] / 1000!r})\nobserved = present * onset\n"
        f"rewarded = {reward_now} * onset")
    return reader


def _dopamine_terms(graph: CircuitGraph, target: str) -> dict:
    """The sign of dopamine's action at ``target`` (D1 +1, D2 -1) and its set point: what the DA cells' firing
    releases at rest (a drug's share cancels)."""
    import brian2 as b2

    _, da_source, release = graph.dopamine_projection(target)
    tonic = release["params"]["weight"] * resting_drive(graph, da_source)
    receptor = graph.region(target)["params"].get("dopamine_receptor", "d1")
    return dict(dopamine_sign=-1.0 if receptor == "d2" else 1.0, dopamine_tonic=tonic * b2.Hz)


def _plasticity(graph: CircuitGraph, name: str, source: str, target: str, mode: str, groups: dict,
                timed: dict) -> tuple[str, str, str, dict, str]:
    """A plastic projection's (model, on_pre, on_post) additions, namespace and weight update code."""
    import brian2 as b2

    attrs = graph.projection(name)
    rule, p = attrs["rule"], attrs["params"]
    ns = dict(elig_tau=p["eligibility_ms"] * b2.ms, w_max=p["w_max"], spread=p["w_init_spread"],
              learning_rate=p["learning_rate"])
    if "tag_ms" in p:
        ns["tag_tau"] = p["tag_ms"] * b2.ms
    senses = "experienced" in groups[source].variables
    if senses:
        ns["present_rate"] = graph.region(source)["params"]["present_hz"] * b2.Hz
    if rule == "state_prediction":
        if "observed" not in groups[target].variables:
            raise ConfigError(f"projection {name!r}: the state_prediction rule learns what a PFC or hippocampus "
                              f"observes, but {target!r} is a {graph.region(target)['region']} region")
        ns.update(gain=p["gain"], post_ref=p["post_ref_hz"] * b2.Hz, post_threshold=p["post_threshold_hz"] * b2.Hz)
        return (*three_factor_equations(mode, "gate"), ns, STATE_PREDICTION_UPDATE)
    if rule == "da_stdp":
        if mode != "spiking":
            raise ConfigError(f"projection {name!r}: the da_stdp rule learns from spike timing; use --mode spiking "
                              "(rate mode has no spikes)")
        ns.update(a_plus=p["a_plus"], a_minus=p["a_minus"], tau_plus=p["tau_plus_ms"] * b2.ms,
                  tau_minus=p["tau_minus_ms"] * b2.ms, learning_rate=p["learning_rate"])  # per Hz per s
        ns.update(_dopamine_terms(graph, target))
        return (*DA_STDP_EQUATIONS, ns, WEIGHT_UPDATE)
    if rule == "reward_prediction":
        if not senses:
            raise ConfigError(f"projection {name!r}: the reward_prediction rule learns the reward of the states a "
                              f"hippocampus or PFC senses, but {source!r} is a {graph.region(source)['region']} "
                              "region")
        return REWARD_PREDICTION_EQUATIONS, "", "", ns, REWARD_PREDICTION_UPDATE
    if p["pre"] == "experienced":
        if not senses or p["post"] != "none":
            raise ConfigError(f"circuit.{name}.pre='experienced' needs a source that senses what is present "
                              f"(a pfc or hippocampus; it is a {graph.region(source)['region']}) and post='none' "
                              f"(it is {p['post']!r})")
    release_name, _, release = graph.dopamine_projection(target)
    release = dict(release["params"])
    slope = receptor_slope(graph, target)
    release.update(burst_gain=release["burst_gain"] * slope, dip_gain=release["dip_gain"] * slope)
    ns.update(_dopamine_terms(graph, target))
    ns.update(post_ref=p["post_ref_hz"] * b2.Hz, post_threshold=p["post_threshold_hz"] * b2.Hz,
              learning_rate=p["learning_rate"] * b2.second, burst_gain=release["burst_gain"],
              dip_gain=release["dip_gain"])
    if p["forget_s"]:
        ns["forget"] = p["forget_s"] * b2.second
    if release["drug_hz"]:
        if "drug" not in timed:
            raise ConfigError(f"circuit.{release_name}.drug_hz: the circuit has a drug action but this task "
                              "delivers no drug (pavlovian with task.drug=true does)")
        ns.update(drug=release["drug_hz"] * b2.Hz, sig_drug=timed["drug"])
    return (*three_factor_equations(mode, p["post"], p["pre"], p["tag_stages"]), ns,
            forgetting(weight_update(release), p["forget_s"]))


def build_network(graph: CircuitGraph, mode: str, signals: dict, signal_dt: float, loop: TaskLoop | None = None):
    """The graph as plain Brian2 objects on the current device.

    Returns ``(network, groups, synapses, monitors)``: dicts keyed by region,
    projection and monitor name, so a user can add monitors or run the network
    on any Brian2 device. ``signals`` maps the task's signal names to arrays
    sampled every ``signal_dt`` seconds (see :func:`simulate`); a closed-loop
    task's ``loop`` (:class:`dopasim.circuits.loop.TaskLoop`) supplies the rest
    and reads its decision from the thalamus.
    """
    import brian2 as b2

    groups, monitors, synapses = {}, {}, {}
    timed = {name: b2.TimedArray(values, dt=signal_dt * b2.second, name=f"sig_{name}")
             for name, values in signals.items()}
    record_dt = RECORD_DT_MS * b2.ms

    for region in graph.regions():
        attrs = graph.region(region)
        spec, params = REGIONS[attrs["region"]], attrs["params"]
        if mode == "rate" and spec.rate_mode_params:
            params = spec.rate_mode_params(params)
        n = spec.size(params)
        if spec.is_input:
            group = _input_group(region, spec, params, n, mode, timed, loop)
        else:
            eqs, ns = _population_equations(graph, region, mode)
            reader = _senses(region, params, n, timed, loop) if spec.signal else None
            if reader is not None:
                eqs += reader.declarations()
                ns.update(reader.namespace)
            if mode == "rate":
                group = b2.NeuronGroup(n, eqs, method="euler", namespace=ns, name=region)
            else:
                group = b2.NeuronGroup(n, eqs, threshold=neurons.LIF_THRESHOLD, reset=neurons.LIF_RESET,
                                       refractory=neurons.REFRACTORY, method="euler", namespace=ns, name=region)
                group.v = "V_REST + rand() * (V_THRESHOLD - V_REST)"
            if reader is not None:
                reader.link(group)
                group.run_regularly(reader.sensing, when="start", name=f"{region}_senses")
        if params.get("asymmetry_spread", 0.0) > 0 and "net_input" in group.variables:
            taus = np.repeat(asymmetries(params["asymmetry_spread"], graph.channels(region)),
                             n // graph.channels(region))
            group.gain_positive, group.gain_negative = 2 * taus, 2 * (1 - taus)
        groups[region] = group
        if mode == "spiking":
            monitors[f"spikes_{region}"] = b2.SpikeMonitor(group, name=f"spikes_{region}")
        else:
            # evenly spaced units: with at most RATE_SAMPLE channels every channel is sampled
            record = np.unique(np.linspace(0, n - 1, min(n, RATE_SAMPLE)).astype(int))
            monitors[f"rates_{region}"] = b2.StateMonitor(group, "rate", record=record, dt=record_dt,
                                                          name=f"rates_{region}")

    pools = {}
    for name, source, target, attrs in graph.projections():
        if not _simulated(graph, target, attrs):
            continue
        p = attrs["params"]
        focused = p["topology"] == "channel"
        k = graph.channels(source) if focused else 1
        per_src, per_tgt = len(groups[source]) // k, len(groups[target]) // k
        var = _input_var(name, attrs)
        if mode == "rate" and p["delay_ms"] > 0:
            raise ConfigError(f"circuit.{name}.delay_ms={p['delay_ms']}: rate mode has no axonal delays; "
                              "set it to 0 or use --mode spiking")
        if _pooled(mode, attrs):
            # the mean rate of the source (per channel if focused), computed once per step
            key = (source, k)
            if key not in pools:
                label = f"{source}_mean" if k == 1 else f"{source}_channel_mean"
                pool = b2.NeuronGroup(k, "mean_rate : Hz", name=label)
                pooling = b2.Synapses(groups[source], pool, "mean_rate_post = rate_pre / N_incoming : Hz (summed)",
                                      name=f"{label}_pooling")
                pooling.connect(j=f"i // {per_src}")
                pools[key] = (pool, pooling)
            setattr(groups[target], f"{var}_in",
                    b2.linked_var(pools[key][0], "mean_rate", index=np.arange(len(groups[target])) // per_tgt))
            continue
        ns = {"tau_syn": p["tau_ms"] * b2.ms, "weight": p["weight"]}
        model, on_pre, on_post, kwargs = "w : 1\n", "", "", {}
        # a learned transition model's weights are probabilities: its drive has a gain of its own
        gain = " * gain" if attrs["rule"] == "state_prediction" else ""
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
        if attrs["rule"]:
            extra, pre_code, post_code, rule_ns, update = _plasticity(graph, name, source, target, mode, groups,
                                                                      timed)
            model += extra
            on_pre = "\n".join(c for c in (on_pre, pre_code) if c)
            on_post = post_code
            ns.update(rule_ns)
            kwargs = dict(dt=PLASTICITY_DT_MS * b2.ms, method="euler")
        syn = b2.Synapses(groups[source], groups[target], model, on_pre=on_pre or None,
                          on_post=on_post or None, namespace=ns, name=name, **kwargs)
        condition = f"i // {per_src} == j // {per_tgt}" if focused else None
        if p["p"] >= 1.0:
            syn.connect(condition=condition)
        else:
            syn.connect(condition=condition, p=p["p"])
        if attrs["rule"]:
            syn.w = "clip(weight * (1 + spread * (2 * rand() - 1)), 0, w_max)"
            syn.run_regularly(update, dt=PLASTICITY_DT_MS * b2.ms, name=f"{name}_weights")
            if p.get("pre") == "experienced":
                # the reward outcome is never experienced as a state: its weight is its fixed worth
                source_params = graph.region(source)["params"]
                last = source_params["outcomes"] - 1
                syn.w[f"{pfc_outcome(len(groups[source]), source_params)} == {last}"] = p["reward_outcome_weight"]
            if p["p"] >= 1.0:
                # evenly spaced synapses, so every channel of a focused projection is sampled
                n_syn = len(groups[source]) * len(groups[target]) // (k if focused else 1)
                record = np.unique(np.linspace(0, n_syn - 1, min(n_syn, WEIGHT_SAMPLE)).astype(int))
                monitors[f"weights_{name}"] = b2.StateMonitor(
                    syn, "w", record=record, dt=WEIGHT_RECORD_DT_MS * b2.ms, name=f"weights_{name}")
        else:
            syn.w = "weight"
        if p["depression"]:
            syn.resources = 1.0
        if mode == "spiking" and p["delay_ms"] > 0:
            syn.delay = p["delay_ms"] * b2.ms
        synapses[name] = syn

    extra = []
    if loop is not None:
        region = loop.program.decision_region
        if region not in groups or graph.channels(region) != loop.program.n_actions:
            raise ConfigError(f"this task chooses among {loop.program.n_actions} actions through the region "
                              f"{region!r}, so the circuit needs one with {loop.program.n_actions} channels")
        loop.decide(groups[region], mode, len(groups[region]) // loop.program.n_actions)
        extra = loop.objects
    net = b2.Network(*groups.values(), *synapses.values(), *monitors.values(),
                     *(obj for pair in pools.values() for obj in pair), *extra)
    return net, groups, synapses, monitors


def _progress_bar(trial_s: float, counter: tuple[str, int, str] | None = None) -> str:
    """C++ body of Brian2's standalone report function: a bar on stderr, in trials.

    A standalone run cannot call back into Python, so the bar is drawn by the
    generated code itself, once per report period. A task whose session ends
    early (episodes of a maze) counts its own ``counter``: (task variable, total,
    label), read from the task group's array.
    """
    if counter is None:
        done = "(int)(completed * duration / trial_s + 0.5)"
        total, label = "(int)(duration / trial_s + 0.5)", "trial"
        fraction = "completed"
    else:
        variable, n, label = counter
        done = f"std::max(0, (int)brian::_array_task_{variable}[0])"
        total = str(int(n))
        fraction = f"std::min(1.0, {done} / {float(n)!r})"
    return f"""
    const int width = 30;
    const double trial_s = {trial_s!r};
    const double fraction = {fraction};
    const int filled = (int)(fraction * width);
    std::cerr << "\\r  [" << std::string(filled, '#') << std::string(width - filled, '.') << "] "
              << (int)(fraction * 100.) << "%  {label} " << {done}
              << "/" << {total} << "  " << (int)elapsed << " s";
    if (fraction > 0.0 && fraction < 1.0)
        std::cerr << ", ~" << (int)((1 - fraction) / fraction * elapsed + 0.5) << " s left   ";
    if (completed >= 1.0)
        std::cerr << std::endl;
    std::cerr << std::flush;
    """


class _SortedSet(set):
    """A set that iterates in sorted order."""

    def __iter__(self):
        return iter(sorted(set.__iter__(self)))


def _stochastic_variables_in_sorted_order() -> None:
    """Make Brian2 draw a group's noise variables in the same order in every process.

    Brian2 (2.9) collects the white-noise variables of a group's equations
    (``xi``, ``xi_noise``: the membrane noise and the drive's Ornstein-Uhlenbeck
    noise of a spiking cell) in a set of strings and draws their ``randn()`` in
    its iteration order, which Python's per-process string hashing changes.
    So the same seed gave one of two sessions at random: two_step seed 2, 30
    episodes, gave the same trials under ``PYTHONHASHSEED`` 0, 1 and 2 and
    other trials under 3. The sets are made to iterate sorted.
    """
    from brian2.equations.codestrings import Expression
    from brian2.equations.equations import Equations, SingleEquation

    for cls in (Expression, Equations, SingleEquation):
        prop = cls.__dict__["stochastic_variables"]
        if not getattr(prop.fget, "sorted_order", False):
            def fget(self, _unsorted=prop.fget):
                return _SortedSet(_unsorted(self))
            fget.sorted_order = True
            cls.stochastic_variables = property(fget, doc=prop.__doc__)


@contextlib.contextmanager
def _standalone():
    """Brian2's C++ standalone device, set up to build explicitly and reset afterwards."""
    import brian2 as b2
    from brian2.devices.device import reset_device

    b2.set_device("cpp_standalone", build_on_run=False)
    try:
        yield b2.get_device()
    finally:
        b2.get_device().reinit()
        reset_device()


def simulate(graph: CircuitGraph, mode: str, signals: dict, signal_dt: float, duration: float,
             seed: int, progress: bool = True, build_root: Path | None = None,
             trial_s: float | None = None, program: TaskProgram | None = None,
             decision: dict | None = None) -> Recording:
    """Run ``graph`` at resolution ``mode`` for ``duration`` seconds of the task's signals.

    ``signals`` maps signal names to arrays sampled every ``signal_dt`` seconds.
    A closed-loop task passes its ``program`` (and the ``decision`` read-out
    parameters); its log of every outcome is ``Recording.events``. One ``seed`` fixes every random draw
    (initial weights, Poisson input, noise). With ``progress``, a bar (in trials
    of ``trial_s``) is drawn on stderr. Code is compiled under ``build_root``
    (default :func:`default_build_root`), in a directory per circuit and project structure (:func:`build_dir`).
    """
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
    _stochastic_variables_in_sorted_order()
    started = time.perf_counter()
    with _standalone() as device:
        b2.defaultclock.dt = DT_MS[mode] * b2.ms
        b2.seed(seed)
        loop = TaskLoop(program, DT_MS[mode] / 1000, decision) if program is not None else None
        net, groups, synapses, monitors = build_network(graph, mode, signals, signal_dt, loop)
        counter = program.progress if program is not None else None
        report = _progress_bar(trial_s or duration, counter) if progress else None
        net.run(duration * b2.second, report=report, report_period=1 * b2.second)
        if sys.platform.startswith("linux"):
            # the compiled simulation dies with this process: a run killed outright (SIGKILL) leaves no orphan
            # computing on (SIGTERM and Ctrl-C stop it already: Brian2 kills it on any exception). Added after
            # the code objects exist, so that only main.cpp includes the header
            device.headers.append("<sys/prctl.h>")
            device.insert_code("before_start", "prctl(PR_SET_PDEATHSIG, SIGKILL);")
        sizes = {region: len(group) for region, group in groups.items()}
        directory = build_dir(build_root or default_build_root(), mode, graph.name, project_structure(device, sizes))
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
            rec = Recording(mode=mode, duration=simulated, sizes=sizes,
                            kinds={r: graph.region(r)["kind"] for r in groups},
                            channels={r: graph.channels(r) for r in groups})
            for key, mon in monitors.items():
                kind, _, name = key.partition("_")
                if kind == "spikes":
                    rec.spikes[name] = (np.asarray(mon.i[:]), np.asarray(mon.t[:] / b2.second))
                elif kind == "rates":
                    rec.rates[name] = (np.asarray(mon.t[:] / b2.second), np.asarray(mon.rate[:] / b2.Hz))
                    rec.recorded[name] = np.asarray(mon.record)
                else:
                    rec.weights[name] = (np.asarray(mon.t[:] / b2.second), np.asarray(mon.w[:]))
                    rec.weight_synapses[name] = np.asarray(mon.record)
            rec.timings = {"network": built - started, "compile": ran - built - device._last_run_time,
                           "simulation": device._last_run_time}
            if loop is not None:
                rec.events = loop.events()
            for name, syn in synapses.items():
                if graph.projection(name)["rule"]:
                    rec.final_weights[name] = (np.asarray(syn.i[:]), np.asarray(syn.j[:]), np.asarray(syn.w[:]))
    check_finite(rec, DT_MS[mode] / 1000)
    return rec
