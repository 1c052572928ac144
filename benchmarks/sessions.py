"""Where a session's time goes: the Pavlovian and bandit sessions of issue 6, in rate and spiking mode.

For each session, in a fresh process with the compile cache warm (a first run
warms it): wall time, the three parts of it that the simulator reports
(``network``: building the Brian2 objects and generating code, in Python;
``compile``: writing the C++ project and compiling what changed;
``simulation``: the compiled run itself), simulated seconds per wall second,
and the process's peak memory. Then the closed loop's cost: the same bandit
circuit run for the same time with its task logic taken out (its inputs
read from precomputed, silent signals), whose simulation time, subtracted
from the session's, leaves the task <-> network loop's share per trial (rate
mode: a rate circuit does the same work whatever its inputs; in spiking mode
silent inputs also mean fewer spikes, so the difference is an upper bound).

Prints a table and writes benchmarks/results/sessions.json.

    python benchmarks/sessions.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from machine import save

SESSIONS = [("pavlovian", 200), ("bandit", 300)]
MODES = ("rate", "spiking")


def child(kind: str, task: str, mode: str, trials: int) -> None:
    """In the child process: run one session (``kind`` "session") or its open-loop twin ("open_loop")."""
    import dopasim.experiment as ex

    start = time.perf_counter()
    if kind == "session":
        res = ex.run(task, mode=mode, n_trials=trials, seed=1, progress=False)
        rec = res.recording
    else:
        rec = open_loop(task, mode, trials)
    wall = time.perf_counter() - start
    print(json.dumps({"wall_s": wall, "simulated_s": rec.duration, **{f"{k}_s": v for k, v in rec.timings.items()}}))


def open_loop(task: str, mode: str, trials: int):
    """The task's circuit for as long as ``trials`` trials, every input read from a silent precomputed signal."""
    import numpy as np

    from dopasim.circuits.compiler import simulate
    from dopasim.circuits.regions import REGIONS
    from dopasim.experiment import configure

    the_task, graph, _, _ = configure(task, mode=mode)
    program = the_task.program(the_task.draws(trials, np.random.default_rng(1)), trials)
    duration = trials * program.trial_s
    steps = int(round(duration / 0.001)) + 1
    signals = {}
    for region in graph.regions():
        name, params = REGIONS[graph.region(region)["region"]].signal, graph.region(region)["params"]
        if name and name in program.signals:
            # a column per channel where the task's signal has one, or the region reads one per channel
            indexed = "{index}" in program.signals[name] or "channels" in params
            signals[name] = np.zeros((steps, 64)) if indexed else np.zeros(steps)
    return simulate(graph, mode, signals, 0.001, duration, seed=1, progress=False)


def measured(kind: str, task: str, mode: str, trials: int) -> dict:
    """Run the child, return its report and its peak resident memory (MB)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, task, mode, str(trials)],
                            stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{kind} {task} {mode} failed")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_memory_mb": usage.ru_maxrss / 1024}


def main() -> None:
    rows = []
    for task, trials in SESSIONS:
        for mode in MODES:
            measured("session", task, mode, trials)  # warm the compile cache
            row = {"task": task, "mode": mode, "trials": trials, **measured("session", task, mode, trials)}
            row["simulated_per_wall_s"] = row["simulated_s"] / row["wall_s"]
            rows.append(row)
    loops = []
    for mode in MODES:
        measured("open_loop", "bandit", mode, 300)
        bare = measured("open_loop", "bandit", mode, 300)
        session = next(r for r in rows if r["task"] == "bandit" and r["mode"] == mode)
        loops.append({"mode": mode, "trials": 300, "session_simulation_s": session["simulation_s"],
                      "open_loop_simulation_s": bare["simulation_s"],
                      "loop_ms_per_trial": 1000 * (session["simulation_s"] - bare["simulation_s"]) / 300})
    print(f"{'session':<16} {'mode':<8} {'wall s':>7} {'network':>8} {'compile':>8} {'simulate':>9} "
          f"{'sim s/wall s':>13} {'peak MB':>8}")
    for r in rows:
        print(f"{r['task'] + ' ' + str(r['trials']):<16} {r['mode']:<8} {r['wall_s']:>7.1f} {r['network_s']:>8.1f} "
              f"{r['compile_s']:>8.1f} {r['simulation_s']:>9.1f} {r['simulated_per_wall_s']:>13.1f} "
              f"{r['peak_memory_mb']:>8.0f}")
    print(f"\n{'closed loop, bandit 300':<24} {'session sim s':>14} {'open-loop sim s':>16} {'ms per trial':>13}")
    for r in loops:
        print(f"{r['mode']:<24} {r['session_simulation_s']:>14.2f} {r['open_loop_simulation_s']:>16.2f} "
              f"{r['loop_ms_per_trial']:>13.2f}")
    save("sessions", sessions=rows, closed_loop=loops)

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    else:
        main()
