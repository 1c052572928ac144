"""The command line as outside scripts use it: exit codes, one-line errors, the run directory."""

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from dopasim.cli import main
from processes import children

BAD_INPUTS = {
    "unknown task": (["run", "pavlovin"], "unknown task 'pavlovin'"),
    "unknown parameter": (["run", "pavlovian", "--set", "task.reward_prb=0.5"], "did you mean 'reward_prob'"),
    "unknown circuit parameter": (["run", "pavlovian", "--set", "circuit.vta.sizes=3"], "did you mean 'size'"),
    "wrong type": (["run", "pavlovian", "--set", "task.reward_prob=lots"], "'lots' is not a valid float"),
    "out of range": (["run", "pavlovian", "--set", "task.reward_prob=2"], "out of range"),
    "bad mode": (["run", "pavlovian", "--mode", "spikey"], "invalid choice: 'spikey'"),
    "zero trials": (["run", "pavlovian", "--trials", "0"], "must be at least 1"),
    "negative trials": (["run", "pavlovian", "--trials", "-5"], "must be at least 1"),
    "non-numeric trials": (["run", "pavlovian", "--trials", "many"], "'many' is not a whole number"),
    "set without =": (["run", "pavlovian", "--set", "task.reward_prob"], "is not KEY=VALUE"),
    "unknown circuit": (["run", "pavlovian", "--circuit", "nope"], "unknown circuit preset 'nope'"),
    "circuit unfit for the task": (["run", "pavlovian", "--circuit", "selection"], "lacks cortex, reward"),
    "external world without a table": (["run", "gym:CartPole-v1"], "discrete observations"),
    "bad maze": (["run", "gridworld", "--set", "task.layout=S.X/..G"], "valid: S start"),
    "time constant below the step": (["run", "pavlovian", "--set", "circuit.vta.tau_ms=0.5"],
                                     "circuit.vta.tau_ms=0.5 is shorter than the time step in rate mode (1.0 ms)"),
    "a name across two lines": (["run", "pavlovian", "--set", "circuit.v\nta.size=3"], "projection 'v\\nta'"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_line_and_writes_nothing(case, tmp_path, capsys):
    argv, message = BAD_INPUTS[case]
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stop:
        sys.exit(main(argv + ["--out", str(out)]))
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert message in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_bad_input_from_a_real_process_has_no_traceback(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "dopasim.cli", "run", "pavlovian", "--set", "task.nope=1",
                           "--out", str(tmp_path / "o")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("dopasim: error: unknown parameter of task: 'nope'")
    assert "Traceback" not in proc.stderr and not (tmp_path / "o").exists()


def test_existing_output_directory_is_not_overwritten(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["run", "pavlovian", "--trials", "2", "--out", str(tmp_path)]) == 2
    assert "not an empty directory" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_list_names_tasks_and_presets(capsys):
    assert main(["list"]) == 0
    text = capsys.readouterr().out
    assert "pavlovian" in text and "critic" in text


def test_help_everywhere():
    for argv in (["--help"], ["run", "--help"], ["list", "--help"]):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 0


@pytest.mark.slow
def test_run_writes_the_contracted_run_directory(tmp_path):
    out = tmp_path / "run"
    assert main(["run", "pavlovian", "--trials", "6", "--seed", "3", "--quiet", "--out", str(out),
                 "--set", "task.reward_prob=0.5"]) == 0
    config = json.loads((out / "run.json").read_text())
    assert config["seed"] == 3 and config["task"]["reward_prob"] == 0.5
    assert set(config["versions"]) >= {"dopasim", "brian2", "numpy"}
    summary = json.loads((out / "summary.json").read_text())
    assert all(v is None or isinstance(v, (int, float)) for v in summary.values())
    rows = list(csv.DictReader(open(out / "trials.csv")))
    assert len(rows) == 6
    assert {"trial", "reward", "da_cs", "da_us", "td_cs", "td_us"} <= set(rows[0])
    figures = {p.name for p in (out / "figures").iterdir()}
    assert figures == {"circuit.png", "activity.png", "dopamine_transfer.png", "value.png", "da_vs_td.png"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no partial directory left


def test_a_delay_in_rate_mode_is_refused_before_anything_runs(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", "pavlovian", "--set", "circuit.value_fast.delay_ms=5", "--out", str(out)]) == 2
    assert "rate mode has no axonal delays" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
@pytest.mark.slow
def test_a_run_killed_mid_way_leaves_nothing_that_looks_complete(how, tmp_path):
    out = tmp_path / "run"
    proc = subprocess.Popen([sys.executable, "-m", "dopasim.cli", "run", "pavlovian", "--trials", "2000", "--out",
                             str(out)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    seen = ""
    while "% " not in seen.rpartition("compiling C++")[2]:  # the compiled simulation reports its progress
        seen += proc.stderr.read(1) or "% (ended)"
    time.sleep(0.5)
    simulation = list(children(proc.pid))  # the compiled simulation
    assert simulation
    proc.send_signal(how)
    assert proc.wait(timeout=60) == (130 if how == signal.SIGTERM else -signal.SIGKILL)
    for _ in range(50):  # the simulation dies with it, not left computing on
        if not any(Path(f"/proc/{pid}").exists() for pid in simulation):
            break
        time.sleep(0.1)
    else:
        pytest.fail(f"the simulation {simulation} outlived its killed run")
    rest = proc.stderr.read()
    if how == signal.SIGTERM:
        assert "interrupted; no run directory was written" in rest and "Traceback" not in rest
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if not p.name.startswith(".")]  # at most a hidden partial


def test_a_run_that_diverges_stops_naming_the_region_the_quantity_and_the_time():
    from dopasim.circuits.compiler import Recording, SimulationError, check_finite

    t = np.arange(5) * 0.01
    rates = np.ones((2, 5))
    rates[1, 3:] = np.nan
    rec = Recording(mode="rate", duration=0.05, sizes={"gpe": 2}, kinds={"gpe": "pallidum"},
                    rates={"gpe": (t, rates)})
    with pytest.raises(SimulationError, match=r"region 'gpe': its rate became NaN or infinite by t = 0.030 s"):
        check_finite(rec, 0.001)
    rates[1, 3:] = 1.0
    check_finite(rec, 0.001)  # finite: nothing to say


@pytest.mark.parametrize("task", ["pavlovian", "two_step"])
def test_list_task_documents_every_parameter_with_its_default_and_range(task, capsys):
    from dopasim.experiment import configure

    assert main(["list", task]) == 0
    text = capsys.readouterr().out
    the_task = configure(task)[0]
    for scope, params in (("task", the_task.params), ("reference", the_task.reference_params)):
        for name, p in params.items():
            line = next(li for li in text.splitlines() if li.split()[:1] == [f"{scope}.{name}"])
            assert str(p.default) in line and p.help[:20] in line
            if p.unit:
                assert f"({p.unit})" in line
