"""Experiments kept in files: a TOML config says what the command line can (the command line wins), `dopasim
config show` prints the run's fully resolved configuration, and a run replays from its run.json."""

import json

import pytest

from dopasim.cli import main

CONFIG = """
task = "pavlovian"
trials = 3
seed = 5
lesions = ["vta=0.2"]

[set]
"task.reward_prob" = 0.5
"circuit.vta.size" = 60
"""


def shown(capsys, argv) -> dict:
    capsys.readouterr()
    assert main(["config", "show", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_toml_config_holds_a_whole_run_and_the_command_line_wins(tmp_path, capsys):
    path = tmp_path / "experiment.toml"
    path.write_text(CONFIG)
    config = shown(capsys, ["--config", str(path), "--seed", "7", "--set", "circuit.vta.size=80"])
    assert config["seed"] == 7 and config["trials"] == 3 and config["mode"] == "rate"
    assert config["task"]["name"] == "pavlovian" and config["task"]["reward_prob"] == 0.5
    assert config["circuit"]["regions"]["vta"]["size"] == 80  # the command line's value
    assert {"transform": "kill_cells", "region": "vta", "fraction": 0.2} in config["circuit"]["lesions"]
    # defaults included: every parameter of every region and projection
    assert config["circuit"]["regions"]["ventral_striatum"]["tau_ms"] > 0
    assert "alpha" in config["reference"] and config["disease"] == "healthy"


@pytest.mark.parametrize("task", ["pavlovian", "bandit"])
@pytest.mark.slow
def test_a_run_replays_from_its_run_json_byte_for_byte(task, tmp_path, capsys):
    first = tmp_path / "first"
    assert main(["run", task, "--trials", "4", "--seed", "3", "--quiet", "--out", str(first),
                 "--set", "circuit.vta.size=60"]) == 0
    replay = tmp_path / "replay"
    assert main(["run", "--config", str(first / "run.json"), "--quiet", "--out", str(replay)]) == 0
    for name in ("trials.csv", "summary.json", "run.json"):
        assert (replay / name).read_bytes() == (first / name).read_bytes(), name
    # a replay is the recorded run: nothing may change it
    assert main(["run", "--config", str(first / "run.json"), "--seed", "4", "--out", str(tmp_path / "x")]) == 2
    assert "replays a run as recorded; --seed" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


BAD_CONFIGS = {
    "unknown key": ('task = "pavlovian"\nseeds = [1]\n', "did you mean 'seed'"),
    "wrong type": ('task = "pavlovian"\ntrials = "many"\n', "trials='many' must be a int"),
    "not TOML": ('task = pavlovian\n', "is not valid TOML"),
    "no task": ('trials = 3\n', "no task"),
    "bad lesion": ('task = "pavlovian"\nlesions = ["vta=2"]\n', "--config lesions"),
    "bad setting": ('task = "pavlovian"\n[set]\n"task.reward_prob" = [1, 2]\n', "not a valid float"),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_a_bad_config_exits_2_with_one_line_and_writes_nothing(case, tmp_path, capsys):
    text, message = BAD_CONFIGS[case]
    path = tmp_path / "bad.toml"
    path.write_text(text)
    assert main(["run", "--config", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("suffix, body", [
    ("toml", 'task = "pavlovian"\n[set]\n"task.reward_prob" = ' + "[" * 500 + "]" * 500 + "\n"),
    ("json", '{"task": ' + "[" * 3000 + "]" * 3000 + "}"),
    ("toml", 'task = "pavlovian"\nlesions = ' + "[" * 20 + "]" * 20 + "\n"),
])
def test_a_config_nested_too_deep_is_refused_in_one_line(tmp_path, capsys, suffix, body):
    path = tmp_path / f"config.{suffix}"
    path.write_text(body)
    assert main(["run", "--config", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "nests" in message and "at most 16 levels" in message
    assert not (tmp_path / "out").exists()


def test_a_sweep_spec_nested_too_deep_is_refused_in_one_line(tmp_path, capsys):
    spec = tmp_path / "deep.toml"
    spec.write_text('task = "pavlovian"\nseeds = ' + "[" * 2000 + "]" * 2000 + "\n")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "nests" in capsys.readouterr().err
