"""The flow of one run: task + circuit + mode + seed -> Results -> run directory.

1. the task draws its trial sequence once (numpy, from the seed);
2. the circuit runs the whole session on Brian2 (C++ standalone, same seed);
3. the DA response in each trial is read off the simulated DA population;
4. the reference learner runs on the identical trial sequence;
5. the trial table, the headline measures and the figures are written.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import platform
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from dopasim.circuits.recording import Recording
from dopasim.circuits.resolution import check_mode, check_time_constants
from dopasim.circuits.weights import FILENAME as WEIGHTS_FILE
from dopasim.circuits.weights import save_weights
from dopasim.circuits.diseases import apply_disease
from dopasim.circuits.graph import CircuitGraph
from dopasim.circuits.lesions import apply as apply_lesions
from dopasim.circuits.presets import shaped_circuit
from dopasim.params import ConfigError, resolve, unknown_name
from dopasim.tasks import make
from dopasim.tasks.base import Session, Task

MAX_TRIALS = 100_000
#: whose random stream a run's simulation draws from: Brian2's (a run alone), or its subject's (in a batch)
STREAMS = ("brian2", "subject")


@dataclass
class Results:
    """One run: its task, circuit, trial table, headline measures, recording and resolved configuration.

    ``trials`` is the trial table (column name -> one value per trial, as
    ``trials.csv``), ``summary`` the headline measures (``summary.json``),
    ``recording`` the spikes, rates and weights, ``config`` what ``run.json``
    records (a replay runs it again).

    Attributes
    ----------
    task : Task
        the task that ran, with its resolved parameters
    graph : CircuitGraph
        the circuit, after disease and lesions
    mode : str
        rate or spiking
    seed : int
        the run's seed
    trials : dict of str to ndarray
        the trial table, one value per trial in each column
    summary : dict of str to float or None
        the headline measures
    recording : Recording
        spikes, rates, weights and the event log
    config : dict
        what run.json records
    session : Session
        the session's draws, which the reference learner replays
    reference_columns : tuple of str
        the trial table's columns that the reference learner wrote
    """

    task: object
    graph: CircuitGraph
    mode: str
    seed: int
    trials: dict[str, np.ndarray]
    summary: dict[str, float | None]
    recording: Recording
    config: dict = field(default_factory=dict)
    session: Session | None = field(default=None, repr=False)
    reference_columns: tuple[str, ...] = field(default=(), repr=False)

    def with_reference(self, reference: dict) -> "Results":
        """The same circuit run beside another setting of its reference learner, without simulating again.

        The reference learner replays the circuit's trials and never moves them,
        so a run with other ``reference.*`` settings simulates exactly this
        circuit: only the reference's columns, the headline measures and the
        recorded settings change. The result is what :func:`run` with those
        settings returns.

        Parameters
        ----------
        reference : dict
            reference-learner settings (names without ``reference.``), over this run's own

        Examples
        --------
        >>> slow = res.with_reference({"alpha": 0.05})        # doctest: +SKIP
        """
        if self.session is None:
            raise ValueError("with_reference needs the run's session: a Results made by dopasim.run")
        own = {k: v for k, v in self.config["reference"].items() if k in self.task.reference_params}
        reference = resolve("reference", self.task.reference_params, {**own, **reference})
        table = {k: v for k, v in self.trials.items() if k not in self.reference_columns}
        added = self.task.reference(table, self.session, **reference)
        table.update(added)
        config = {**self.config, "reference": {"learner": self.task.reference_learner(reference), **reference}}
        return replace(self, trials=table, summary=self.task.headline(table), config=config,
                       reference_columns=tuple(added))

    def to_dataframe(self):
        """The trial table as a ``pandas.DataFrame`` (needs pandas), one row per trial.

        Examples
        --------
        >>> df = res.to_dataframe()                        # doctest: +SKIP
        >>> df.groupby("omitted")["da_us"].mean()          # doctest: +SKIP
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Results.to_dataframe needs pandas: pip install pandas") from None
        return pd.DataFrame({column: np.asarray(values) for column, values in self.trials.items()})

    def trial_rows(self) -> list[dict]:
        """The trial table as one dict per trial, with plain Python values (as ``trials.csv`` holds them)."""
        cols = list(self.trials)
        return [{c: _plain(self.trials[c][i]) for c in cols} for i in range(len(self.trials["trial"]))]

    def write(self, out: Path, figures: bool = True, nwb: bool = False) -> Path:
        """Write the run directory (with ``nwb``, also ``run.nwb``); it appears only once complete.

        Parameters
        ----------
        out : str or Path
            the run directory to write (must not exist, or be empty)
        figures : bool
            draw the figures too
        nwb : bool
            also write run.nwb (needs pynwb)
        """
        from dopasim.analysis import plots

        with atomic_directory(out) as tmp:
            # not sorted: the order of regions and projections is the order they are built in (a replay needs it)
            (tmp / "run.json").write_text(json.dumps(self.config, indent=2) + "\n")
            (tmp / "summary.json").write_text(json.dumps(self.summary, indent=2) + "\n")
            with open(tmp / "trials.csv", "w", newline="") as f:
                writer = csv.DictWriter(f, fieldnames=list(self.trials))
                writer.writeheader()
                writer.writerows(self.trial_rows())
            save_weights(self.graph, self.recording, tmp / WEIGHTS_FILE)
            for filename, columns in self.task.extra_tables(self.trials).items():
                with open(tmp / filename, "w", newline="") as f:
                    writer = csv.writer(f)
                    writer.writerow(list(columns))
                    writer.writerows(zip(*(map(_plain, col) for col in columns.values())))
            if figures:
                plots.write_figures(self, tmp / "figures")
            if nwb:
                from dopasim.nwb import write_nwb

                write_nwb(self, tmp / "run.nwb")
        return Path(out)


