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
import os
import tomllib
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

from dopasim.params import ConfigError, unknown_name
from dopasim.study import HEALTHY, worker_build_root

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

    @property
    def run_id(self) -> str:
        settings = json.dumps([self.task, self.mode, self.trials, self.circuit, self.seed, self.sets,
                               self.disease])
        return f"seed{self.seed}-{hashlib.sha256(settings.encode()).hexdigest()[:10]}"


def load_spec(path: Path) -> list[RunSpec]:
    """The runs a spec file describes (checked: unknown keys, wrong types and empty grids are ConfigErrors)."""
    try:
        spec = tomllib.loads(Path(path).read_text())
    except OSError as err:
        raise ConfigError(f"sweep spec {str(path)!r}: {err.strerror}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"sweep spec {str(path)!r} is not valid TOML: {err}") from None
    return expand(spec)


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
    keys = list(grid)
    runs = []
    for combination in itertools.product(*(grid[k] for k in keys)):
        varied = dict(zip(keys, combination))
        disease = varied.pop("disease", None)
        disease = None if disease in (None, HEALTHY) else str(disease)
        sets = {**{k: str(v) for k, v in fixed.items()}, **{k: str(v) for k, v in varied.items()}}
        for seed in seeds:
            runs.append(RunSpec(spec["task"], spec.get("mode", "rate"), trials, spec.get("circuit"), seed,
                                tuple(sorted(sets.items())), disease,
                                tuple((k, str(v)) for k, v in zip(keys, combination))))
    return runs


def check(runs: list[RunSpec]) -> None:
    """Every run configured before any runs: bad input fails at the edge, nothing written."""
    from dopasim.experiment import check_run_args, configure

    for r in runs:
        the_task, _, _, _ = configure(r.task, r.circuit, dict(r.sets), r.disease, [], r.mode)
        check_run_args(r.mode, the_task.default_trials if r.trials is None else r.trials, r.seed)


def _run_one(r: RunSpec, folder: Path) -> None:
    from dopasim.experiment import run

    res = run(r.task, r.circuit, r.mode, r.trials, r.seed, dict(r.sets), progress=False,
              build_root=worker_build_root(), disease=r.disease)
    res.write(folder, figures=False)


def run_in_processes(calls: list[tuple], workers: int | None, progress: bool, desc: str, unit: str) -> list:
    """Each ``(function, *args)`` of ``calls`` on ``workers`` spawned processes (default: one per core, at most
    one per call), with a progress bar; their results in the order they finish. The first failure cancels the
    calls not yet started and is raised."""
    from tqdm import tqdm

    workers = max(1, min(workers or os.cpu_count() or 1, len(calls)))
    results = []
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(*call) for call in calls]
        bar = tqdm(total=len(futures), unit=unit, disable=not progress, desc=desc)
        try:
            for future in as_completed(futures):
                results.append(future.result())
                bar.update()
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        finally:
            bar.close()
    return results


def run_sweep(runs: list[RunSpec], out: Path, workers: int | None = None, progress: bool = True) -> dict:
    """Run every run of ``runs`` not yet complete under ``out``; write ``out/runs.csv``.

    Returns ``{"ran": n, "skipped": n, "rows": [...]}``.
    """
    check(runs)
    out = Path(out)
    (out / "runs").mkdir(parents=True, exist_ok=True)
    todo = [r for r in runs if not (out / "runs" / r.run_id / "summary.json").exists()]
    if todo:
        run_in_processes([(_run_one, r, out / "runs" / r.run_id) for r in todo], workers, progress, "sweep", "run")
    rows = []
    for r in runs:
        summary = json.loads((out / "runs" / r.run_id / "summary.json").read_text())
        rows.append({"run": r.run_id, "task": r.task, "mode": r.mode, "disease": r.disease or HEALTHY,
                     **dict(r.varied), "seed": r.seed, **summary})
    columns = list(dict.fromkeys(k for row in rows for k in row))
    partial = out / f".runs.csv.{os.getpid()}.part"
    with open(partial, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    os.replace(partial, out / "runs.csv")  # whole or not at all
    return {"ran": len(todo), "skipped": len(runs) - len(todo), "rows": rows}
