"""NWB export (`--nwb`): a spiking and a rate run each pass nwbinspector without a critical or error-level
issue and read back with pynwb: spikes, rates, dopamine, the trial table and the circuit."""

import csv
import json

import numpy as np
import pytest

from dopasim.cli import main

pynwb = pytest.importorskip("pynwb")
nwbinspector = pytest.importorskip("nwbinspector")


def nwb_run(tmp_path, mode: str, *extra: str):
    out = tmp_path / mode
    assert main(["run", "pavlovian", "--mode", mode, "--trials", "3", "--seed", "2", "--quiet", "--nwb",
                 "--out", str(out), *extra]) == 0
    problems = [m for m in nwbinspector.inspect_nwbfile(nwbfile_path=str(out / "run.nwb"))
                if m.importance.name in ("CRITICAL", "ERROR", "PYNWB_VALIDATION")]
    assert problems == [], [f"{m.importance.name}: {m.message}" for m in problems]
    with open(out / "trials.csv") as f:
        return out, list(csv.DictReader(f))


@pytest.mark.slow
def test_a_spiking_run_reads_back_spike_for_spike(tmp_path):
    out, rows = nwb_run(tmp_path, "spiking")
    run = json.loads((out / "run.json").read_text())
    with pynwb.NWBHDF5IO(str(out / "run.nwb"), "r") as io:
        nwb = io.read()
        units = nwb.units.to_dataframe()
        sizes = {r: p["size"] for r, p in run["circuit"]["regions"].items() if "size" in p}
        assert units.groupby("region").size()["vta"] == sizes["vta"]
        vta_spikes = np.concatenate(units[units.region == "vta"].spike_times.to_list())
        assert len(vta_spikes) > 0 and vta_spikes.max() < 3 * 2.5  # three 2.5 s trials
        assert set(units.kind) >= {"dopamine", "striatum", "input"}
        trials = nwb.trials.to_dataframe()
        assert len(trials) == len(rows) == 3
        assert np.allclose(trials["da_us"], [float(r["da_us"]) for r in rows])
        assert nwb.acquisition["dopamine"].unit == "Hz" and len(nwb.acquisition["dopamine"].data[:]) > 0
        assert json.loads(nwb.notes)["seed"] == 2


@pytest.mark.slow
def test_a_rate_run_keeps_its_rates_and_its_lesions(tmp_path):
    out, rows = nwb_run(tmp_path, "rate", "--lesion", "vta=0.25")
    with pynwb.NWBHDF5IO(str(out / "run.nwb"), "r") as io:
        nwb = io.read()
        assert nwb.units is None  # rate mode has no spikes
        vta = nwb.processing["rates"]["vta"]
        assert vta.unit == "Hz" and vta.data[:].shape[0] == int(round(3 * 2.5 / 0.01))
        config = json.loads(nwb.notes)
        assert {"transform": "kill_cells", "region": "vta", "fraction": 0.25} in config["circuit"]["lesions"]
        assert "kill_cells vta" in nwb.experiment_description
        assert len(nwb.trials) == 3
        final = nwb.processing["plasticity"]["corticostriatal_final"].to_dataframe()
        assert len(final) > 0 and final.weight.between(0, config["circuit"]["projections"]["corticostriatal"]["w_max"]).all()
        sampled = nwb.processing["plasticity"]["corticostriatal_weights"]
        assert sampled.data[:].shape[0] == len(sampled.timestamps[:]) > 0