@contextlib.contextmanager
def atomic_directory(out: Path):
    """A temporary directory beside ``out`` that becomes ``out`` only if the block completes.

    An empty ``out`` may exist; a non-empty one is refused before anything is written.
    """
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"output directory {str(out)!r} exists and is not empty; choose another --out")
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    try:
        yield tmp
        if out.exists():
            out.rmdir()
        os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def remove_unfinished(parent: Path) -> None:
    """Delete the temporary directories :func:`atomic_directory` left in ``parent`` when its process was killed."""
    for leftover in Path(parent).glob(".*.partial-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _plain(x):
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating, float)):
        return round(float(x), 6)
    return x


def check_run_args(mode: str, n_trials, seed) -> None:
    check_mode(mode)
    if isinstance(n_trials, bool) or not isinstance(n_trials, int) or not 1 <= n_trials <= MAX_TRIALS:
        raise ConfigError(f"trials={n_trials!r} must be a whole number from 1 to {MAX_TRIALS}")
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
        raise ConfigError(f"seed={seed!r} must be a whole number from 0 to {2**31 - 1}")


def configure(task="pavlovian", circuit=None, params: dict | None = None, disease: str | None = None,
              lesions=None, mode: str | None = None, init_from=None, protocol=None):
    """Task, graph, reference and decision parameters with the settings applied and checked.

    Takes what :func:`run` takes (``task`` a name or a task; ``circuit`` a preset name, a
    :class:`CircuitGraph` or None for the task's own) and returns
    ``(task, graph, reference, decision)``. A preset is shaped to the task (its
    stimuli and actions; the resting state at the ``mode``'s resolution for
    ``rest``); a graph is copied and used as it is. Then come the
    ``disease``'s lesions, the further ``lesions``, the ``params``, and last
    the weights of the run ``init_from`` (a run directory) where given.
    """
    scoped = {"task": {}, "circuit": {}, "reference": {}, "decision": {}}
    if params is not None and not isinstance(params, dict):
        raise ConfigError(f"params={params!r} must be a dict of dotted names to values, "
                          "e.g. {'task.reward_prob': 0.5}")
    for key, value in (params or {}).items():
        scope, _, rest = str(key).partition(".")
        if scope not in scoped or not rest:
            raise unknown_name("setting", str(key), ["task.PARAM", "circuit.REGION.PARAM",
                                                     "circuit.PROJECTION.PARAM", "reference.PARAM", "decision.PARAM"])
        scoped[scope][rest] = value
    the_task = _task_with(task, scoped["task"], protocol)
    if mode is not None:
        the_task.check_mode(mode)
    if isinstance(circuit, CircuitGraph):
        graph = circuit.copy()
    elif circuit is None or isinstance(circuit, str):
        graph = shaped_circuit(the_task.default_circuit if circuit is None else circuit, the_task.circuit_shape(mode))
    else:
        raise ConfigError(f"circuit={circuit!r} must be a preset name or a CircuitGraph")
    if disease is not None:
        graph = apply_disease(graph, disease)
    graph = apply_lesions(graph, lesion_records(lesions))
    for key, value in scoped["circuit"].items():
        graph.set(key, value)
    if init_from is not None:
        graph.start_from(init_from)
    reference = resolve("reference", the_task.reference_params, scoped["reference"])
    decision = resolve("decision", the_task.decision_params, scoped["decision"])
    the_task.check_circuit(graph.validate())
    if mode is not None:
        check_time_constants(graph, mode)
    return the_task, graph, reference, decision


