import numpy as np
import pytest

from dopasim.params import ConfigError
from dopasim.tasks import make


def test_signals_follow_the_protocol():
    task = make("pavlovian", trial_ms=2000, cs_onset_ms=400, cs_us_interval_ms=800, us_duration_ms=50,
                reward_magnitude=2.0)
    trials = task.trials(3, np.random.default_rng(0))
    sig = task.signals(trials)
    dt = 0.001
    cs, reward = sig["cs"][:2000], sig["reward"][:2000]
    on = np.flatnonzero(cs >= 0)
    assert on[0] * dt == pytest.approx(0.4) and (on[-1] + 1) * dt == pytest.approx(1.2)
    assert cs[on[0] + 100] == pytest.approx(0.1)  # seconds since CS onset
    r = np.flatnonzero(reward)
    assert r[0] * dt == pytest.approx(1.2) and len(r) == 50 and reward[r[0]] == 2.0
    assert len(sig["cs"]) == 3 * 2000


def test_reward_probability_and_omission_probes():
    task = make("pavlovian", reward_prob=0.5, omit_trials="3, 7")
    trials = task.trials(2000, np.random.default_rng(1))
    assert trials["reward"].mean() == pytest.approx(0.5, abs=0.04)
    assert trials["omitted"][3] == 1 and trials["reward"][7] == 0.0
    sure = make("pavlovian", omit_trials="5").trials(10, np.random.default_rng(1))
    assert sure["omitted"].tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0, 0]


def test_reference_sees_the_same_trials():
    from dopasim import make_circuit
    from dopasim.tasks import Session

    task = make("pavlovian", reward_prob=0.5)
    trials = task.trials(50, np.random.default_rng(2))
    ref = task.reference(trials, Session(50, 2, make_circuit("critic"), trials), alpha=0.1, lam=0.8, gamma=1.0)
    assert ref["td_us"][0] == trials["reward"][0]  # nothing predicted yet
    rewarded, unrewarded = trials["reward"][10:] > 0, trials["reward"][10:] == 0
    assert ref["td_us"][10:][rewarded].min() > 0 > ref["td_us"][10:][unrewarded].max()


@pytest.mark.parametrize("params, message", [
    ({"reward_prob": 1.5}, "task.reward_prob=1.5 is out of range"),
    ({"omit_trials": "a,b"}, "comma-separated"),
    ({"cs_us_interval_ms": 5000.0}, "after the trial ends"),
    ({"rewad_prob": 0.5}, "did you mean 'reward_prob'"),
])
def test_bad_task_parameters_are_named(params, message):
    with pytest.raises(ConfigError, match=message):
        make("pavlovian", **params)
