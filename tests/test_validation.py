"""`dopasim validate`: findings as cohort tests on fresh subjects, a report, and a run that resumes."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from dopasim.cli import main
from dopasim.params import ConfigError
from dopasim.tasks import TASKS
from dopasim.validation import FINDINGS, Finding, select
from dopasim.validation.networks import draw_saliences
from dopasim.validation.report import update_document
from dopasim.validation.runner import judge, seed_of


def test_every_finding_names_a_task_or_probe_a_paper_and_a_direction_in_modes_that_exist():
    assert len(FINDINGS) >= 9
    for finding in FINDINGS.values():
        assert finding.task in TASKS or finding.task.startswith("gym:") or callable(finding.probe)
        assert finding.paper and finding.claim
        assert set(finding.modes) <= {"rate", "spiking"} and finding.expect in ("above", "below")


def test_findings_that_run_one_protocol_share_subjects_whose_seeds_no_one_chose():
    cs, us = FINDINGS["cs_response_grows"], FINDINGS["us_response_fades"]
    assert cs.protocol("rate", "healthy") == us.protocol("rate", "healthy")
    assert cs.protocol("rate", "healthy") != FINDINGS["omission_dip"].protocol("rate", "healthy")
    # a finding may ask for a larger cohort than --subjects (a small effect), never a smaller one
    crossover = FINDINGS["parkinsons_medication_reverses_bias"]
    assert (crossover.cohort(10), crossover.cohort(30), cs.cohort(10)) == (20, 30, 10)
    seeds = {seed_of(1, cs, "rate", "healthy", s) for s in range(10)}
    assert len(seeds) == 10 and seeds.isdisjoint({seed_of(2, cs, "rate", "healthy", s) for s in range(10)})


def test_a_cohort_holds_only_when_its_whole_interval_lies_on_the_expected_side():
    above = Finding("demo", "paper", "claim", "pavlovian", "x", "above", threshold=0.5)
    assert judge(above, "rate", {"healthy": [0.8, 0.9, 0.85, 0.7]})["holds"]
    wide = judge(above, "rate", {"healthy": [0.2, 0.9, 0.95, 0.6]})  # mean 0.66, but the interval reaches 0.5
    assert wide["ci_low"] < 0.5 < wide["effect"] and not wide["holds"]
    assert not judge(above, "rate", {"healthy": [0.9]})["holds"]  # one subject: no interval, no finding
    pair = Finding("demo", "paper", "claim", "pavlovian", "x", "below", group="a", against="b")
    result = judge(pair, "rate", {"a": [0.1, 0.2, 0.15], "b": [0.6, 0.7, 0.65]})
    assert result["holds"] and result["effect"] == pytest.approx(-0.5)


def test_a_claim_about_how_many_subjects_show_an_effect_is_an_exact_binomial_test_against_chance():
    # Izhikevich's chosen synapse: how many subjects end with it above the others' 99th percentile (chance 1%)
    most = Finding("demo", "paper", "claim", "distal_reward", "x", "above", threshold=0.01, each_above=0.0)
    four = judge(most, "spiking", {"healthy": [-0.3, 0.1, 0.1, 0.2, 0.1]})
    assert four["effect"] == pytest.approx(0.8) and four["ci_low"] == pytest.approx(0.284, abs=1e-3)
    assert four["holds"] and four["p"] < 1e-6
    assert not judge(most, "spiking", {"healthy": [-0.3, -0.1, 0.1, -0.2, -0.1]})["holds"]  # 1 of 5: chance
    with pytest.raises(ConfigError, match="each_above"):
        Finding("demo", "paper", "claim", "distal_reward", "x", "above", threshold=5.0, each_above=0.0)


def test_every_selection_probe_has_one_clearly_most_salient_channel():
    for seed in range(50):
        top, second, _ = np.sort(draw_saliences(np.random.default_rng([seed, 0])))[::-1]
        assert top - second >= 0.15 and 0.2 <= second and top <= 0.7


def test_unknown_findings_and_modes_no_finding_claims_are_refused():
    with pytest.raises(ConfigError, match="unknown finding 'nope'.*omission_dip"):
        select(["nope"], ["rate"])
    with pytest.raises(ConfigError, match="expect"):
        Finding("demo", "paper", "claim", "pavlovian", "x", "sideways")
    assert main(["validate", "--only", "nope"]) == 2


@pytest.mark.slow
def test_a_smoke_validation_writes_the_report_and_its_json(tmp_path):
    out = tmp_path / "validation"
    # a task's finding and a probe's (one network driven without a task)
    assert main(["validate", "--only", "omission_dip", "--only", "cued_item_held_through_the_delay", "--subjects", "2",
                 "--out", str(out), "--quiet"]) == 0
    record = json.loads((out / "validation.json").read_text())
    dip, memory = record["findings"]
    assert dip["finding"] == "omission_dip" and dip["mode"] == "rate" and dip["n"] == {"healthy": 2}
    assert dip["holds"] and dip["effect"] < -1.0  # the dip, in Hz below the tonic rate
    assert memory["holds"] and memory["effect"] > 10  # Hz above the other pools, in both delays
    [probe_run] = {json.loads(p.read_text())["probe"] for p in out.glob("subjects/*/rate/healthy-s0*/run.json")
                   if "probe" in json.loads(p.read_text())}
    assert probe_run == "dopasim.validation.networks.memory"
    # the finding's two subjects shared a network, each with its own random stream
    assert {json.loads(p.read_text())["random_streams"] for p in out.glob("subjects/*/rate/healthy-s0*/run.json")
            if "probe" not in json.loads(p.read_text())} == {"subject"}
    report = (out / "report.md").read_text()
    assert "| `omission_dip` |" in report and "figures/omission_dip-rate.png" in report
    assert (out / "figures" / "omission_dip-rate.png").stat().st_size > 0
    assert record["wall_s"] > 0 and "cores" in record["machine"]


@pytest.mark.slow
def test_a_killed_validation_started_again_runs_only_the_missing_subjects(tmp_path):
    out = tmp_path / "validation"
    argv = ["validate", "--only", "omission_dip", "--subjects", "4", "--workers", "1", "--batch", "2", "--out",
            str(out), "--quiet"]
    process = subprocess.Popen([sys.executable, "-m", "dopasim.cli", *argv], start_new_session=True)
    subjects = out / "subjects"

    def complete():  # a run directory appears only once complete; a hidden one is still being written
        return sorted(p.parent for p in subjects.glob("*/rate/*/summary.json") if not p.parent.name.startswith("."))

    deadline = time.time() + 300
    while time.time() < deadline and not complete():
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done = complete()
    assert 1 <= len(done) < 4 and not (out / "validation.json").exists()
    before = {p: (p / "summary.json").stat().st_mtime_ns for p in done}
    assert main(argv) == 0
    record = json.loads((out / "validation.json").read_text())
    assert record["invocations"][-1]["subjects_run"] == 4 - len(done) and record["findings"][0]["n"] == {"healthy": 4}
    assert {p: (p / "summary.json").stat().st_mtime_ns for p in done} == before  # not run again
    assert not list(subjects.glob("*/rate/.*partial*"))  # the killed run's half-written directory is gone


REPORTS = Path(__file__).resolve().parent.parent / "docs" / "validation"
README = Path(__file__).resolve().parent.parent / "README.md"


def test_the_readme_findings_table_is_generated_from_the_committed_reports_and_lists_every_finding():
    records = [json.loads((REPORTS / mode / "validation.json").read_text()) for mode in ("rate", "spiking")]
    assert update_document(README, records) == README.read_text(), \
        "regenerate: python -m dopasim.validation.report README.md docs/validation/*/validation.json"
    reported = {(r["finding"], r["mode"]) for record in records for r in record["findings"]}
    claimed = {(f.name, mode) for f in FINDINGS.values() for mode in f.modes}
    assert claimed <= reported, f"findings missing from the committed reports: {sorted(claimed - reported)}"


@pytest.mark.slow
def test_stored_subjects_run_with_settings_that_changed_since_are_refused_not_reused(tmp_path, capsys):
    out = tmp_path / "validation"
    argv = ["validate", "--only", "omission_dip", "--subjects", "2", "--out", str(out), "--quiet"]
    assert main(argv) == 0
    [stored] = [p for p in out.glob("subjects/*/rate/healthy-s00/run.json")]
    config = json.loads(stored.read_text())
    reward_prob = config["task"]["reward_prob"]
    config["task"]["reward_prob"] = 0.5  # as if the task's default had changed after this subject ran
    stored.write_text(json.dumps(config))
    capsys.readouterr()
    assert main(argv) == 2
    assert "other task settings" in capsys.readouterr().err
    stored.write_text(json.dumps({**config, "task": {**config["task"], "reward_prob": reward_prob}}))
    assert main([*argv, "--batch", "1"]) == 2  # these subjects were batched: their streams are not Brian2's
    assert "drew its random numbers from 'subject' streams" in capsys.readouterr().err
