"""Lesion transforms and disease presets: what each does to the circuit graph."""

import pytest

from dopasim.circuits import make_circuit
from dopasim.circuits.diseases import DISEASES, apply_disease
from dopasim.circuits.lesions import (apply, clamp, cut_projection, dopamine_gain, dopamine_noise, drug_action,
                                      kill_cells, remove_region, scale_projection, tonic_dopamine)
from dopasim.cli import main
from dopasim.experiment import configure
from dopasim.params import ConfigError


@pytest.fixture(scope="module")
def healthy():
    return make_circuit("actor_critic")


def weight(graph, projection):
    return graph.projection(projection)["params"]["weight"]


def test_cell_loss_shrinks_the_region_and_what_it_sends_and_leaves_the_healthy_graph_alone(healthy):
    before = healthy.to_dict()
    sick = kill_cells(healthy, "snc", 0.8)
    assert sick.region("snc")["params"]["size"] == 20
    for projection in ("nigrostriatal_d1", "nigrostriatal_d2"):
        assert weight(sick, projection) == pytest.approx(0.2 * weight(healthy, projection))
    assert weight(sick, "value_fast_snc") == weight(healthy, "value_fast_snc")  # what it receives is intact
    assert sick.lesions == [{"transform": "kill_cells", "region": "snc", "fraction": 0.8}]
    assert healthy.to_dict() == before and healthy.lesions == []


def test_cell_loss_keeps_action_channels_equal_and_total_loss_removes_the_region(healthy):
    sick = kill_cells(healthy, "striatum_d2", 0.5)
    assert sick.region("striatum_d2")["params"]["size"] == healthy.region("striatum_d2")["params"]["size"] // 2
    sick.validate()
    assert "stn" not in kill_cells(healthy, "stn", 1.0).regions()
    with pytest.raises(ConfigError, match="fraction=1.5 must be from 0.0 to 1.0"):
        kill_cells(healthy, "snc", 1.5)


def test_projection_is_scaled_or_cut(healthy):
    assert weight(scale_projection(healthy, "hyperdirect", 2.0), "hyperdirect") == 2 * weight(healthy, "hyperdirect")
    assert "hyperdirect" not in cut_projection(healthy, "hyperdirect").projection_names()
    with pytest.raises(ConfigError, match="did you mean 'hyperdirect'"):
        scale_projection(healthy, "hyperdirekt", 2.0)


def test_dopamine_transforms_reach_every_dopamine_projection_of_a_region(healthy):
    drugged = tonic_dopamine(healthy, "snc", 1.5)
    assert [drugged.projection(p)["params"]["tonic_hz"] for p in ("nigrostriatal_d1", "nigrostriatal_d2")] == [1.5, 1.5]
    assert drugged.projection("mesolimbic")["params"]["tonic_hz"] == 0.0  # the VTA's is untouched
    twice = dopamine_gain(dopamine_gain(healthy, "nigrostriatal_d2", burst=0.5, dip=2.0), "snc", burst=0.5)
    assert twice.projection("nigrostriatal_d2")["params"]["burst_gain"] == 0.25
    assert twice.projection("nigrostriatal_d2")["params"]["dip_gain"] == 2.0
    assert twice.projection("nigrostriatal_d1")["params"]["burst_gain"] == 0.5
    assert drug_action(healthy, "vta", 2.0).projection("mesolimbic")["params"]["drug_hz"] == 2.0
    with pytest.raises(ConfigError, match="'hyperdirect' is excitatory, not a dopamine projection"):
        tonic_dopamine(healthy, "hyperdirect", 1.0)
    with pytest.raises(ConfigError, match="region 'stn' sends no dopamine projection"):
        dopamine_gain(healthy, "stn", burst=0.5)


def test_dopamine_noise_adds_in_variance_and_only_to_dopamine_cells(healthy):
    noisy = dopamine_noise(dopamine_noise(healthy, "vta", 3.0), "vta", 4.0)
    assert noisy.region("vta")["params"]["noise_hz"] == pytest.approx(5.0)
    with pytest.raises(ConfigError, match="'gpe' is a pallidum region"):
        dopamine_noise(healthy, "gpe", 3.0)


def test_clamp_sets_a_window_and_refuses_a_window_that_ends_before_it_starts(healthy):
    lit = clamp(healthy, "vta", 30.0, start_s=1.0, stop_s=1.2, period_s=2.5)
    params = lit.region("vta")["params"]
    assert (params["clamp_hz"], params["clamp_start_s"], params["clamp_stop_s"], params["clamp_period_s"]) == \
        (30.0, 1.0, 1.2, 2.5)
    with pytest.raises(ConfigError, match="stop_s=1.0 must come after start_s=1.2"):
        clamp(healthy, "vta", 30.0, start_s=1.2, stop_s=1.0)
    with pytest.raises(ConfigError, match="input region"):
        clamp(healthy, "cue", 30.0, start_s=0.0, stop_s=1.0)


def test_removed_region_is_recorded(healthy):
    assert remove_region(healthy, "stn").lesions == [{"transform": "remove_region", "region": "stn"}]


def test_transforms_compose_from_records_and_a_bad_record_names_the_valid_ones(healthy):
    records = [{"transform": "kill_cells", "region": "snc", "fraction": 0.5},
               {"transform": "kill_cells", "region": "snc", "fraction": 0.5}]
    assert apply(healthy, records).region("snc")["params"]["size"] == 25
    with pytest.raises(ConfigError, match="unknown lesion transform 'kill_cell'.*did you mean 'kill_cells'"):
        apply(healthy, [{"transform": "kill_cell", "region": "snc", "fraction": 0.5}])
    with pytest.raises(ConfigError, match="unknown argument of kill_cells: 'frac'"):
        apply(healthy, [{"transform": "kill_cells", "region": "snc", "frac": 0.5}])


