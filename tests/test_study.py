"""Cohort studies: seeds of their own, a tidy table, statistics, and a rerun that reproduces them."""

import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

from dopasim.cli import main
from dopasim.params import ConfigError
from dopasim.study import Study, compare, make_groups, run_study, subject_seed
from processes import worker_pids


def test_no_two_subjects_share_a_seed_and_adding_a_group_keeps_the_others_seeds():
    small = Study("pavlovian", make_groups(["depression"]), subjects=50)
    large = Study("pavlovian", make_groups(["depression", "schizophrenia"], "vta", [0.2, 0.5]), subjects=50)
    seeds = [s for g in large.groups for s in large.seeds(g)]
    assert len(set(seeds)) == len(seeds) == 5 * 50
    assert small.seeds(small.groups[1]) == large.seeds(large.groups[1])
    assert subject_seed(1, "healthy", 0) != subject_seed(2, "healthy", 0)


def test_welch_comparison_gives_the_difference_its_interval_and_hedges_g():
    from scipy import stats

    healthy, sick = np.array([1.0, 1.2, 0.9, 1.1, 1.0]), np.array([0.5, 0.7, 0.6, 0.4, 0.6])
    out = compare(healthy, sick)
    assert out["difference"] == pytest.approx(-0.48)
    assert out["p"] == pytest.approx(stats.ttest_ind(sick, healthy, equal_var=False).pvalue)
    assert out["ci_low"] < out["difference"] < out["ci_high"] < 0  # the whole interval below 0
    assert out["hedges_g"] < -2  # a large effect, in the direction of the difference


@pytest.fixture(scope="module")
def pavlovian_study(tmp_path_factory):
    """Healthy and two levels of VTA cell loss, two subjects each; then the healthy group alone again.

    One worker process: it reuses the compiled code of the runs before it (more workers compile their own).
    """
    study = Study("pavlovian", make_groups([], "vta", [0.5, 0.9]), subjects=2, trials=4, seed=7,
                  sets={"task.reward_prob": "0.5"})
    base = tmp_path_factory.mktemp("study")
    first = run_study(study, base / "first", workers=1, progress=False)
    study.groups = study.groups[:1]
    again = run_study(study, base / "again", workers=1, progress=False)
    return base, first, again


@pytest.mark.slow
def test_study_table_opens_in_pandas_as_one_tidy_table_with_every_subject(pavlovian_study):
    import pandas as pd

    base, first, _ = pavlovian_study
    table = pd.read_csv(base / "first" / "subjects.csv")
    assert len(table) == 6 and table["seed"].is_unique
    assert list(table.columns[:6]) == ["group", "disease", "lesion_region", "lesion_fraction", "subject", "seed"]
    assert set(table["group"]) == {"healthy", "vta=0.5", "vta=0.9"}
    assert "da_cs_late" in table.columns
    stats = pd.read_csv(base / "first" / "stats.csv")
    assert {"measure", "group", "p", "hedges_g", "ci_low", "ci_high"} <= set(stats.columns)
    assert "dose_response" in set(stats["group"])
    for figure in ("groups.png", "dose_response.png"):
        assert (base / "first" / "figures" / figure).stat().st_size > 10_000
    assert len(list((base / "first" / "subjects").iterdir())) == 6


@pytest.mark.slow
def test_a_rerun_reproduces_each_subject_whatever_the_other_groups(pavlovian_study):
    # one seed fixes a whole run: the same seed gives a byte-identical trials.csv, another seed other trials
    base, first, again = pavlovian_study
    healthy = [row for row in first["rows"] if row["group"] == "healthy"]
    assert again["rows"] == healthy
    lines = (base / "first" / "subjects.csv").read_text().splitlines()
    assert (base / "again" / "subjects.csv").read_text().splitlines() == lines[:3]  # header and the two
    trials = {run: [(base / run / "subjects" / f"healthy-s{s:02d}" / "trials.csv").read_bytes() for s in (0, 1)]
              for run in ("first", "again")}
    assert trials["first"] == trials["again"]
    assert trials["first"][0] != trials["first"][1]