def _task_with(task, params: dict, protocol=None):
    """``task`` (a name, or a task made in Python) with the ``task.*`` settings ``params`` and a ``protocol``
    (a :class:`~dopasim.tasks.protocols.Protocol`, its plain data or a TOML file) applied."""
    if protocol is not None:
        params = {**params, "protocol": protocol}
    if isinstance(task, Task):
        if protocol is not None and not task.takes_protocol:
            raise ConfigError(f"task {task.name} takes no protocol")
        return type(task)(**{**task.p, **params}) if params else task
    if not isinstance(task, str):
        raise ConfigError(f"task={task!r} must be a task name (dopasim list) or a dopasim task")
    if protocol is not None:
        from dopasim.tasks import TASKS

        if task in TASKS and not TASKS[task].takes_protocol:
            raise ConfigError(f"task {task} takes no protocol; pavlovian does")
    return make(task, **params)


def lesion_records(lesions) -> list[dict]:
    """Lesions as :func:`dopasim.circuits.lesions.apply` takes them, from ``{region: fraction of cells lost}``
    or a list of records (``{"transform": "kill_cells", "region": "snc", "fraction": 0.8}``)."""
    if lesions is None:
        return []
    if isinstance(lesions, dict):
        return [{"transform": "kill_cells", "region": region, "fraction": fraction}
                for region, fraction in lesions.items()]
    if isinstance(lesions, (list, tuple)) and all(isinstance(record, dict) for record in lesions):
        return list(lesions)
    raise ConfigError(f"lesions={lesions!r} must be {{region: fraction of cells lost}} or a list of lesion "
                      "records ({'transform': NAME, ...})")


def run(task="pavlovian", circuit=None, mode: str = "rate", trials: int | None = None, seed: int = 1,
        params: dict | None = None, disease: str | None = None, lesions=None, init_from=None, protocol=None,
        progress: bool = True, build_root=None) -> Results:
    """Simulate ``task`` on a circuit and set the reference learner beside it, on the same trials.

    Parameters
    ----------
    task : str or Task
        a task name (``dopasim list``) or a task object (one of your own: a
        :class:`dopasim.tasks.SignalTask` or :class:`~dopasim.tasks.ProgramTask`).
    circuit : str, CircuitGraph or None
        a preset name, a graph of your own (copied; checked against the task as
        the command line checks it), or None for the task's own preset.
    mode : {"rate", "spiking"}
        the resolution.
    trials : int, optional
        trials (episodes for episodic tasks); default: the task's own.
    seed : int
        fixes the whole run.
    params : dict, optional
        ``{"task.reward_prob": 0.5, "circuit.vta.size": 200, "reference.alpha": 0.1,
        "decision.threshold_hz": 15}``: typed values (or strings, as on the command line).
    disease : str, optional
        a disease preset (``dopasim list``), applied before ``lesions``.
    lesions : dict or list, optional
        ``{"snc": 0.8}`` (fraction of cells lost), or lesion records.
    init_from : path, optional
        a run directory: the plastic synapses start with the weights that run
        ended with (same circuit and mode), as a trained subject's next session.
    protocol : Protocol, dict or path, optional
        an experiment's phases of trial types and its cues (``pavlovian``; see
        :mod:`dopasim.tasks.protocols`); ``trials`` then defaults to its own.
    progress : bool
        a progress bar on stderr.
    build_root : path, optional
        where the generated C++ is built and cached (default ``~/.cache/dopasim`` or ``$DOPASIM_BUILD_DIR``).

    Returns
    -------
    Results
        ``trials`` (the trial table), ``summary`` (headline measures), ``recording``,
        ``config``; ``write(folder)`` writes the run directory.

    Examples
    --------
    >>> import dopasim
    >>> res = dopasim.run("pavlovian", mode="rate", trials=20, seed=3,
    ...                   params={"task.reward_prob": 0.8})            # doctest: +SKIP
    >>> res.summary["corr_da_td_us"]                                   # doctest: +SKIP
    """
    the_task, graph, reference, decision = configure(task, circuit, params, disease, lesions, mode, init_from,
                                                     protocol)
    return run_configured(the_task, graph, reference, decision, mode, trials, seed, progress, build_root, disease)


