"""One seed fixes the whole run: trial sequence, initial weights, Poisson input, noise."""

import pytest

from dopasim.cli import main


def trials_csv(tmp_path, name, mode, seed):
    out = tmp_path / name
    assert main(["run", "pavlovian", "--mode", mode, "--trials", "3", "--seed", str(seed), "--quiet",
                 "--set", "task.reward_prob=0.5", "--out", str(out)]) == 0
    return (out / "trials.csv").read_bytes()


# rate mode: each subject of a study rerun, in tests/test_study.py
@pytest.mark.parametrize("mode", ["spiking"])
def test_same_seed_gives_identical_trials_csv(tmp_path, mode):
    first = trials_csv(tmp_path, "a", mode, 11)
    assert trials_csv(tmp_path, "b", mode, 11) == first
    assert trials_csv(tmp_path, "c", mode, 12) != first
