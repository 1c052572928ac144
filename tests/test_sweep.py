"""Sweeps (`dopasim sweep SPEC.toml`): every combination of the grid for every seed, one run directory each,
one tidy table, a rerun that picks up where the last one stopped, a killed worker that loses nothing, and
the same sweep on a Dask cluster."""

import csv
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from dopasim.cli import main
from dopasim.params import ConfigError
from dopasim.sweep import expand, run_sweep
from processes import alive, worker_pids

SPEC = """
task = "pavlovian"
trials = 4
seeds = [1, 2, 3]

[grid]
"task.reward_prob" = [0.5, 1.0]
"""


def _kill_a_worker_once_a_run_is_complete(runs_dir: Path, killed: list):
    deadline = time.time() + 300
    while time.time() < deadline:
        done = [p for p in runs_dir.glob("seed*") if (p / "summary.json").exists()]
        pids = worker_pids()
        if done and pids:
            os.kill(pids[0], signal.SIGKILL)
            killed.append((pids[0], len(done)))
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_a_sweep_survives_a_killed_worker_runs_the_grid_once_and_a_rerun_skips_what_is_complete(tmp_path,
                                                                                               capsys):
    spec = tmp_path / "demo.toml"
    spec.write_text(SPEC)
    out = tmp_path / "sweep"
    killed = []
    killer = threading.Thread(target=_kill_a_worker_once_a_run_is_complete, args=(out / "runs", killed))
    killer.start()
    result = run_sweep(expand(__import__("tomllib").loads(SPEC)), out, workers=2, progress=False)
    killer.join()
    assert killed and killed[0][1] < 6, "the worker was to be killed mid-sweep"
    assert result["restarts"] == 1  # the pool broke once, and its runs went to a fresh one
    # every run completed exactly once: one directory each, one completion each, no half-written attempt left
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert len(runs) == 6 and sorted(result["completed"]) == runs
    with open(out / "runs.csv") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["task.reward_prob"], r["seed"]) for r in rows) == [
        (p, s) for p in ("0.5", "1.0") for s in ("1", "2", "3")]
    assert all(r["corr_da_td_us"] for r in rows)  # each row carries its run's headline measures
    # a lost run is run again, and only it
    first = out / "runs" / runs[0]
    for path in sorted(first.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    first.rmdir()
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    assert "1 runs done, 5 already complete" in capsys.readouterr().out
    assert (first / "summary.json").exists()


#: a sweep of one call that records its worker's process id (and its own), then sleeps for a minute
SLEEPING_SWEEP = """
import subprocess, sys
from dopasim.sweep import run_calls
run_calls([(subprocess.run, ["sh", "-c", "echo $PPID $$ > " + sys.argv[1] + "; exec sleep 60"])], workers=1,
          progress=False)
"""


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGKILL], ids=["interrupted", "killed"])
def test_a_stopped_sweep_leaves_no_worker_running_on(tmp_path, stop):
    # Ctrl-C in a terminal reaches every process; a SIGINT or SIGKILL sent to the sweep alone (a job
    # scheduler, `kill`) must not leave its workers finishing their runs or orphaned
    pids = tmp_path / "pids"
    sweep = subprocess.Popen([sys.executable, "-c", SLEEPING_SWEEP, str(pids)], stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline and not (pids.exists() and len(pids.read_text().split()) == 2):
        time.sleep(0.05)
    worker, sleeper = map(int, pids.read_text().split())
    sweep.send_signal(stop)
    try:
        sweep.wait(timeout=20)
        deadline = time.time() + 20
        while time.time() < deadline and alive(worker):
            time.sleep(0.05)
        assert not alive(worker)
    finally:
        sweep.kill()
        for pid in (worker, sleeper):
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
def test_a_sweep_runs_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = {"task": "pavlovian", "trials": 4, "seeds": [1], "grid": {"lesion.vta": [0.0, 0.5]}}
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster:
        result = run_sweep(expand(spec), tmp_path / "sweep", progress=False, scheduler=cluster.scheduler_address)
    assert result["ran"] == 2 and len(set(result["completed"])) == 2
    with open(tmp_path / "sweep" / "runs.csv") as f:
        rows = {r["lesion.vta"]: r for r in csv.DictReader(f)}
    assert set(rows) == {"0.0", "0.5"}
    run_json = (tmp_path / "sweep" / "runs" / rows["0.5"]["run"] / "run.json").read_text()
    assert '"kill_cells"' in run_json and '"vta"' in run_json  # the lesion reached the run


def test_a_lesion_in_the_grid_is_a_fraction_of_cells_lost():
    runs = expand({"task": "pavlovian", "grid": {"lesion.vta": [0.0, 0.8]}})
    assert [r.lesions for r in runs] == [[], [{"transform": "kill_cells", "region": "vta", "fraction": 0.8}]]
    with pytest.raises(ConfigError, match="fractions of cells lost"):
        expand({"task": "pavlovian", "grid": {"lesion.vta": [1.5]}})


def test_a_bad_spec_names_the_problem():
    with pytest.raises(ConfigError, match="did you mean 'seeds'"):
        expand({"task": "pavlovian", "seed": [1]})
    with pytest.raises(ConfigError, match="non-empty list"):
        expand({"task": "pavlovian", "grid": {"task.reward_prob": 0.5}})


def test_a_bad_setting_in_the_grid_stops_the_sweep_before_anything_runs(tmp_path, capsys):
    spec = tmp_path / "bad.toml"
    spec.write_text(SPEC.replace("task.reward_prob", "task.reward_probability"))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "reward_probability" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_runs_that_differ_only_in_their_reference_learner_share_each_seeds_circuit_run():
    """The reference replays the circuit's trials and never moves them: a grid over ``reference.*`` runs each
    seed's circuit once, however many reference settings it asks for."""
    from dopasim.sweep import _calls

    runs = expand({"task": "pavlovian", "seeds": [1, 2, 3], "grid": {"reference.alpha": [0.05, 0.3]}})
    assert len(runs) == 6
    for batch, networks in ((25, 2), (1, 3)):  # batched: two networks for two workers; alone: one per seed
        calls = _calls(runs, Path("out"), batch, workers=2)
        assert len(calls) == networks
        per_call = [[r.seed for r in call[1]] for call in calls]
        assert sorted(s for seeds in per_call for s in seeds) == [1, 1, 2, 2, 3, 3]  # every run, once
        assert all(seeds.count(s) == 2 for seeds in per_call for s in seeds)  # a seed's settings together


def _columns(run: Path, *names: str) -> dict[str, list[str]]:
    with open(run / "trials.csv") as f:
        rows = list(csv.DictReader(f))
    return {name: [row[name] for row in rows] for name in names}


@pytest.mark.parametrize("batch", [1, 25])
def test_a_run_that_shares_its_circuit_run_is_the_run_its_settings_make_alone(tmp_path, batch):
    import dopasim

    spec = {"task": "pavlovian", "trials": 4, "seeds": [2], "grid": {"reference.alpha": [0.05, 0.3]}}
    result = run_sweep(expand(spec), tmp_path / "sweep", workers=1, progress=False, batch=batch)
    assert result["ran"] == 2
    rows = {r["reference.alpha"]: r for r in result["rows"]}
    slow, fast = (_columns(tmp_path / "sweep" / "runs" / rows[a]["run"], "da_us", "td_us") for a in ("0.05", "0.3"))
    assert slow["da_us"] == fast["da_us"] and slow["td_us"] != fast["td_us"]  # one circuit, two references
    make = dopasim.run if batch == 1 else lambda *a, seed, **k: dopasim.run_batch(*a, seeds=[seed], **k)[0]
    alone = make("pavlovian", trials=4, seed=2, params={"reference.alpha": "0.3"}, progress=False)
    alone.write(tmp_path / "alone", figures=False)
    shared = tmp_path / "sweep" / "runs" / rows["0.3"]["run"]
    for name in ("trials.csv", "summary.json", "run.json"):
        assert (shared / name).read_text() == (tmp_path / "alone" / name).read_text(), name