def run_batch(task="pavlovian", circuit=None, mode: str = "rate", trials: int | None = None, seeds=(1,),
              params: dict | None = None, disease: str | None = None, lesions=None, protocol=None,
              progress: bool = True, build_root=None) -> list[Results]:
    """:func:`run` for several subjects at once, in one network: a :class:`Results` per seed.

    The subjects share the circuit, task and settings and differ in their
    seed: each draws its own trials and has its own random stream inside the
    simulation (:mod:`dopasim.circuits.batch`), so its results do not depend on
    which subjects share its network. They are not the draws of the same seed
    run alone (:func:`run`), whose random stream is Brian2's; a subject's
    run.json records which it had, and a replay follows it.

    Parameters
    ----------
    seeds : list of int
        one per subject.
    task, circuit, mode, trials, params, disease, lesions, protocol, progress, build_root
        as :func:`run`.

    Returns
    -------
    list of Results
        one per seed, in order.

    Examples
    --------
    >>> import dopasim
    >>> cohort = dopasim.run_batch("bandit", trials=100, seeds=range(1, 21))    # doctest: +SKIP
    >>> [res.summary["p_best_late"] for res in cohort]                          # doctest: +SKIP
    """
    the_task, graph, reference, decision = configure(task, circuit, params, disease, lesions, mode, None, protocol)
    return run_configured_batch(the_task, graph, reference, decision, mode, trials, list(seeds), progress,
                                build_root, disease)


def run_configured_batch(the_task, graph: CircuitGraph, reference: dict, decision: dict, mode: str,
                         n_trials: int | None, seeds: list[int], progress: bool = True, build_root=None,
                         disease: str | None = None) -> list[Results]:
    """:func:`run_batch` for a task, circuit and parameters already made."""
    n_trials = the_task.default_trials if n_trials is None else n_trials
    if not seeds:
        raise ConfigError("seeds=[] : a batch needs at least one subject")
    for seed in seeds:
        check_run_args(mode, n_trials, seed)
    if len(set(seeds)) != len(seeds):
        raise ConfigError(f"seeds={seeds!r}: a batch's subjects need seeds of their own")
    if not the_task.batchable:
        raise ConfigError(f"task {the_task.name} ends a session early, which would end the whole network's: "
                          "its subjects run one network each (--batch 1)")
    the_task.check_mode(mode)
    the_task.check_circuit(graph.validate())
    sessions = [Session(n_trials, seed, graph) for seed in seeds]
    results = []
    for session, (table, rec) in zip(sessions, the_task.simulate_batch(graph, mode, sessions, decision, progress,
                                                                        build_root)):
        table.update(the_task.measure(rec, table))
        added = the_task.reference(table, session, **reference)
        table.update(added)
        config = resolved_config(the_task, graph, reference, decision, disease, mode, n_trials, session.seed,
                                 "subject")
        results.append(Results(the_task, graph, mode, session.seed, table, the_task.headline(table), rec, config,
                               session, tuple(added)))
    return results


def run_configured(the_task, graph: CircuitGraph, reference: dict, decision: dict, mode: str = "rate",
                   n_trials: int | None = None, seed: int = 1, progress: bool = True, build_root=None,
                   disease: str | None = None, streams: str = "brian2") -> Results:
    """:func:`run` for a task, circuit and parameters already made (by :func:`configure` or
    :func:`from_config`); the circuit is checked against the task here too. ``streams="subject"`` runs it
    as a batched subject does (:func:`run_batch`): a batch of one, the same run as in any batch."""
    if streams == "subject":
        return run_configured_batch(the_task, graph, reference, decision, mode, n_trials, [seed], progress,
                                    build_root, disease)[0]
    n_trials = the_task.default_trials if n_trials is None else n_trials
    check_run_args(mode, n_trials, seed)
    the_task.check_mode(mode)
    the_task.check_circuit(graph.validate())
    session = Session(n_trials, seed, graph)
    table, rec = the_task.simulate(graph, mode, session, decision, progress, build_root)
    table.update(the_task.measure(rec, table))
    added = the_task.reference(table, session, **reference)
    table.update(added)
    summary = the_task.headline(table)
    config = resolved_config(the_task, graph, reference, decision, disease, mode, n_trials, seed)
    return Results(the_task, graph, mode, seed, table, summary, rec, config, session, tuple(added))


