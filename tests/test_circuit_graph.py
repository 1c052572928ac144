import pytest

from dopasim.circuits import CircuitGraph, make_circuit
from dopasim.params import ConfigError


def two_regions():
    g = CircuitGraph("t")
    g.add_region("cortex", "cortex")
    g.add_region("ventral_striatum", "striatum")
    g.add_region("vta", "vta")
    return g


def test_preset_is_valid_and_round_trips_as_plain_data():
    g = make_circuit("critic").validate()
    again = CircuitGraph.from_dict(g.to_dict())
    assert again.to_dict() == g.to_dict()
    assert set(g.regions()) == {"cortex", "reward", "ventral_striatum", "vta"}


def test_unknown_region_type_names_the_valid_ones():
    with pytest.raises(ConfigError, match="unknown region type 'striatun'.*did you mean 'striatum'"):
        CircuitGraph().add_region("x", "striatun")


def test_projection_to_a_missing_region_is_refused():
    g = two_regions()
    with pytest.raises(ConfigError, match="'gpi'"):
        g.add_projection("p", "cortex", "gpi", "excitatory")


@pytest.mark.parametrize("param, value", [("size", -5), ("size", 0), ("tau_ms", -1.0), ("tau_ms", 0.0)])
def test_non_positive_size_or_time_constant_is_refused(param, value):
    with pytest.raises(ConfigError, match=f"circuit.vta.{param}"):
        CircuitGraph().add_region("vta", "vta", **{param: value})


def test_negative_synaptic_time_constant_is_refused():
    g = two_regions()
    with pytest.raises(ConfigError, match="tau_ms=-3.0 is out of range"):
        g.add_projection("p", "ventral_striatum", "vta", "excitatory", tau_ms=-3.0)


def test_unknown_rule_and_sign_are_refused():
    g = two_regions()
    with pytest.raises(ConfigError, match="unknown plasticity rule"):
        g.add_projection("p", "cortex", "ventral_striatum", "excitatory", rule="stdp_magic")
    with pytest.raises(ConfigError, match="sign 'glutamatergic' is not one of"):
        g.add_projection("p", "cortex", "ventral_striatum", "glutamatergic")


def test_plastic_projection_needs_dopamine_at_its_target():
    g = two_regions()
    g.add_projection("p", "cortex", "ventral_striatum", "excitatory", rule="three_factor")
    with pytest.raises(ConfigError, match="receives no dopamine"):
        g.validate()
    g.add_projection("da", "vta", "ventral_striatum", "dopamine")
    g.validate()


def test_only_a_dopamine_region_sends_dopamine():
    g = two_regions()
    g.add_projection("da", "ventral_striatum", "vta", "dopamine")
    with pytest.raises(ConfigError, match="only a dopamine region"):
        g.validate()


def test_input_regions_take_no_projections():
    g = two_regions()
    g.add_projection("back", "ventral_striatum", "cortex", "excitatory")
    with pytest.raises(ConfigError, match="input region"):
        g.validate()


def test_set_reaches_regions_and_projections_and_checks_values():
    g = make_circuit("critic")
    g.set("vta.size", "200")
    g.set("corticostriatal.learning_rate", "0.3")
    assert g.region("vta")["params"]["size"] == 200
    assert g.projection("corticostriatal")["params"]["learning_rate"] == 0.3
    with pytest.raises(ConfigError, match="did you mean 'size'"):
        g.set("vta.sise", "3")
    with pytest.raises(ConfigError, match="not a valid int"):
        g.set("vta.size", "many")


def test_names_must_be_identifiers():
    with pytest.raises(ConfigError, match="lower case letters"):
        CircuitGraph().add_region("Bad Name", "vta")
