"""Sweeps: a grid of runs from one TOML file, on the local cores, resumable.

A spec names the task and what stays fixed, and a ``[grid]`` of what varies;
every combination of the grid's values, for every seed, is one run::

    task = "bandit"
    mode = "rate"            # optional (default rate)
    trials = 300             # optional (default: the task's)
    circuit = "actor_critic" # optional (default: the task's)
    seeds = [1, 2, 3]        # optional (default [1])

    [set]                    # fixed --set values
    "task.reward_probs" = "0.8,0.2"

    [grid]                   # every combination is a run
    "circuit.snc.size" = [50, 100]
    disease = ["healthy", "parkinsons"]
    "lesion.snc" = [0.0, 0.5, 0.8]   # fraction of the region's cells lost

Runs that differ only in their seed share networks (:mod:`dopasim.circuits.batch`),
``batch`` to a simulation (``--batch 1``: one each); runs that differ only in their
reference learner's settings (``reference.*``) share the circuit's run, each with
its own reference beside it (:meth:`dopasim.experiment.Results.with_reference`). Runs go to local worker
processes (one per core by default), or, with
``scheduler``, to an existing Dask cluster (``dask.distributed``; every worker
needs dopasim installed and the sweep directory on a shared file system). A
worker that dies mid-run (killed, out of memory) loses nothing: its runs go to
the other workers (local: a fresh pool; Dask: the scheduler), and because a run
directory appears only once complete, and a run whose directory exists is not
run again, every run completes exactly once.

Output: ``runs/ID/`` per run (a run directory as ``dopasim run`` writes it,
which appears only once complete), named by the seed and a hash of the run's
settings, so a rerun of the same spec skips every run already complete and
runs the rest (resume); and ``runs.csv``, one row per run: its settings, its
seed, then its headline measures, rewritten whole after every sweep.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import json
import math
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

from dopasim.documents import read_document
from dopasim.params import ConfigError, unknown_name
from dopasim.study import DEFAULT_BATCH, HEALTHY, batches, check_batch, run_batch_into

SPEC_KEYS = {"task", "mode", "trials", "circuit", "seeds", "set", "grid"}


@dataclass(frozen=True)
class RunSpec:
    task: str
    mode: str
    trials: int | None
    circuit: str | None
    seed: int
    sets: tuple[tuple[str, str], ...]
    disease: str | None = None
    #: the grid's values of this run, for the table
    varied: tuple[tuple[str, str], ...] = field(default=())
    #: (region, fraction of its cells lost), from ``lesion.REGION`` grid keys
    cell_loss: tuple[tuple[str, float], ...] = field(default=())

    @property
    def run_id(self) -> str:
        settings = [self.task, self.mode, self.trials, self.circuit, self.seed, self.sets, self.disease]
        if self.cell_loss:
            settings.append(self.cell_loss)
        return f"seed{self.seed}-{hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:10]}"

    @property
    def lesions(self) -> list[dict]:
        return [{"transform": "kill_cells", "region": region, "fraction": fraction}
                for region, fraction in self.cell_loss if fraction > 0]


def load_spec(path: Path) -> list[RunSpec]:
    """The runs a spec file describes (checked: unknown keys, wrong types and empty grids are ConfigErrors)."""
    return expand(read_document(path, "sweep spec"))


def expand(spec: dict) -> list[RunSpec]:
    for key in spec:
        if key not in SPEC_KEYS:
            raise unknown_name("sweep spec key", key, SPEC_KEYS)
    if not isinstance(spec.get("task"), str):
        raise ConfigError("sweep spec: 'task' (a task name) is required")
    seeds = spec.get("seeds", [1])
    if not isinstance(seeds, list) or not seeds or not all(isinstance(s, int) and not isinstance(s, bool)
                                                          for s in seeds):
        raise ConfigError(f"sweep spec: seeds={seeds!r} must be a non-empty list of whole numbers")
    trials = spec.get("trials")
    if trials is not None and (isinstance(trials, bool) or not isinstance(trials, int)):
        raise ConfigError(f"sweep spec: trials={trials!r} must be a whole number")
    fixed = spec.get("set", {})
    grid = spec.get("grid", {})
    for name, table in (("set", fixed), ("grid", grid)):
        if not isinstance(table, dict):
            raise ConfigError(f"sweep spec: [{name}] must be a table of dotted names")
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"sweep spec: grid {key!r} must be a non-empty list of values")
        if key.startswith("lesion.") and not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in values):
            raise ConfigError(f"sweep spec: grid {key!r}={values!r} must be fractions of cells lost, from 0 to 1")
    keys = list(grid)
    runs = []
    for combination in itertools.product(*(grid[k] for k in keys)):
        varied = dict(zip(keys, combination))
        disease = varied.pop("disease", None)
        disease = None if disease in (None, HEALTHY) else str(disease)
        cell_loss = tuple((k.removeprefix("lesion."), float(varied.pop(k))) for k in keys if k.startswith("lesion."))
        sets = {**{k: str(v) for k, v in fixed.items()}, **{k: str(v) for k, v in varied.items()}}
        for seed in seeds:
            runs.append(RunSpec(spec["task"], spec.get("mode", "rate"), trials, spec.get("circuit"), seed,
                                tuple(sorted(sets.items())), disease,
                                tuple((k, str(v)) for k, v in zip(keys, combination)), cell_loss))
    return runs


def check(runs: list[RunSpec]) -> None:
    """Every run configured before any runs: bad input fails at the edge, nothing written."""
    from dopasim.experiment import check_run_args, configure

    for r in runs:
        the_task, _, _, _ = configure(r.task, r.circuit, dict(r.sets), r.disease, r.lesions, r.mode)
        check_run_args(r.mode, the_task.default_trials if r.trials is None else r.trials, r.seed)


def _circuit_run(r: RunSpec) -> RunSpec:
    """What fixes the circuit's simulation of run ``r``: all but its seed and its reference learner's settings
    (the reference replays the circuit's trials and never moves them)."""
    return replace(r, seed=0, sets=tuple((k, v) for k, v in r.sets if not k.startswith("reference.")), varied=())


def _references(runs: list[RunSpec]) -> list[dict]:
    return [{k.removeprefix("reference."): v for k, v in r.sets if k.startswith("reference.")} for r in runs]


def _run(runs: list[RunSpec], out: Path, batched: bool) -> list[str]:
    """Runs alike but for their seed and reference, each into its folder under ``out`` unless already complete
    there: each seed's circuit once (in one network if ``batched``), each run's reference beside it; returns
    their ids."""
    r = _circuit_run(runs[0])
    run_batch_into([out / "runs" / x.run_id for x in runs], r.task, r.circuit, r.mode, r.trials,
                   [x.seed for x in runs], dict(r.sets), r.disease, r.lesions, _references(runs), batched)
    return [x.run_id for x in runs]


def _calls(todo: list[RunSpec], out: Path, batch: int, workers: int | None) -> list[tuple]:
    """The sweep's calls: runs alike but for their seed and reference share each seed's circuit run, and
    their seeds share networks, ``batch`` to a network (a task that ends its sessions early, or ``batch`` 1:
    a network per seed)."""
    from dopasim.tasks import make

    alike: dict[RunSpec, dict[int, list[RunSpec]]] = {}
    for r in todo:
        alike.setdefault(_circuit_run(r), {}).setdefault(r.seed, []).append(r)
    calls = []
    for key, by_seed in alike.items():
        if batch == 1 or not make(key.task).batchable:
            calls += [(_run, runs, out, False) for runs in by_seed.values()]
        else:
            at_least = math.ceil((workers or os.cpu_count() or 1) / len(alike))
            calls += [(_run, [r for seed in chunk for r in by_seed[seed]], out, True)
                      for chunk in batches(list(by_seed), batch, at_least)]
    return calls


#: one run at a time per process: Brian2's device is process-wide state, and a Dask worker may have threads
_ONE_AT_A_TIME = threading.Lock()


def _serially(function, *args):
    with _ONE_AT_A_TIME:
        return function(*args)


@dataclass
class Outcome:
    """What :func:`run_calls` returns: the calls' results in the order they finished, and how many times
    a worker was lost and its calls handed out again."""
    results: list
    restarts: int = 0


def run_calls(calls: list[tuple], workers: int | None = None, progress: bool = True, desc: str = "",
              unit: str = "run", scheduler: str | None = None, max_restarts: int = 3) -> Outcome:
    """Each ``(function, *args)`` of ``calls`` on ``workers`` spawned local processes (default: one per core,
    at most one per call), or on the Dask cluster at ``scheduler``, with a progress bar.

    The first failure of a call cancels the calls not yet started and is raised; an interrupt
    (KeyboardInterrupt, SIGTERM in the CLI) also ends the local calls under way. A lost worker is not a
    failure of its calls: they are handed out again (locally: to a fresh pool, at most ``max_restarts``
    times; on Dask: by the scheduler). So a call may start twice; the calls must be idempotent.
    """
    from tqdm import tqdm

    with tqdm(total=len(calls), unit=unit, disable=not progress, desc=desc) as bar:
        if scheduler is not None:
            return _on_dask(calls, scheduler, bar)
        return _on_local_processes(calls, workers, bar, max_restarts, unit)


def _on_local_processes(calls, workers, bar, max_restarts, unit) -> Outcome:
    pending = dict(enumerate(calls))
    outcome = Outcome([])
    while pending:
        n = max(1, min(workers or os.cpu_count() or 1, len(pending)))
        pool = ProcessPoolExecutor(n, mp_context=get_context("spawn"), initializer=_die_with_parent)
        broken = False
        try:
            futures = {pool.submit(*call): i for i, call in pending.items()}
            try:
                for future in as_completed(futures):
                    outcome.results.append(future.result())
                    del pending[futures[future]]
                    bar.update()
            except BrokenProcessPool:
                # a worker died: keep what finished, hand the rest to a fresh pool
                broken = True
                for future, i in futures.items():
                    if i in pending and future.done() and future.exception() is None:
                        outcome.results.append(future.result())
                        del pending[i]
                        bar.update()
                outcome.restarts += 1
                if outcome.restarts > max_restarts:
                    from dopasim.circuits.compiler import SimulationError

                    raise SimulationError(f"worker processes died {outcome.restarts} times (out of memory?); "
                                          f"{len(pending)} {unit}s not done") from None
                bar.write(f"dopasim: a worker process died; {len(pending)} calls handed to a fresh pool")
            except BaseException as err:
                for future in futures:
                    future.cancel()
                if not isinstance(err, Exception):
                    # interrupted (Ctrl-C, SIGTERM): stop the runs under way rather than wait for them (their
                    # unfinished directories go at the next sweep into the same folder); a failed call lets them end
                    _signal(_workers(pool), signal.SIGTERM)
                raise
        finally:
            if broken:
                _signal(_workers(pool), signal.SIGKILL)
            if broken or not pending:
                _close(pool)
            else:  # a call failed: the others under way may end
                pool.shutdown(wait=True)
    return outcome


def _workers(pool: ProcessPoolExecutor) -> list:
    return list((pool._processes or {}).values())  # Python >= 3.14: terminate_workers(), kill_workers()


def _signal(processes, how: int) -> None:
    for process in processes:
        try:
            os.kill(process.pid, how)
        except ProcessLookupError:  # already gone
            pass


def _close(pool: ProcessPoolExecutor, grace_s: float = 10.0) -> None:
    """Shut down a pool with no call left to run, killing a worker that has not ended ``grace_s`` later: a
    worker that died while it held the pool's call queue leaves the queue's lock taken for good, and the
    others would wait on it, and a waiting shutdown on them, forever."""
    from multiprocessing.connection import wait

    waiting = {p.sentinel: p for p in _workers(pool)}
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace_s
    while waiting and (left := deadline - time.monotonic()) > 0:
        for sentinel in wait(list(waiting), timeout=left):
            del waiting[sentinel]
    _signal(waiting.values(), signal.SIGKILL)


def _die_with_parent() -> None:
    """Make this worker process end when the sweep's process does, even if that one is killed outright."""
    if sys.platform.startswith("linux"):
        import ctypes

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _on_dask(calls, scheduler: str, bar) -> Outcome:
    try:
        from distributed import Client
        from distributed import as_completed as dask_completed

        from dopasim.dask_worker import ImportBrian2
    except ImportError:
        raise ConfigError("--scheduler needs dask.distributed: pip install 'dopasim[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError, ValueError) as err:
        raise ConfigError(f"no Dask scheduler reached at {scheduler!r}: {err}") from None
    outcome = Outcome([])
    with client:
        client.register_plugin(ImportBrian2(), name="dopasim-import-brian2")
        futures = [client.submit(_serially, *call, pure=False) for call in calls]
        try:
            for future in dask_completed(futures):
                outcome.results.append(future.result())
                bar.update()
        except BaseException:
            client.cancel(futures)
            raise
    return outcome


def run_sweep(runs: list[RunSpec], out: Path, workers: int | None = None, progress: bool = True,
              scheduler: str | None = None, batch: int = DEFAULT_BATCH) -> dict:
    """Run every run of ``runs`` not yet complete under ``out`` (on ``workers`` local processes, or on the
    Dask cluster at ``scheduler``; runs alike but for their seed ``batch`` to a network); write
    ``out/runs.csv``.

    Returns ``{"ran": n, "skipped": n, "restarts": n, "completed": [run ids in the order they finished],
    "rows": [...]}``.
    """
    from dopasim.experiment import remove_unfinished

    check(runs)
    check_batch(batch)
    out = Path(out).resolve()  # workers may start elsewhere; each run makes its directory's parents
    todo = [r for r in runs if not (out / "runs" / r.run_id / "summary.json").exists()]
    outcome = Outcome([])
    if todo:
        outcome = run_calls(_calls(todo, out, batch, workers), workers, progress, "sweep", "call", scheduler)
    remove_unfinished(out / "runs")  # a lost worker's unfinished attempt
    rows = []
    for r in runs:
        summary = json.loads((out / "runs" / r.run_id / "summary.json").read_text())
        rows.append({"run": r.run_id, "task": r.task, "mode": r.mode, "disease": r.disease or HEALTHY,
                     **dict(r.varied), "seed": r.seed, **summary})
    columns = list(dict.fromkeys(k for row in rows for k in row))
    out.mkdir(parents=True, exist_ok=True)
    partial = out / f".runs.csv.{os.getpid()}.part"
    with open(partial, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(partial, out / "runs.csv")  # whole or not at all
    return {"ran": len(todo), "skipped": len(runs) - len(todo), "restarts": outcome.restarts,
            "completed": [run_id for ids in outcome.results for run_id in ids], "rows": rows}
