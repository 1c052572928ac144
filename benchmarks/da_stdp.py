"""A spiking network with dopamine-modulated STDP, in dopasim and in NEST, side by side.

The network is the size of Izhikevich (2007)'s: 800 excitatory and 200
inhibitory neurons; each excitatory cell sends about 100 synapses to random
cells of either kind (p = 0.1), each inhibitory cell about 100 to random
excitatory cells (p = 0.125): about 100k synapses, the 80k excitatory ones
plastic by DA-STDP (pre-before-post pairs add eligibility, post-before-pre
pairs remove it, tau 20 ms; eligibility decays in 1 s; the weight moves by
eligibility x dopamine above its tonic level). 50 dopamine cells fire at
5 Hz and burst at 25 Hz for the first 100 ms of every second.

dopasim builds it from a :class:`CircuitGraph` (``cortical_population``
regions, ``da_stdp`` projections, a ``vta``) and runs it as one C++
standalone simulation. NEST runs the same network as ``iaf_psc_exp``
neurons with the same membrane (tau 20 ms, threshold 20 mV above rest, reset
5 mV below, 2 ms refractory), constant drive and 2 mV membrane noise
(``noise_generator``), exponential currents (tau 5 ms) of the same size per
spike, ``stdp_dopamine_synapse`` with the same window and an amplitude
scaled so that a weight moves as far in pA as dopasim's does, and dopamine
cells as Poisson spike trains of the same rates into a volume transmitter
(``b`` at their tonic level). What differs: in dopasim each cell's dopamine
comes from 10 of the 50 DA cells through synapses, in NEST every plastic
synapse sees all 50 through the volume transmitter; NEST's DA cells are
Poisson trains, dopasim's are neurons. Both record every spike. Same
resolution (0.25 ms), same duration, one thread each.

Each simulator runs in a fresh process, once to warm up (dopasim's compile),
then ``REPEATS`` times alternating; the median simulation time is reported
with the ratio NEST / dopasim. Prints a table, writes
benchmarks/results/da_stdp.json. Without NEST (``pip install
nest-simulator``) it says so and measures dopasim alone.

    python benchmarks/da_stdp.py
"""

from __future__ import annotations

import json
import sys
import tempfile
import time

from machine import in_fresh_process, save

N_EXC, N_INH, N_DA = 800, 200, 50
P_FROM_EXC, P_FROM_INH, P_DOPAMINE = 0.1, 0.125, 0.2
DURATION_S = 10.0
DT_MS = 0.25
TAU_SYN_MS = 5.0
#: tonic drives (Hz of rate equivalent) and weights (Hz of drive per Hz of mean presynaptic rate)
BASELINE_EXC_HZ, BASELINE_INH_HZ = 5.0, 10.0
W_EXC_EXC, W_EXC_INH, W_INH_EXC, W_MAX = 0.5, 1.0, 0.2, 2.0
DA_TONIC_HZ, DA_BURST_HZ, BURST_S = 5.0, 20.0, 0.1
A_PLUS, A_MINUS, TAU_STDP_MS, ELIGIBILITY_MS, LEARNING_RATE = 1.0, 1.5, 20.0, 1000.0, 0.01
REPEATS = 3


def graph():
    from dopasim.circuits.graph import CircuitGraph

    g = CircuitGraph("izhikevich_2007")
    g.add_region("excitatory", "cortical_population", size=N_EXC, baseline_hz=BASELINE_EXC_HZ)
    g.add_region("inhibitory", "cortical_population", size=N_INH, baseline_hz=BASELINE_INH_HZ)
    g.add_region("vta", "vta", size=N_DA, baseline_hz=DA_TONIC_HZ, clamp_hz=DA_BURST_HZ, clamp_start_s=0.0,
                 clamp_stop_s=BURST_S, clamp_period_s=1.0)
    stdp = dict(rule="da_stdp", p=P_FROM_EXC, w_max=W_MAX, learning_rate=LEARNING_RATE, a_plus=A_PLUS,
                a_minus=A_MINUS, tau_plus_ms=TAU_STDP_MS, tau_minus_ms=TAU_STDP_MS, eligibility_ms=ELIGIBILITY_MS,
                tau_ms=TAU_SYN_MS)
    g.add_projection("recurrent", "excitatory", "excitatory", "excitatory", weight=W_EXC_EXC, **stdp)
    g.add_projection("to_interneurons", "excitatory", "inhibitory", "excitatory", weight=W_EXC_INH, **stdp)
    g.add_projection("feedback_inhibition", "inhibitory", "excitatory", "inhibitory", weight=W_INH_EXC,
                     p=P_FROM_INH, tau_ms=TAU_SYN_MS)
    for target in ("excitatory", "inhibitory"):
        g.add_projection(f"dopamine_{target}", "vta", target, "dopamine", p=P_DOPAMINE)
    return g