def resolved_config(the_task, graph: CircuitGraph, reference: dict, decision: dict, disease: str | None,
                    mode: str, n_trials: int, seed: int, streams: str = "brian2") -> dict:
    """Everything that fixes a run, defaults included: what run.json records and `dopasim config show`
    prints; :func:`from_config` makes the run again from it. ``streams``: whose random stream the
    simulation drew from, Brian2's (a run alone) or the subject's own (a batched subject)."""
    learner = the_task.reference_learner(reference)
    return {
        "task": {"name": the_task.name, **the_task.p},
        "circuit": graph.to_dict(),
        "reference": {"learner": learner, **reference},
        "decision": decision,
        "disease": disease or "healthy",
        "mode": mode, "trials": n_trials, "seed": seed, "random_streams": streams,
        "versions": _versions(),
    }


def from_config(config: dict, where: str = "run.json"):
    """``(task, graph, reference, decision, mode, trials, seed, disease, streams)`` of a resolved
    configuration (a run.json), every value checked again; :func:`run_configured` replays the run from them."""
    if not isinstance(config, dict):
        raise ConfigError(f"{where} is not a run's configuration (a JSON object)")
    missing = [k for k in ("task", "circuit", "reference", "decision", "disease", "mode", "trials", "seed")
               if k not in config]
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}: not a run.json written by dopasim run")
    try:
        task_params = dict(config["task"])
        the_task = make(task_params.pop("name"), **task_params)
        _complete(f"{where}: task", task_params, the_task.p)
        if not isinstance(config["circuit"].get("name"), str):
            raise ConfigError(f"{where}: the circuit's name must be a string")
        for name, spec in config["circuit"]["projections"].items():
            _complete(f"{where}: circuit.{name}", spec, ("source", "target", "sign", "rule"))
        graph = CircuitGraph.from_dict(config["circuit"]).validate()
        for name, spec in config["circuit"]["regions"].items():
            _complete(f"{where}: circuit.{name}", spec, graph.region(name)["params"])
        for name, spec in config["circuit"]["projections"].items():
            _complete(f"{where}: circuit.{name}", spec, graph.projection(name)["params"])
        learner_is_param = "learner" in the_task.reference_params
        given = {k: v for k, v in dict(config["reference"]).items() if k != "learner" or learner_is_param}
        if not learner_is_param and config["reference"].get("learner") != the_task.learner:
            raise ConfigError(f"{where}: reference.learner={config['reference'].get('learner')!r} is not this "
                              f"task's reference learner ({the_task.learner!r})")
        reference = resolve("reference", the_task.reference_params, given)
        _complete(f"{where}: reference", given, reference)
        decision = resolve("decision", the_task.decision_params, dict(config["decision"]))
        _complete(f"{where}: decision", config["decision"], decision)
    except (KeyError, TypeError, AttributeError) as err:
        raise ConfigError(f"{where}: malformed configuration ({type(err).__name__}: {err})") from None
    the_task.check_circuit(graph)
    disease = config["disease"]
    if not isinstance(disease, str):
        raise ConfigError(f"{where}: disease={disease!r} must be a name")
    check_run_args(config["mode"], config["trials"], config["seed"])
    check_time_constants(graph, config["mode"])
    streams = config.get("random_streams", "brian2")
    if streams not in STREAMS:
        raise ConfigError(f"{where}: random_streams={streams!r} must be one of {', '.join(STREAMS)}")
    return (the_task, graph, reference, decision, config["mode"], config["trials"], config["seed"],
            None if disease == "healthy" else disease, streams)


def _complete(where: str, given: dict, resolved) -> None:
    """A run.json records every parameter: one missing was edited out (or is from another version)."""
    missing = sorted(set(resolved) - set(given))
    if missing:
        raise ConfigError(f"{where} lacks {', '.join(missing)}: a run.json records every parameter, defaults "
                          "included")


def _versions() -> dict[str, str]:
    import brian2
    import networkx

    from dopasim import __version__

    return {"dopasim": __version__, "brian2": brian2.__version__, "numpy": np.__version__,
            "networkx": networkx.__version__, "python": platform.python_version()}
