"""Continuing from a run: a trained circuit's next session starts where the last one ended."""

import json
import subprocess
import sys

import numpy as np
import pytest

import dopasim
from dopasim.circuits.weights import FILENAME
from dopasim.cli import main


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["rate", "spiking"])
def test_a_session_continued_from_a_trained_run_starts_with_the_trained_cs_response(trained, tmp_path, mode):
    trained(mode).write(tmp_path / "trained", figures=False)
    assert (tmp_path / "trained" / FILENAME).is_file()
    learned = trained(mode).summary["da_cs_late"]  # 150 trials: the burst has moved to the CS
    continued = dopasim.run("pavlovian", mode=mode, trials=5, seed=7, init_from=tmp_path / "trained", progress=False)
    naive = dopasim.run("pavlovian", mode=mode, trials=5, seed=7, progress=False)
    first = continued.trials["da_cs"][:3].mean()
    assert learned > 1.5 and first > 0.5 * learned, (first, learned)
    assert abs(naive.trials["da_cs"][:3].mean()) < 0.3 * learned, naive.trials["da_cs"][:3]
    weights = np.load(tmp_path / "trained" / FILENAME)
    assert np.allclose(weights["corticostriatal.weight"], trained(mode).recording.final_weights["corticostriatal"][2])


@pytest.mark.slow
def test_a_continued_run_replays_byte_for_byte_and_refuses_weights_that_changed(tmp_path, capsys):
    assert main(["run", "pavlovian", "--trials", "6", "--out", str(tmp_path / "first"), "--quiet"]) == 0
    argv = ["run", "pavlovian", "--trials", "4", "--seed", "3", "--init-from", str(tmp_path / "first"), "--quiet"]
    assert main(argv + ["--out", str(tmp_path / "second")]) == 0
    recorded = json.loads((tmp_path / "second" / "run.json").read_text())
    assert recorded["circuit"]["init_from"]["run"] == str(tmp_path / "first")
    assert main(["run", "--config", str(tmp_path / "second" / "run.json"), "--out", str(tmp_path / "replay"),
                 "--quiet"]) == 0
    for name in ("trials.csv", "summary.json", "run.json", FILENAME):
        assert (tmp_path / "replay" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
    (tmp_path / "first" / FILENAME).write_bytes(b"not the weights")  # the start is gone: a replay must refuse
    assert main(["run", "--config", str(tmp_path / "second" / "run.json"), "--out", str(tmp_path / "again"),
                 "--quiet"]) == 2
    assert "is not the one this run started from" in capsys.readouterr().err
    assert not (tmp_path / "again").exists()


def test_init_from_refuses_what_is_not_a_run_of_the_same_circuit(tmp_path):
    with pytest.raises(dopasim.ConfigError, match="is not a run directory"):
        dopasim.make_circuit("critic").start_from(tmp_path / "missing")
    (tmp_path / "empty").mkdir()
    with pytest.raises(dopasim.ConfigError, match="holds no weights.npz"):
        dopasim.make_circuit("critic").start_from(tmp_path / "empty")
    (tmp_path / "other").mkdir()
    np.savez(tmp_path / "other" / FILENAME, **{"cue_d1.pre": np.zeros(1, int), "cue_d1.post": np.zeros(1, int),
                                                  "cue_d1.weight": np.zeros(1), "cue_d1.shape": np.array([1, 1])})
    with pytest.raises(dopasim.ConfigError, match=r"its plastic projections \(cue_d1\) are not this circuit's "
                                                  r"\(corticostriatal\): same circuit needed"):
        dopasim.make_circuit("critic").start_from(tmp_path / "other")


def test_init_from_on_the_command_line_is_one_line_and_writes_nothing(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "dopasim.cli", "run", "pavlovian", "--init-from",
                           str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")], capture_output=True, text=True)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "is not a run directory" in proc.stderr
    assert not (tmp_path / "out").exists()
