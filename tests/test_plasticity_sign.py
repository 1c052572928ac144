"""Three-factor rule: eligibility x dopamine deviation, checked on the critic's own synapses."""

import numpy as np
import pytest

from dopasim.experiment import run


def element_weights(res):
    i, _, w = res.recording.final_weights["corticostriatal"]
    cortex = res.graph.region("cortex")["params"]
    per = 1 if res.mode == "rate" else cortex["cells_per_element"]
    return np.array([w[i // per == k].mean() for k in range(cortex["n_elements"])])


@pytest.mark.parametrize("mode", ["rate", "spiking"])
@pytest.mark.slow
def test_positive_rpe_strengthens_the_active_corticostriatal_synapses(mode):
    res = run("pavlovian", mode=mode, trials=8, seed=4, progress=False)
    w = element_weights(res)
    start = res.graph.projection("corticostriatal")["params"]["weight"]
    active, silent = w[:10], w[10:]  # the CS covers elements 0-9 (1 s of 100 ms elements)
    assert active[-3:].mean() > start + 0.5  # reward bursts potentiate inputs active just before
    assert abs(silent.mean() - start) < 0.15  # no eligibility, no change


@pytest.mark.parametrize("mode", ["rate", "spiking"])
@pytest.mark.slow
def test_negative_rpe_weakens_them(mode):
    # start with a strong prediction and never reward: the dips at the expected US depress
    res = run("pavlovian", mode=mode, trials=8, seed=4, progress=False,
              params={"task.reward_prob": "0", "circuit.corticostriatal.weight": "20",
                    "circuit.corticostriatal.w_init_spread": "0"})
    w = element_weights(res)
    assert w[7:10].mean() < 20 - 0.5
    assert abs(w[10:].mean() - 20) < 0.15


@pytest.mark.slow
def test_weights_stay_within_their_bounds():
    res = run("pavlovian", mode="rate", trials=5, seed=2, progress=False,
              params={"circuit.corticostriatal.w_max": "1.0", "circuit.corticostriatal.learning_rate": "5"})
    _, _, w = res.recording.final_weights["corticostriatal"]
    assert w.min() >= 0.0 and w.max() <= 1.0
    assert w.max() == pytest.approx(1.0)  # the bound was reached, so it was tested


def with_go_and_nogo(sets):
    """The critic plus D1 and D2 cells that receive the same cortex and dopamine (Frank 2005)."""
    from dopasim.circuits import make_circuit
    from dopasim.circuits.compiler import simulate
    from dopasim.experiment import configure

    task, _, _, _ = configure("pavlovian", "critic", sets)
    g = make_circuit("critic")
    for key, value in sets.items():
        if key.startswith("circuit."):
            g.set(key[len("circuit."):], value)
    for receptor in ("d1", "d2"):
        g.add_region(f"striatum_{receptor}", "striatum", size=40, dopamine_receptor=receptor)
        g.add_projection(f"cortex_{receptor}", "cortex", f"striatum_{receptor}", "excitatory",
                         rule="three_factor", weight=5.0, w_init_spread=0.0, post="rate")
        g.add_projection(f"dopamine_{receptor}", "vta", f"striatum_{receptor}", "dopamine", tau_ms=20.0)
    trials = task.trials(8, np.random.default_rng(4))
    return simulate(g, "rate", task.signals(trials), 8 * task.duration, seed=4, progress=False)


def cs_weights(rec, projection):
    i, _, w = rec.final_weights[projection]
    return w[i < 10].mean()  # elements 0-9 carry the CS


@pytest.mark.slow
def test_bursts_potentiate_d1_and_depress_d2_synapses():
    rec = with_go_and_nogo({})  # unpredicted rewards: bursts
    assert cs_weights(rec, "cortex_d1") > 5.0 + 0.1
    assert cs_weights(rec, "cortex_d2") < 5.0 - 0.1


@pytest.mark.slow
def test_dips_depress_d1_and_potentiate_d2_synapses():
    # a strong prediction, never rewarded: dips at the expected US
    rec = with_go_and_nogo({"task.reward_prob": "0", "circuit.corticostriatal.weight": "20",
                            "circuit.corticostriatal.w_init_spread": "0"})
    assert cs_weights(rec, "cortex_d1") < 5.0 - 0.1
    assert cs_weights(rec, "cortex_d2") > 5.0 + 0.1


def test_the_tag_cascade_has_as_many_stages_as_asked():
    from dopasim.models.plasticity import three_factor_equations

    for mode in ("rate", "spiking"):
        two, _, _ = three_factor_equations(mode, "none")
        four, _, _ = three_factor_equations(mode, "none", stages=4)
        assert "tag2" in two and "tag3" not in two and "delig/dt = (tag2 - elig)" in two
        assert "dtag4/dt = (tag3 - tag4)" in four and "delig/dt = (tag4 - elig)" in four
