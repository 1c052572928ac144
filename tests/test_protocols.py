"""Experimental protocols: phases of trial types with compound cues, read, checked and run."""

import copy
import tomllib
from pathlib import Path

import numpy as np
import pytest

import dopasim
from dopasim.cli import main
from dopasim.models.td import TDLambda
from dopasim.tasks import protocols

EXAMPLE = Path(__file__).parent.parent / "examples" / "blocking_protocol.toml"
#: the example protocol, short: three phases of 6, 4 and 4 trials
SHORT = tomllib.loads(EXAMPLE.read_text())
for _phase, _trials in zip(SHORT["phases"], (6, 4, 4)):
    _phase["trials"] = _trials


def test_the_example_protocol_reads_with_three_phases_and_a_compound():
    protocol = protocols.load(EXAMPLE)
    assert [p.name for p in protocol.phases] == ["pretraining", "compound", "test"] and protocol.n_trials == 120
    compound = protocol.phases[1].types[0]
    assert [c.cue for c in compound.cues] == ["tone", "light"] and compound.reward_ms == 1500
    assert protocols.from_dict(protocols.to_dict(protocol)) == protocol


def test_a_phase_mixes_its_types_by_their_shares_shuffled_with_the_seed_or_in_a_fixed_order():
    data = copy.deepcopy(SHORT)
    test = data["phases"][2]
    test.update(trials=9)
    test["types"][0]["share"] = 2
    protocol = protocols.from_dict(data)
    names = [t.name for k, t in protocol.sequence(np.random.default_rng(1)) if k == 2]
    assert names.count("light_alone") == 6 and names.count("tone_reward") == 3
    assert names != sorted(names, key=["light_alone", "tone_reward"].index)  # shuffled
    again = [t.name for k, t in protocol.sequence(np.random.default_rng(1)) if k == 2]
    assert names == again
    test["order"] = "fixed"
    fixed = [t.name for k, t in protocols.from_dict(data).sequence(np.random.default_rng(1)) if k == 2]
    assert fixed == ["light_alone", "tone_reward"] * 3 + ["light_alone"] * 3