def dopasim_run(build: str) -> dict:
    import numpy as np

    from dopasim.circuits.compiler import simulate

    start = time.perf_counter()
    rec = simulate(graph(), "spiking", {}, DURATION_S, seed=1, progress=False, build_root=build)
    w = np.concatenate([rec.final_weights[p][2] for p in ("recurrent", "to_interneurons")])
    return {"wall_s": time.perf_counter() - start, **{f"{k}_s": v for k, v in rec.timings.items()},
            "spikes": int(sum(len(i) for i, _ in rec.spikes.values())),
            "exc_rate_hz": len(rec.spikes["excitatory"][0]) / N_EXC / DURATION_S,
            "inh_rate_hz": len(rec.spikes["inhibitory"][0]) / N_INH / DURATION_S,
            "plastic_synapses": int(w.size), "final_weight_of_max": float(np.mean(w) / W_MAX)}


def nest_run(_build: str) -> dict:
    import nest

    from dopasim.models import neurons
    from dopasim.models.plasticity import PLASTICITY_DT_MS

    start = time.perf_counter()
    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.local_num_threads = 1
    nest.resolution = DT_MS
    nest.rng_seed = 1
    c_m, tau_m = 250.0, 20.0  # pF, ms
    mv_per_hz = float(neurons.MV_PER_HZ / (neurons.mV / neurons.Hz))
    v_offset = float(neurons.V_OFFSET / neurons.mV)

    def pa_per_spike(weight, n_in):
        # dopasim: a spike adds weight / (n_in tau_syn) Hz of drive, and drive moves v by MV_PER_HZ per tau_m
        return c_m * mv_per_hz * weight / (n_in * TAU_SYN_MS / 1000) / tau_m

    membrane = dict(C_m=c_m, tau_m=tau_m, E_L=-70.0, V_th=-50.0, V_reset=-65.0, t_ref=2.0,
                    tau_syn_ex=TAU_SYN_MS, tau_syn_in=TAU_SYN_MS, tau_minus=TAU_STDP_MS)
    exc = nest.Create("iaf_psc_exp", N_EXC, params={**membrane, "I_e": c_m * (v_offset + mv_per_hz * BASELINE_EXC_HZ)
                                                    / tau_m})
    inh = nest.Create("iaf_psc_exp", N_INH, params={**membrane, "I_e": c_m * (v_offset + mv_per_hz * BASELINE_INH_HZ)
                                                    / tau_m})
    cells = exc + inh
    cells.V_m = nest.random.uniform(-70.0, -50.0)
    # membrane noise of 2 mV s.d.: a current constant over each step of DT_MS, independent per cell
    noise_mv = float(neurons.NOISE / neurons.mV)
    noise = nest.Create("noise_generator", params={"std": c_m * noise_mv * (2 / (DT_MS * tau_m)) ** 0.5,
                                                   "dt": DT_MS})
    nest.Connect(noise, cells)
    # dopamine cells: Poisson trains at the tonic rate, bursting for BURST_S every second
    times = [t * 1000.0 + dt for t in range(int(DURATION_S)) for dt in (DT_MS, BURST_S * 1000)]
    rates = [DA_TONIC_HZ + DA_BURST_HZ, DA_TONIC_HZ] * int(DURATION_S)
    da_input = nest.Create("inhomogeneous_poisson_generator", params={"rate_times": times, "rate_values": rates})
    da_cells = nest.Create("parrot_neuron", N_DA)
    nest.Connect(da_input, da_cells)
    # NEST updates every dopamine synapse at each delivery (the weight change is exact in spike time either way):
    # once per PLASTICITY_DT_MS, as dopasim updates its weights, not at every step (default; ~150x slower)
    transmitter = nest.Create("volume_transmitter",
                              params={"deliver_interval": round(PLASTICITY_DT_MS / DT_MS)})
    nest.Connect(da_cells, transmitter)
    # the same weight change as dopasim's: dopasim moves w by learning_rate c (DA - tonic) dt with DA in Hz of
    # mean DA-cell rate; NEST moves it by c (n - b) dt with n the summed DA spikes per ms (each 1/tau_n, decaying)
    n_in = P_FROM_EXC * N_EXC
    scale = pa_per_spike(1.0, n_in) * LEARNING_RATE / N_DA
    nest.CopyModel("stdp_dopamine_synapse", "da_stdp",
                   {"volume_transmitter": transmitter, "A_plus": A_PLUS * scale, "A_minus": A_MINUS * scale,
                    "tau_plus": TAU_STDP_MS, "tau_c": ELIGIBILITY_MS, "tau_n": 200.0,
                    "b": N_DA * DA_TONIC_HZ / 1000, "Wmin": 0.0, "Wmax": pa_per_spike(W_MAX, n_in),
                    "delay": DT_MS})
    for target, weight in ((exc, W_EXC_EXC), (inh, W_EXC_INH)):
        nest.Connect(exc, target, {"rule": "pairwise_bernoulli", "p": P_FROM_EXC},
                     {"synapse_model": "da_stdp",
                      "weight": nest.random.uniform(0.0, 2 * pa_per_spike(weight, n_in))})
    nest.Connect(inh, exc, {"rule": "pairwise_bernoulli", "p": P_FROM_INH},
                 {"weight": -pa_per_spike(W_INH_EXC, P_FROM_INH * N_INH), "delay": DT_MS})
    recorder = nest.Create("spike_recorder")
    nest.Connect(cells, recorder)
    built = time.perf_counter()
    nest.Simulate(DURATION_S * 1000)
    done = time.perf_counter()
    senders = recorder.get("events")["senders"]
    plastic = nest.GetConnections(exc, synapse_model="da_stdp")
    w = plastic.get("weight")
    return {"wall_s": done - start, "network_s": built - start, "compile_s": 0.0, "simulation_s": done - built,
            "spikes": int(len(senders)),
            "exc_rate_hz": float((senders <= exc[-1].global_id).sum()) / N_EXC / DURATION_S,
            "inh_rate_hz": float((senders > exc[-1].global_id).sum()) / N_INH / DURATION_S,
            "plastic_synapses": len(w), "final_weight_of_max": sum(w) / len(w) / pa_per_spike(W_MAX, n_in)}


