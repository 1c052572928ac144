"""Batched subjects (`dopasim.circuits.batch`): many subjects in one network, each as independent of its
batch-mates as a subject run alone, and each written as a run of its own."""

import json

import numpy as np
import pytest

from dopasim.circuits.batch import Batch
from dopasim.experiment import run_batch
from dopasim.params import ConfigError
from dopasim.study import batches


def test_code_written_for_one_subject_reads_its_own_cells_signals_and_tables():
    batch = Batch([5, 6, 7])
    batch.table("sig_cs", [np.zeros((10, 2))] * 3)
    batch.table("luck", [np.zeros(10)] * 3)
    code = "x = sig_cs(t, i // 4) * luck(t) + int(i == 0)"
    assert batch.local(code) == ("x = sig_cs(t, subject * 2 + (i_in_subject // 4)) * luck(t, subject * 1 + (0)) "
                                 "+ int(i_in_subject == 0)")
    assert batch.local("choice_post = i_pre + j", synaptic=True) == "choice_post = i_in_subject_pre + i_in_subject_post"
    with pytest.raises(ConfigError, match="differ in the shape"):
        batch.table("sig_us", [np.zeros(10), np.zeros(11), np.zeros(10)])


def test_batches_are_even_and_give_every_worker_one():
    assert [len(b) for b in batches(list(range(10)), 4)] == [3, 4, 3]
    assert [len(b) for b in batches(list(range(3)), 25, at_least=2)] == [2, 1]
    assert sum(batches(list(range(7)), 2), []) == list(range(7))
    with pytest.raises(ConfigError, match="batch=0"):
        batches([1], 0)


def _trials_csv(res, folder):
    res.write(folder, figures=False)
    return (folder / "trials.csv").read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("mode, task, trials", [("rate", "bandit", 30), ("spiking", "pavlovian", 6)])
def test_a_subject_gives_the_same_trials_whichever_subjects_share_its_network(tmp_path, mode, task, trials):
    # batches of one size (one compiled network), the subject in another place among others
    first = run_batch(task, mode=mode, trials=trials, seeds=[11, 12, 13], progress=False)
    second = run_batch(task, mode=mode, trials=trials, seeds=[98, 99, 12], progress=False)
    same = _trials_csv(first[1], tmp_path / "a")
    assert same == _trials_csv(second[2], tmp_path / "b")
    # ... and the subjects are not copies of each other: their own draws and streams
    assert _trials_csv(first[0], tmp_path / "c") != same
    assert json.loads((tmp_path / "a" / "run.json").read_text())["random_streams"] == "subject"


@pytest.mark.slow
def test_a_batched_subject_learns_as_a_subject_alone_does():
    """Each of a rate batch's bandit subjects learns the better arm from its own simulated dopamine."""
    cohort = run_batch("bandit", mode="rate", trials=120, seeds=[1, 2, 3], progress=False)
    late = [res.summary["p_best_last100"] for res in cohort]
    assert np.mean(late) > 0.7, late
    # the DA outcome response of each subject follows its own reference TD error
    assert all(res.summary["corr_da_td_outcome"] > 0.5 for res in cohort)


def test_a_task_that_ends_its_session_early_is_not_batched():
    with pytest.raises(ConfigError, match="--batch 1"):
        run_batch("gridworld", trials=2, seeds=[1, 2], progress=False)


@pytest.mark.slow
def test_every_object_of_a_subject_draws_from_one_stream_and_subjects_from_their_own(tmp_path):
    """Two groups of one subject must not draw the same numbers (a stream per code object would make them)."""
    import brian2 as b2

    from dopasim.circuits.batch import CELL_VARIABLES
    from dopasim.circuits.build import compile_and_run
    from dopasim.circuits.standalone import standalone

    with standalone() as device:
        batch = Batch([3, 4])
        batch.start()
        groups = []
        for name in ("first", "second"):
            group = b2.NeuronGroup(2 * 5, "x : 1\ny : 1\n" + CELL_VARIABLES, name=name)
            batch.label(group, 5)
            group.run_regularly("x = rand()\ny = randn()", name=f"{name}_draws")
            groups.append(group)
        monitors = [b2.StateMonitor(g, ["x", "y"], record=True, name=f"{g.name}_drawn") for g in groups]
        net = b2.Network(batch.subjects, *groups, *monitors)
        net.run(3 * b2.defaultclock.dt)
        compile_and_run(device, tmp_path / "build", with_output=False)
        # (the monitors record before the first draw: from the second step on)
        first, second = (np.asarray(m.x[:])[:, 1:] for m in monitors)
        normal = np.asarray(monitors[0].y[:])[:, 1:]
    assert np.all((first > 0) & (first < 1))
    assert not np.isclose(first, second).any()  # each draw is a new number of the subject's stream
    assert not np.isclose(first[:5], first[5:]).any()  # subjects have streams of their own
    assert len(np.unique(normal)) == normal.size


def test_each_pooled_mean_sums_its_own_cells_in_order_and_the_means_take_turns():
    """A pooled mean's synapses go to the means in turn (no addition waits on the one before), and each mean
    still adds its own cells, in their order: the same sum, bit for bit, as cell by cell."""
    import brian2 as b2

    from dopasim.circuits.synapses import _mean_rate

    b2.start_scope()
    b2.prefs.codegen.target = "numpy"  # only the synapses' indices are read: no need to compile
    subjects, cells, channels = 3, 8, 2
    pools = {}
    _mean_rate({"pool_order": b2.NeuronGroup(subjects * cells, "rate : Hz")}, pools, "pool_order", channels,
               subjects)
    pooling = pools[("pool_order", channels)][1]
    pre, mean = np.asarray(pooling.i[:]), np.asarray(pooling.j[:])
    per_mean = cells // channels
    for m in range(subjects * channels):  # subject m // channels, channel m % channels
        assert list(pre[mean == m]) == list(range(m * per_mean, (m + 1) * per_mean))
    assert (np.diff(mean) != 0).all()
