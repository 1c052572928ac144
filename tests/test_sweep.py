"""Sweeps (`dopasim sweep SPEC.toml`): every combination of the grid for every seed, one run directory each,
one tidy table, and a rerun that picks up where the last one stopped."""

import csv

import pytest

from dopasim.cli import main
from dopasim.params import ConfigError
from dopasim.sweep import expand

SPEC = """
task = "pavlovian"
trials = 4
seeds = [1, 2]

[grid]
"task.reward_prob" = [0.5, 1.0]
"""


def test_a_sweep_runs_the_grid_once_and_a_rerun_skips_what_is_complete(tmp_path, capsys):
    spec = tmp_path / "demo.toml"
    spec.write_text(SPEC)
    out = tmp_path / "sweep"
    assert main(["sweep", str(spec), "--out", str(out), "--workers", "2"]) == 0
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert len(runs) == 4 and len(set(runs)) == 4
    with open(out / "runs.csv") as f:
        rows = list(csv.DictReader(f))
    assert sorted((r["task.reward_prob"], r["seed"]) for r in rows) == [("0.5", "1"), ("0.5", "2"),
                                                                       ("1.0", "1"), ("1.0", "2")]
    assert all(r["corr_da_td_us"] for r in rows)  # each row carries its run's headline measures
    # a lost run is run again, and only it
    first = out / "runs" / runs[0]
    for path in sorted(first.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    first.rmdir()
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    assert "1 runs done, 3 already complete" in capsys.readouterr().out
    assert (first / "summary.json").exists()


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
