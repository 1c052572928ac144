"""A run as an NWB file (Neurodata Without Borders, via pynwb; ``pip install "dopasim[nwb]"``).

What goes where:

* spikes (spiking mode): the ``units`` table, one unit per simulated neuron,
  with columns ``region``, ``kind`` (cortex, striatum, dopamine, ...),
  ``channel`` (its action channel) and ``cell`` (its index in the region);
* rates: a ``TimeSeries`` per region in ``processing/rates``: the recorded
  units' rates in rate mode, the population rate binned from spikes in
  spiking mode (Hz, 10 ms bins); the dopamine population's rate also as
  ``acquisition/dopamine``;
* the trial table: NWB ``trials`` with every numeric column of trials.csv;
  a row runs over its slot of the session, from ``trial`` x T to (``trial`` +
  1) x T, T the task's trial length (a world's step for ``gridworld``);
* synaptic weights of every plastic projection in ``processing/plasticity``:
  the sampled synapses' weights over the session (a ``TimeSeries``, every
  100 ms; no more synapses than time points) and every synapse's final weight (a table: ``pre``, ``post``,
  ``weight``);
* the circuit graph, lesions, disease, seed and versions: run.json's
  configuration in the file's ``notes`` (JSON), and the disease and lesions in
  words in ``experiment_description``.
"""

from __future__ import annotations

import datetime
import json
import uuid
from pathlib import Path

import numpy as np

from dopasim.params import ConfigError


def check_available() -> None:
    """Refuse ``--nwb`` at the edge when pynwb is missing."""
    try:
        import pynwb  # noqa: F401
    except ImportError:
        raise ConfigError('--nwb needs pynwb: pip install "dopasim[nwb]"') from None


def write_nwb(res, path: Path) -> Path:
    """Write the run ``res`` (a :class:`dopasim.experiment.Results`) to the NWB file ``path``."""
    from pynwb import NWBHDF5IO, NWBFile, TimeSeries
    from pynwb.file import Subject

    rec, config = res.recording, res.config
    task, circuit = config["task"]["name"], config["circuit"]["name"]
    lesions = config["circuit"]["lesions"]
    damage = ", ".join(_lesion_words(t) for t in lesions) or "none"
    nwb = NWBFile(
        session_description=f"dopasim simulation: task {task} on circuit {circuit}, {res.mode} mode, seed {res.seed}",
        identifier=str(uuid.uuid5(uuid.NAMESPACE_URL, "dopasim:" + json.dumps(config, sort_keys=True))),
        session_start_time=datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0),
        experiment_description=f"Simulated reinforcement-learning circuit (dopasim). Disease: "
                               f"{config['disease']}. Lesions: {damage}.",
        notes=json.dumps(config),
        source_script="dopasim", source_script_file_name="dopasim/experiment.py",
        keywords=["simulation", "dopamine", "reinforcement learning", "basal ganglia", res.mode],
        subject=Subject(subject_id=f"{task}-{res.mode}-seed{res.seed}",
                        description=f"a simulated circuit ({circuit}); disease {config['disease']}",
                        species="Homo sapiens", sex="U", age="P0D"),
    )
    if rec.spikes:
        for column, text in (("region", "the circuit region the neuron belongs to"),
                             ("kind", "the kind of region (cortex, striatum, dopamine, pallidum, ...)"),
                             ("channel", "the action channel of the neuron within its region"),
                             ("cell", "the neuron's index within its region")):
            nwb.add_unit_column(column, text)
        for region, (cells, times) in rec.spikes.items():
            n, k = rec.sizes[region], rec.channels.get(region, 1)
            order = np.argsort(cells, kind="stable")
            bounds = np.searchsorted(cells[order], np.arange(n + 1))
            for cell in range(n):
                spikes = np.sort(times[order[bounds[cell]:bounds[cell + 1]]])
                nwb.add_unit(spike_times=spikes, region=region, kind=rec.kinds[region],
                             channel=int(cell * k // n), cell=cell)
    rates = nwb.create_processing_module("rates", "firing rates of every region (Hz)")
    for region in rec.sizes:
        if region in rec.rates:
            t, r = rec.rates[region]
            data, what = r.T, f"rates of the recorded units {rec.recorded[region].tolist()} of {region}"
        else:
            t, data = rec.population_rate(region)
            what = f"population rate of {region}, spikes binned in 10 ms"
        if len(t) == 0:
            continue
        rates.add(TimeSeries(name=region, data=data, unit="Hz", starting_time=float(t[0]),
                             rate=float(1 / (t[1] - t[0])) if len(t) > 1 else 100.0, description=what))
    dopamine = next((r for r in rec.sizes if rec.kinds[r] == "dopamine"), None)
    if dopamine is not None:
        t, r = rec.population_rate(dopamine)
        nwb.add_acquisition(TimeSeries(name="dopamine", data=r, unit="Hz", starting_time=float(t[0]),
                                       rate=float(1 / (t[1] - t[0])) if len(t) > 1 else 100.0,
                                       description=f"population rate of the dopamine cells ({dopamine}): the "
                                                   "simulated reward prediction error around its tonic rate"))
    if rec.final_weights:
        _add_weights(nwb, rec)
    _add_trials(nwb, res.trials, res.task.duration)
    path = Path(path)
    with NWBHDF5IO(str(path), "w") as io:
        io.write(nwb)
    return path


def _add_weights(nwb, rec) -> None:
    from hdmf.common import DynamicTable, VectorData
    from pynwb import TimeSeries

    plasticity = nwb.create_processing_module("plasticity", "weights of the plastic projections (dimensionless: "
                                              "Hz of target drive per Hz of mean source rate)")
    for name, (pre, post, w) in rec.final_weights.items():
        if name in rec.weights:
            t, sampled = rec.weights[name]
            # time first and longest, as NWB readers expect: a short session keeps an even subset of the synapses
            keep = np.unique(np.linspace(0, len(sampled) - 1, min(len(sampled), len(t))).astype(int))
            if len(t):
                plasticity.add(TimeSeries(
                    name=f"{name}_weights", data=sampled[keep].T, unit="n.a.", timestamps=t,
                    description=f"weights of the synapses {rec.weight_synapses[name][keep].tolist()} of {name} "
                                "(indices into the final table), sampled"))
        plasticity.add(DynamicTable(name=f"{name}_final", description=f"every synapse of {name} at the end", columns=[
            VectorData(name="pre", data=pre, description="presynaptic cell (index in its region)"),
            VectorData(name="post", data=post, description="postsynaptic cell (index in its region)"),
            VectorData(name="weight", data=w, description="final weight")]))


def _add_trials(nwb, trials: dict, slot_s: float) -> None:
    n = len(trials["trial"])
    if n == 0:
        return
    columns = {}
    for name, values in trials.items():
        values = np.asarray(values)
        if name in ("start_time", "stop_time", "id") or values.dtype.kind not in "biuf":
            continue
        columns[name] = values
        nwb.add_trial_column(name=name, description=f"the trials.csv column {name!r} (dopasim README)")
    for i, slot in enumerate(np.asarray(trials["trial"])):
        nwb.add_trial(start_time=float(slot) * slot_s, stop_time=(float(slot) + 1) * slot_s,
                      **{name: values[i].item() for name, values in columns.items()})


def _lesion_words(t: dict) -> str:
    where = t.get("region") or t.get("projection") or t.get("source") or ""
    detail = ", ".join(f"{k} {v}" for k, v in t.items() if k not in ("transform", "region", "projection", "source"))
    return f"{t['transform']} {where}" + (f" ({detail})" if detail else "")