def _subjects_done(study_dir):
    return sorted(p.name for p in (study_dir / "subjects").glob("*") if (p / "summary.json").exists())


def _kill_a_worker_once_a_subject_is_complete(study_dir, killed: list):
    deadline = time.time() + 300
    while time.time() < deadline:
        done, pids = _subjects_done(study_dir), worker_pids()
        if done and pids:
            os.kill(pids[0], signal.SIGKILL)
            killed.append(len(done))
            return
        time.sleep(0.05)


@pytest.mark.slow
def test_a_study_survives_a_killed_worker_and_a_rerun_runs_only_the_subjects_it_lacks(tmp_path, capsys):
    study = Study("pavlovian", make_groups([]), subjects=6, trials=4, seed=3)
    out = tmp_path / "study"
    killed = []
    killer = threading.Thread(target=_kill_a_worker_once_a_subject_is_complete, args=(out, killed))
    killer.start()
    result = run_study(study, out, workers=2, progress=False, batch=2)
    killer.join()
    assert killed and killed[0] < 6, "the worker was to be killed mid-study"
    assert result["restarts"] == 1 and result["ran"] == 6  # its subjects went to a fresh pool
    assert _subjects_done(out) == [f"healthy-s{s:02d}" for s in range(6)]
    assert not list((out / "subjects").glob(".*"))  # no half-written subject left
    # a lost subject is run again, and only it; the others keep their runs
    lost = out / "subjects" / "healthy-s04"
    shutil.rmtree(lost)
    kept = (out / "subjects" / "healthy-s00" / "trials.csv").stat().st_mtime_ns
    capsys.readouterr()
    args = ["study", "pavlovian", "--subjects", "6", "--trials", "4", "--seed", "3", "--batch", "2", "--out", str(out)]
    assert main(args) == 0
    assert "resumed: 5 subjects were already complete, 1 ran" in capsys.readouterr().out
    assert (lost / "summary.json").exists()
    assert (out / "subjects" / "healthy-s00" / "trials.csv").stat().st_mtime_ns == kept
    assert len((out / "subjects.csv").read_text().splitlines()) == 7
    # another study into the same directory is refused, naming what differs
    with pytest.raises(ConfigError, match="subjects"):
        run_study(Study("pavlovian", make_groups([]), subjects=7, trials=4, seed=3), out, progress=False)


@pytest.mark.slow
def test_a_study_killed_outright_resumes_where_it_stopped(tmp_path):
    out = tmp_path / "study"
    args = [sys.executable, "-m", "dopasim.cli", "study", "pavlovian", "--subjects", "4", "--trials", "4",
            "--batch", "1", "--workers", "1", "--quiet", "--out", str(out)]
    study = subprocess.Popen(args, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while time.time() < deadline and not _subjects_done(out) and study.poll() is None:
        time.sleep(0.05)
    study.kill()
    study.wait()
    done = _subjects_done(out)
    assert 1 <= len(done) < 4 and not (out / "subjects.csv").exists()
    rerun = subprocess.run(args[:-2] + ["--out", str(out)], capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    assert len(_subjects_done(out)) == 4 and len((out / "subjects.csv").read_text().splitlines()) == 5


@pytest.mark.slow
def test_a_study_resumes_on_a_dask_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    study = Study("pavlovian", make_groups([]), subjects=3, trials=4, seed=5)
    out = tmp_path / "study"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) \
            as cluster:
        first = run_study(study, out, progress=False, scheduler=cluster.scheduler_address)
        shutil.rmtree(out / "subjects" / "healthy-s02")
        again = run_study(study, out, progress=False, scheduler=cluster.scheduler_address)
    assert first["ran"] == 3 and (again["ran"], again["skipped"]) == (1, 2)
    assert again["rows"] == first["rows"]  # the subject run again is the same run: its own seed and stream