@pytest.mark.parametrize("change, message", [
    (lambda d: d["phases"][0]["types"][0]["cues"].update(bell={}), "unknown cue in protocol 'blocking', phase "
                                                                    "'pretraining', trial type 'tone_reward': 'bell'"),
    (lambda d: d["phases"][1]["types"][0].update(reward_ms=2480), "reward_ms=2480 leaves no room for the 50 ms"),
    (lambda d: d["phases"][2].update(trials=0), "phase 'test': trials=0 must be at least 1"),
    (lambda d: d["phases"][2].update(types=[]), "phase 'test' has no trial types"),
    (lambda d: [t.update(share=0) for t in d["phases"][2]["types"]], "every trial type has share 0"),
    (lambda d: d["phases"][2].update(order="random"), "order='random' is not one of shuffled, fixed"),
    (lambda d: d["phases"][0]["types"][0]["cues"]["tone"].update(duration_ms=2400), "cue 'tone' is on until 2900"),
    (lambda d: d.update(phases=[]), "protocol 'blocking' has no phases"),
    (lambda d: d["phases"][0].update(blocks=3), "unknown key of protocol 'blocking', phase 'pretraining': 'blocks'"),
    (lambda d: d["phases"][0]["types"][0].update(reward_prob=1.5), "reward_prob=1.5 is out of range"),
])
def test_a_malformed_protocol_is_refused_in_one_line_and_nothing_is_written(tmp_path, capsys, change, message):
    data = copy.deepcopy(SHORT)
    change(data)
    with pytest.raises(dopasim.ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        protocols.from_dict(data)
    path = tmp_path / "bad.toml"
    path.write_text(_toml(data))
    assert main(["run", "pavlovian", "--protocol", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("dopasim: error: ") and message in err
    assert not (tmp_path / "out").exists()


def test_a_protocol_sets_the_run_length_and_only_pavlovian_takes_one():
    with pytest.raises(dopasim.ConfigError, match="has 14 trials; a run of it cannot have 20"):
        dopasim.run("pavlovian", protocol=SHORT, trials=20, progress=False)
    with pytest.raises(dopasim.ConfigError, match="task probabilistic_selection takes no protocol"):
        dopasim.run("probabilistic_selection", protocol=SHORT, progress=False)
    with pytest.raises(dopasim.ConfigError, match="it names cues, so it is a Pavlovian protocol"):
        dopasim.run("bandit", protocol=SHORT, progress=False)
    with pytest.raises(dopasim.ConfigError, match="it names options, so it is a choice protocol"):
        dopasim.run("pavlovian", protocol=REVERSAL, progress=False)


def test_linear_td_over_one_hot_features_is_the_tabular_learner_to_the_last_bit():
    tabular, linear = TDLambda(11, alpha=0.1, lam=0.8, frozen=[0]), TDLambda(10, alpha=0.1, lam=0.8)
    features = np.zeros((25, 10))
    features[5:15] = np.eye(10)  # the CS's ten elements, from the trial's fifth step
    for reward in np.random.default_rng(0).random(100) < 0.7:
        rewards = np.zeros(25)
        rewards[14] = reward
        errors = linear.episode(features, rewards)
        assert tabular.episode(list(range(11)), [0.0] * 10 + [float(reward)])[[0, 10]].tolist() == errors[[4, 14]].tolist()
    assert np.array_equal(tabular.values[1:], linear.values)


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["rate", "spiking"])
def test_a_three_phase_protocol_with_a_compound_runs_and_its_trial_table_says_what_each_trial_was(tmp_path, mode):
    res = dopasim.run("pavlovian", protocol=SHORT, mode=mode, seed=2, progress=False)
    tr = res.trials
    assert len(tr["trial"]) == 14 and res.recording.sizes["cortex"] >= 2 * 20  # a compound per cue
    assert tr["phase"].tolist() == ["pretraining"] * 6 + ["compound"] * 4 + ["test"] * 4
    compound = tr["trial_type"] == "tone_light_reward"
    assert set(tr["cues"][compound]) == {"tone+light"} and compound.sum() == 4
    light_alone = tr["trial_type"] == "light_alone"
    assert light_alone.sum() == 2 and np.all(tr["reward"][light_alone] == 0) and np.all(tr["omitted"][light_alone] == 1)
    assert np.all(np.isnan(tr["reward_time_ms"][light_alone])) and np.all(tr["expected_time_ms"][light_alone] == 1500)
    # the reference sees the same compound: no TD error at a cue that is not shown, one at every cue that is
    assert np.all(np.isnan(tr["td_light"][tr["phase"] == "pretraining"])) and np.all(np.isfinite(tr["td_light"][compound]))
    assert np.all(np.isnan(tr["da_light"][tr["phase"] == "pretraining"])) and np.all(np.isfinite(tr["da_tone"][compound]))
    # a compound's two cues come on together: the reference's error at their onset is one and the same
    assert np.array_equal(tr["td_tone"][compound], tr["td_light"][compound])
    res.write(tmp_path / "run")
    assert (tmp_path / "run" / "figures" / "dopamine_by_type.png").stat().st_size > 10_000
    assert main(["run", "--config", str(tmp_path / "run" / "run.json"), "--out", str(tmp_path / "replay"),
                 "--quiet"]) == 0
    for name in ("trials.csv", "summary.json", "run.json"):
        assert (tmp_path / "replay" / name).read_bytes() == (tmp_path / "run" / name).read_bytes(), name


def _toml(data) -> str:
    """Plain data as TOML (the few shapes a protocol has)."""
    def value(v):
        if isinstance(v, bool):
            return str(v).lower()
        if isinstance(v, str):
            return '"' + v + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
        return repr(v)

    lines = [f"{k} = {value(v)}" for k, v in data.items() if k != "phases"]
    for phase in data.get("phases", []):
        lines.append("[[phases]]")
        lines += [f"{k} = {value(v)}" for k, v in phase.items() if k != "types"]
        types = phase.get("types", [])
        if not (isinstance(types, list) and all(isinstance(kind, dict) for kind in types)):
            lines.append(f"types = {value(types)}")
            continue
        for kind in types:
            lines.append("[[phases.types]]")
            lines += [f"{k} = {value(v)}" for k, v in kind.items()]
    if data.get("phases") == []:
        lines.append("phases = []")
    return "\n".join(lines) + "\n"


REVERSAL = tomllib.loads((EXAMPLE.parent / "reversal_protocol.toml").read_text())


@pytest.mark.slow
def test_a_bandit_protocol_of_two_phases_is_the_reversal_task_trial_for_trial():
    data = copy.deepcopy(REVERSAL)
    for phase in data["phases"]:
        phase["trials"] = 30
    written = dopasim.run("bandit", protocol=data, seed=4, progress=False)
    built_in = dopasim.run("reversal", trials=60, seed=4, params={"task.reversal_trial": 30}, progress=False)
    assert written.trials["phase"].tolist() == ["acquisition"] * 30 + ["reversal"] * 30
    for column, values in built_in.trials.items():
        assert np.array_equal(written.trials[column], values, equal_nan=values.dtype.kind == "f"), column
    assert written.summary["reversal.p_best_last50"] == built_in.summary["p_best_post"]


@pytest.mark.parametrize("change, message", [
    (lambda d: d["phases"][0]["types"][0]["reward_probs"].pop("right"), "must give every option (left, right)"),
    (lambda d: d["phases"][1]["types"][0]["reward_probs"].update(left=1.2), "left=1.2 is out of range"),
    (lambda d: d.update(options=["left"]), "must name two or more distinct options"),
    (lambda d: d["phases"][1].update(trials=0), "phase 'reversal': trials=0 must be at least 1"),
    (lambda d: d["phases"][0]["types"][0].update(cues={}), "unknown key of protocol 'reversal', phase "
                                                           "'acquisition', trial type 'choice': 'cues'"),
])
def test_a_malformed_choice_protocol_is_refused_in_one_line(tmp_path, capsys, change, message):
    data = copy.deepcopy(REVERSAL)
    change(data)
    path = tmp_path / "bad.toml"
    path.write_text(_toml(data))
    assert main(["run", "bandit", "--protocol", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("task", ["reversal", "meta_bandit", "two_step", "variable_magnitude"])
def test_tasks_that_read_no_protocol_say_so(task):
    with pytest.raises(dopasim.ConfigError, match="takes no protocol"):
        dopasim.run(task, protocol=REVERSAL, progress=False)