def test_medicated_parkinsons_is_parkinsons_plus_a_drug(healthy):
    pd = apply_disease(healthy, "parkinsons")
    medicated = apply_disease(healthy, "parkinsons_medicated")
    assert [d for d in DISEASES["parkinsons"].lesions] == \
        [{k: v for k, v in rec.items() if k != "disease"} for rec in pd.lesions]
    assert medicated.lesions[: len(pd.lesions)] == [{**r, "disease": "parkinsons_medicated"} for r in pd.lesions]
    assert medicated.projection("nigrostriatal_d2")["params"]["tonic_hz"] > 0
    assert pd.projection("nigrostriatal_d2")["params"]["tonic_hz"] == 0


def test_a_disease_acts_on_the_regions_a_circuit_has():
    critic = apply_disease(make_circuit("critic"), "schizophrenia")
    assert {r["region" if "region" in r else "source"] for r in critic.lesions} == {"vta"}
    with pytest.raises(ConfigError, match="disease 'parkinsons' acts on snc, none of which circuit 'critic' has"):
        apply_disease(make_circuit("critic"), "parkinsons")
    with pytest.raises(ConfigError, match="no PFC, so no goal-directed control to change .use --circuit model_based"):
        apply_disease(make_circuit("actor_critic"), "ocd")
    with pytest.raises(ConfigError, match="unknown disease 'parkinson'.*did you mean 'parkinsons'"):
        apply_disease(make_circuit("actor_critic"), "parkinson")


def test_every_available_disease_applies_to_the_choice_circuit(healthy):
    for name, disease in DISEASES.items():
        needs_pfc = any(lesion["transform"] == "goal_directed" for lesion in disease.lesions)
        if not disease.unavailable and not needs_pfc:  # ocd: see tests/test_pfc.py
            assert apply_disease(healthy, name).validate().lesions


def test_run_configuration_records_disease_lesions_and_settings_in_order():
    _, graph, _, _ = configure("bandit", None, {"circuit.snc.size": "40"}, "parkinsons",
                               [{"transform": "kill_cells", "region": "stn", "fraction": 0.5}])
    recorded = graph.to_dict()["lesions"]
    assert [r["transform"] for r in recorded] == ["kill_cells", "kill_cells"]
    assert recorded[0]["disease"] == "parkinsons" and "disease" not in recorded[1]
    assert graph.region("snc")["params"]["size"] == 40  # --set comes last


@pytest.mark.parametrize("argv, message", [
    (["--lesion", "snc=1.5"], "--lesion 'snc=1.5' is not REGION=FRACTION"),
    (["--lesion", "snx=0.5"], "unknown region 'snx'"),
    (["--disease", "ocd"], "has no PFC"),
    (["--disease", "parkinson"], "did you mean 'parkinsons'"),
    (["--disease", "addiction"], "this task delivers no drug"),
])
def test_bad_lesion_or_disease_on_the_command_line_exits_2_with_one_line(argv, message, capsys, tmp_path):
    try:
        code = main(["run", "bandit", "--out", str(tmp_path / "r"), *argv])
    except SystemExit as parsed:  # argparse's own checks
        code = parsed.code
    assert code == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "r").exists()


def go_nogo_weight_changes(release_by_pair: dict[str, dict]) -> dict[str, float]:
    """Unpredicted rewards (bursts) on the critic plus D1/D2 pairs fed by the VTA with the given release.

    Returns the mean change of each pair's CS synapses: ``{"NAME_d1": dw, "NAME_d2": dw}``.
    """
    import numpy as np

    from dopasim.circuits.compiler import simulate

    task, g, _, _ = configure("pavlovian", "critic")
    for pair, release in release_by_pair.items():
        for receptor in ("d1", "d2"):
            g.add_region(f"{pair}_{receptor}", "striatum", size=20, dopamine_receptor=receptor)
            g.add_projection(f"{pair}_cortex_{receptor}", "cortex", f"{pair}_{receptor}", "excitatory",
                             rule="three_factor", weight=5.0, w_init_spread=0.0, post="rate")
            g.add_projection(f"{pair}_dopamine_{receptor}", "vta", f"{pair}_{receptor}", "dopamine", tau_ms=20.0,
                             **release)
    trials = task.trials(6, np.random.default_rng(4))
    rec = simulate(g, "rate", task.signals(trials), 6 * task.duration, seed=4, progress=False)
    out = {}
    for pair in release_by_pair:
        for receptor in ("d1", "d2"):
            i, _, w = rec.final_weights[f"{pair}_cortex_{receptor}"]
            out[f"{pair}_{receptor}"] = w[i < 10].mean() - 5.0  # elements 0-9 carry the CS
    return out


@pytest.mark.slow
def test_dopamine_loss_spares_d2_learning_and_a_drug_that_raises_tonic_dopamine_masks_it():
    # Frank (2005): with little dopamine left, the high-affinity D2 receptors still register what is released,
    # the D1 receptors a fraction; with the level raised by L-DOPA, the D2 receptors are full and register little
    dw = go_nogo_weight_changes({"normal": {}, "depleted": {"weight": 0.2},
                                 "medicated": {"weight": 0.2, "tonic_hz": 9.0}})
    assert dw["normal_d1"] > 0.1 and dw["normal_d2"] < -0.1  # bursts: Go up, NoGo down
    assert dw["depleted_d1"] < 0.4 * dw["normal_d1"]
    assert dw["depleted_d2"] < 0.6 * dw["normal_d2"]  # (negative numbers: still most of the normal change)
    assert abs(dw["medicated_d2"]) < 0.5 * abs(dw["depleted_d2"])
