"""How a session's C++ is built: a directory per project structure, and each code object compiled once."""

import time

import numpy as np
import pytest

from dopasim.circuits import make_circuit
from dopasim.circuits.build import object_store
from dopasim.circuits.compiler import simulate
from dopasim.circuits.lesions import cut_projection


@pytest.mark.slow
def test_a_lesioned_circuit_reuses_the_code_objects_its_healthy_twin_compiled(tmp_path, monkeypatch):
    monkeypatch.setenv("DOPASIM_BUILD_DIR", str(tmp_path))
    salience = np.full((200, 3), 0.5)

    def session(graph):
        rec = simulate(graph, "rate", {"salience": salience}, 0.2, seed=1, progress=False)
        return rec, sorted(object_store().rglob("*.o"))

    intact = make_circuit("selection")
    healthy, compiled = session(intact)
    lesioned, compiled_after = session(cut_projection(intact, "nigrothalamic"))
    directories = sorted(p for p in tmp_path.glob("standalone-rate-selection-*") if p.is_dir())
    assert len(directories) == 2  # the lesion removed an object: a directory of its own
    assert len(compiled) >= 20  # measured 26
    # of the lesioned circuit's 24 code objects only those the lesion changed were compiled (measured: 1, the
    # thalamus's update without the nigrothalamic input); the rest came from the store
    assert 0 < len(compiled_after) - len(compiled) <= 4
    # and the reused objects behave: without the nigrothalamic inhibition the thalamus runs free
    late_thalamus = [rec.population_rate("thalamus")[1][-50:].mean() for rec in (healthy, lesioned)]
    assert late_thalamus[1] > 2 * late_thalamus[0]


@pytest.mark.slow
def test_a_session_reports_where_its_time_went():
    started = time.perf_counter()
    rec = simulate(make_circuit("selection"), "rate", {"salience": np.full((200, 3), 0.5)}, 0.2, seed=1,
                   progress=False)
    wall = time.perf_counter() - started
    assert set(rec.timings) == {"network", "compile", "simulation"}
    assert rec.timings["simulation"] > 0 and rec.timings["network"] > 0
    assert sum(rec.timings.values()) <= wall
