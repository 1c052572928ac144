"""Gurney, Prescott & Redgrave (2001): the basal ganglia select the most salient action
by disinhibiting its thalamic channel, in rate and in spiking mode."""

import functools

import numpy as np
import pytest

from dopasim.circuits import make_circuit
from dopasim.circuits.compiler import simulate
from dopasim.circuits.lesions import cut_projection, remove_region
from dopasim.params import ConfigError

SALIENCE = [0.4, 0.6, 0.3]  # channel 1 is the most salient
ONSET_S, DURATION_S = 0.5, 1.5


@functools.cache
def healthy(mode):
    """The intact circuit's channel rates, simulated once per mode for every test that compares with it."""
    return present(make_circuit("selection"), mode)


def present(graph, mode):
    """Rest, then the three saliences from ONSET_S; mean channel rates at rest and late in the input."""
    salience = np.zeros((int(DURATION_S * 1000), 3))
    salience[int(ONSET_S * 1000):] = SALIENCE
    rec = simulate(graph, mode, {"salience": salience}, DURATION_S, seed=1, progress=False)

    def rates(region):
        t, c = rec.channel_rates(region)
        return c[:, (t > 0.3) & (t < ONSET_S)].mean(axis=1), c[:, t > 1.0].mean(axis=1)

    return rates


@pytest.mark.parametrize("mode", ["rate", "spiking"])
@pytest.mark.slow
def test_most_salient_channel_wins(mode):
    rates = healthy(mode)
    gpi_rest, gpi = rates("gpi")
    thal_rest, thal = rates("thalamus")
    assert np.argmin(gpi) == 1 and np.argmax(thal) == 1
    assert gpi[1] < gpi_rest[1] - 3  # the winner's output pauses below its tonic rate
    assert thal[1] > thal_rest[1] + 4 and thal[1] > 3 * max(thal[0], thal[2])
    assert max(thal[0], thal[2]) < thal_rest.mean()  # the losers are held down harder than at rest


# rate mode: each lesion is a network to compile again (spiking lesions: tests/test_rest.py)
@pytest.mark.parametrize("mode, lesions", [("rate", ("remove_region", "cut_projection"))])
@pytest.mark.slow
def test_removing_the_gpi_input_disinhibits_every_channel(mode, lesions):
    intact = make_circuit("selection")
    rest, _ = healthy(mode)("thalamus")
    transforms = {"remove_region": lambda g: remove_region(g, "gpi"),
                  "cut_projection": lambda g: cut_projection(g, "nigrothalamic")}
    for lesioned in (transforms[name](intact) for name in lesions):
        lesioned_rest, lesioned_salient = present(lesioned, mode)("thalamus")
        assert lesioned_rest.min() > 20 > 2 * rest.max()  # all channels released, with or without input
        assert lesioned_salient.min() > 20
    assert "gpi" in intact.regions()  # transforms return new graphs


def test_channel_to_channel_projections_need_matching_channels():
    g = make_circuit("selection")
    g.set("gpe.channels", "2")
    with pytest.raises(ConfigError, match="'striatum_d2' has 3 channels and 'gpe' has 2"):
        g.validate()
    g = make_circuit("selection")
    g.set("gpe.size", "61")
    with pytest.raises(ConfigError, match="size=61 does not split into channels=3"):
        g.validate()
