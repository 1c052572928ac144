"""What the graph layer costs: the spiking selection circuit from dopasim's graph against the same network
written by hand in Brian2.

The network: the basal ganglia selection circuit of Gurney, Prescott &
Redgrave (2001) as dopasim builds it (`selection`, 3 channels), scaled to
``CELLS`` cells per channel (7 populations, the salience input Poisson), in
spiking mode for ``DURATION_S`` simulated seconds with fixed saliences. The
hand-written version is what a Brian2 user would write for it: the same
neuron equations (dopasim's calibrated LIF, taken from
:mod:`dopasim.models.neurons`), one decaying current per projection, the same
sizes, connections, weights and time step, a ``PoissonGroup`` for the
input, a ``SpikeMonitor`` per population, one C++ standalone run. Each runs
in a fresh process with a build directory of its own: once to compile, then
``REPEATS`` times each, alternating, with the compiled code in place (the
median is reported: one run's simulation time varies by about 10%).

Prints a table with the ratio dopasim / hand-written and writes
benchmarks/results/graph_layer.json.

    python benchmarks/graph_layer.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

from machine import in_fresh_process, save

CELLS = 200
DURATION_S = 20.0
SALIENCE = (0.3, 0.6, 0.4)
DT_MS = 0.25
REPEATS = 3


def dopasim_run(build: str) -> dict:
    import numpy as np

    from dopasim.circuits import make_circuit
    from dopasim.circuits.compiler import simulate

    start = time.perf_counter()
    signal = np.tile(SALIENCE, (int(DURATION_S * 1000) + 1, 1))
    rec = simulate(make_circuit("selection", channels=3, cells_per_channel=CELLS), "spiking",
                   {"salience": signal}, DURATION_S, seed=1, progress=False, build_root=build)
    spikes = sum(len(i) for i, _ in rec.spikes.values())
    return {"wall_s": time.perf_counter() - start, **{f"{k}_s": v for k, v in rec.timings.items()},
            "spikes": spikes}


def hand_run(build: str) -> dict:
    """The same network, written directly in Brian2."""
    import brian2 as b2

    from dopasim.circuits import make_circuit
    from dopasim.models import neurons

    graph = make_circuit("selection", channels=3, cells_per_channel=CELLS)  # read for its numbers only
    start = time.perf_counter()
    b2.set_device("cpp_standalone", directory=build, build_on_run=False)
    b2.defaultclock.dt = DT_MS * b2.ms
    b2.seed(1)
    n = 3 * CELLS
    salience = b2.TimedArray([list(SALIENCE)], dt=DURATION_S * b2.second)
    groups = {"salience": b2.PoissonGroup(n, rates=f"100*Hz * salience(t, i // {CELLS})",
                                          namespace={"salience": salience}, name="salience")}
    for region in graph.regions():
        if region == "salience":
            continue
        p = graph.region(region)["params"]
        incoming = graph.incoming(region)
        currents = "".join(f"dI_{name}/dt = -I_{name} / tau_syn : Hz\n" for name, _, _ in incoming)
        drive = " ".join(("+" if a["sign"] == "excitatory" else "-") + f" I_{name}" for name, _, a in incoming)
        eqs = neurons.LIF + f"drive = {p['baseline_hz']}*Hz {drive} : Hz\n" + currents
        groups[region] = b2.NeuronGroup(n, eqs, threshold=neurons.LIF_THRESHOLD, reset=neurons.LIF_RESET,
                                        refractory=neurons.REFRACTORY, method="euler", name=region,
                                        namespace={**neurons.LIF_NAMESPACE, "tau": p["tau_ms"] * b2.ms,
                                                   "tau_syn": 5 * b2.ms})
        groups[region].v = "V_REST + rand() * (V_THRESHOLD - V_REST)"
    synapses = []
    for name, source, target, attrs in graph.projections():
        p = attrs["params"]
        syn = b2.Synapses(groups[source], groups[target], on_pre=f"I_{name}_post += weight / (N_incoming * tau_syn)",
                          namespace={"weight": p["weight"], "tau_syn": p["tau_ms"] * b2.ms}, name=name)
        syn.connect(condition=f"i // {CELLS} == j // {CELLS}" if p["topology"] == "channel" else None)
        synapses.append(syn)
    monitors = [b2.SpikeMonitor(g, name=f"spikes_{r}") for r, g in groups.items() if r != "salience"]
    net = b2.Network(*groups.values(), *synapses, *monitors)
    net.run(DURATION_S * b2.second)
    built = time.perf_counter()
    device = b2.get_device()
    device.build(directory=build, compile=True, run=True)
    done = time.perf_counter()
    spikes = sum(m.num_spikes for m in monitors)
    return {"wall_s": done - start, "network_s": built - start,
            "compile_s": done - built - device._last_run_time, "simulation_s": device._last_run_time,
            "spikes": int(spikes)}


def main() -> None:
    runs = {"dopasim": [], "hand": []}
    with tempfile.TemporaryDirectory() as tmp:
        for which in runs:
            in_fresh_process(__file__, which, f"{tmp}/{which}")  # compile once
        for _ in range(REPEATS):
            for which in runs:
                runs[which].append(in_fresh_process(__file__, which, f"{tmp}/{which}"))
    rows = {which: sorted(rs, key=lambda r: r["simulation_s"])[len(rs) // 2] for which, rs in runs.items()}
    ratio = {k: rows["dopasim"][k] / rows["hand"][k] for k in ("simulation_s", "wall_s")}
    print(f"spiking selection circuit, {7 * 3 * CELLS} neurons, {DURATION_S:.0f} s simulated, dt {DT_MS} ms")
    print(f"{'':<14} {'wall s':>7} {'network':>8} {'compile':>8} {'simulate':>9} {'spikes':>9}")
    for which, r in rows.items():
        print(f"{which:<14} {r['wall_s']:>7.2f} {r['network_s']:>8.2f} {r['compile_s']:>8.2f} "
              f"{r['simulation_s']:>9.2f} {r['spikes']:>9}")
    print(f"dopasim / hand-written: simulation {ratio['simulation_s']:.2f}, wall {ratio['wall_s']:.2f}")
    save("graph_layer", cells_per_channel=CELLS, duration_s=DURATION_S, median_runs=rows, ratio=ratio,
         all_runs=runs)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run = dopasim_run if sys.argv[2] == "dopasim" else hand_run
        print(json.dumps(run(sys.argv[3])))
    else:
        main()
