"""The Python front door: typed arguments, graphs as circuits, equations, figures that take ax=."""

import os
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dopasim  # noqa: E402
from dopasim.analysis.plots import dopamine_transfer, draw_circuit  # noqa: E402


def test_import_dopasim_and_dopasim_list_do_not_import_brian2():
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    for argv in ([sys.executable, "-c", "import dopasim"], [sys.executable, "-m", "dopasim.cli", "list"],
                 [sys.executable, "-m", "dopasim.cli", "--help"]):
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
        assert proc.returncode == 0, proc.stderr[-2000:]
        imported = [line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines() if "|" in line]
        assert "dopasim" in imported and not any(m.split(".")[0] == "brian2" for m in imported), argv


def test_a_preset_refuses_a_keyword_it_does_not_take_naming_the_valid_ones():
    with pytest.raises(dopasim.ConfigError, match=r"takes no actionz; it takes: stimuli, actions"):
        dopasim.make_circuit("actor_critic", actionz=3)
    assert dopasim.make_circuit("actor_critic", stimuli=3, actions=3).channels("thalamus") == 3


def test_graph_equations_are_the_brian2_equations_a_region_runs():
    graph = dopasim.make_circuit("critic")
    rate = graph.equations("vta", "rate")
    assert "drate/dt = (clip(drive, 0*Hz, max_rate) - rate) / tau : Hz" in rate
    assert "drive = 5.0*Hz + I_value_fast - I_value_slow + I_reward_drive : Hz" in rate
    assert "dv/dt" in graph.equations("vta", "spiking") and "xi" in graph.equations("vta", "spiking")
    assert "cs" in graph.equations("cortex", "rate")  # an input region: its rate follows the task's signal
    with pytest.raises(dopasim.ConfigError, match="not one of rate, spiking"):
        graph.equations("vta", "fast")


def test_distributional_dopamine_cells_scale_their_net_input_by_their_asymmetry():
    equations = dopasim.make_circuit("distributional").equations("vta", "rate")
    assert "net_input * (gain_positive * int(net_input > 0*Hz)" in equations


@pytest.mark.slow
def test_run_takes_a_graph_and_typed_values_and_checks_the_graph_against_the_task(tmp_path):
    graph = dopasim.make_circuit("critic")
    graph.set("vta.size", 50)
    res = dopasim.run("pavlovian", circuit=graph, mode="rate", trials=4, seed=2, progress=False,
                      params={"task.reward_prob": 1.0, "circuit.ventral_striatum.size": 40},
                      lesions={"vta": 0.2})
    assert res.recording.sizes["vta"] == 40  # 50 cells, a fifth lost
    assert res.recording.sizes["ventral_striatum"] == 40
    assert graph.region("vta")["params"]["size"] == 50  # the caller's graph is left as it was
    frame = res.to_dataframe()
    assert list(frame.columns) == list(res.trials) and len(frame) == 4
    with pytest.raises(dopasim.ConfigError, match="needs a circuit with the regions"):
        dopasim.run("pavlovian", circuit=dopasim.make_circuit("selection"), trials=2, progress=False)
    with pytest.raises(dopasim.ConfigError, match="task.reward_prob=2.0 is out of range"):
        dopasim.run("pavlovian", params={"task.reward_prob": 2.0}, trials=2, progress=False)


@pytest.mark.slow
def test_figure_functions_draw_into_the_callers_axes_and_return_the_figure(trained):
    res = trained("rate")
    fig, axes = plt.subplots(1, 3, figsize=(12, 3))
    assert dopamine_transfer(res, ax=axes[:2]) is fig
    assert draw_circuit(res.graph, ax=axes[2]) is fig
    assert axes[0].get_ylabel() == "trial" and axes[2].get_title().startswith("circuit 'critic'")
    made = dopamine_transfer(res)
    assert made is not fig and len(made.axes) == 3  # two panels and a colour bar
    with pytest.raises(ValueError, match="draws 2 panels"):
        dopamine_transfer(res, ax=axes[0])
    plt.close("all")


def test_dopasim_list_regions_and_rules_print_every_parameter(capsys):
    from dopasim.cli import main

    assert main(["list", "rules"]) == 0
    out = capsys.readouterr().out
    for name, rule in dopasim.RULES.items():
        assert f"{name} (" in out
        assert all(f"circuit.PROJECTION.{p}" in out for p in rule.params)
    assert main(["list", "regions"]) == 0
    out = capsys.readouterr().out
    assert all(f"{name} (" in out for name in dopasim.REGIONS)
    assert "circuit.REGION.asymmetry_spread" in out


def test_registering_refuses_a_taken_name_and_a_malformed_type():
    with pytest.raises(dopasim.ConfigError, match="already registered"):
        dopasim.register_region(dopasim.REGIONS["vta"])
    with pytest.raises(dopasim.ConfigError, match="register_region takes a RegionType"):
        dopasim.register_region({"name": "x"})
    with pytest.raises(dopasim.ConfigError, match="already registered"):
        dopasim.register_rule(dopasim.RULES["three_factor"], lambda projection: None)


@pytest.mark.slow
def test_simulate_runs_a_circuit_without_a_task():
    salience = np.tile([0.6, 0.3, 0.1], (300, 1))
    rec = dopasim.simulate(dopasim.make_circuit("selection"), "rate", {"salience": salience}, 0.3, progress=False)
    _, thalamus = rec.channel_rates("thalamus")
    assert thalamus[:, -5:].mean(axis=1).argmax() == 0  # the most salient channel is released


@pytest.mark.parametrize("module", ["dopasim.circuits.presets", "dopasim.tasks.base", "dopasim.circuits.graph",
                                    "dopasim.circuits.regions", "dopasim.models.td", "dopasim.analysis.plots.circuit"])
def test_the_examples_in_the_docstrings_hold(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result
