"""Cohort studies: seeds of their own, a tidy table, statistics, and a rerun that reproduces them."""

import numpy as np
import pytest

from dopasim.study import Study, compare, make_groups, run_study, subject_seed


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