def main() -> None:
    try:
        import nest  # noqa: F401
        runs = {"dopasim": [], "nest": []}
    except ImportError:
        print("NEST is not installed (pip install nest-simulator): measuring dopasim alone, no ratio")
        runs = {"dopasim": []}
    with tempfile.TemporaryDirectory() as tmp:
        for which in runs:
            in_fresh_process(__file__, which, f"{tmp}/{which}")  # dopasim compiles once
        for _ in range(REPEATS):
            for which in runs:
                runs[which].append(in_fresh_process(__file__, which, f"{tmp}/{which}"))
    rows = {which: sorted(rs, key=lambda r: r["simulation_s"])[len(rs) // 2] for which, rs in runs.items()}
    print(f"DA-STDP network, {N_EXC + N_INH} neurons, {DURATION_S:.0f} s simulated, dt {DT_MS} ms, one thread")
    print(f"{'':<9} {'wall s':>7} {'network':>8} {'compile':>8} {'simulate':>9} {'spikes':>8} {'exc Hz':>7} "
          f"{'inh Hz':>7} {'plastic':>8} {'w/w_max':>8}")
    for which, r in rows.items():
        print(f"{which:<9} {r['wall_s']:>7.2f} {r['network_s']:>8.2f} {r['compile_s']:>8.2f} "
              f"{r['simulation_s']:>9.2f} {r['spikes']:>8} {r['exc_rate_hz']:>7.2f} {r['inh_rate_hz']:>7.2f} "
              f"{r['plastic_synapses']:>8} {r['final_weight_of_max']:>8.3f}")
    ratio = None
    if "nest" in rows:
        ratio = {k: rows["nest"][k] / rows["dopasim"][k] for k in ("simulation_s", "wall_s")}
        print(f"NEST / dopasim: simulation {ratio['simulation_s']:.2f}x, wall {ratio['wall_s']:.2f}x")
    save("da_stdp", duration_s=DURATION_S, dt_ms=DT_MS, median_runs=rows, nest_over_dopasim=ratio, all_runs=runs)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        run = dopasim_run if sys.argv[2] == "dopasim" else nest_run
        print(json.dumps(run(sys.argv[3])))
    else:
        main()
