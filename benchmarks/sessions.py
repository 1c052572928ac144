"""Where a session's time goes: the Pavlovian and bandit sessions, in rate and spiking mode.

For each session, in a fresh process with the compile cache warm (a first run
warms it): wall time, the three parts of it that the simulator reports
(``network``: building the Brian2 objects and generating code, in Python;
``compile``: writing the C++ project and compiling what changed;
``simulation``: the compiled run itself), simulated seconds per wall second,
and the process's peak memory. Then the closed loop's cost: the same bandit
circuit run for the same time with its task logic taken out, replaying the
inputs the session gave it (see :func:`open_loop`), whose simulation time,
subtracted from the session's, leaves the task <-> network loop's share per
trial.

Prints a table and writes benchmarks/results/sessions.json.

    python benchmarks/sessions.py              # everything (about 12 minutes on 2 cores)
    python benchmarks/sessions.py --loop-only  # the closed loop's cost only, printed
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
from machine import save

SESSIONS = [("pavlovian", 200), ("bandit", 300)]
MODES = ("rate", "spiking")
#: one run's simulation time varies by about 10%: the loop's cost is a difference of medians
REPEATS = 3


def child(kind: str, task: str, mode: str, trials: int) -> None:
    """In the child process: run one session (``kind`` "session") or its open-loop twin ("open_loop")."""
    import dopasim.experiment as ex

    start = time.perf_counter()
    if kind == "session":
        res = ex.run(task, mode=mode, trials=trials, seed=1, progress=False)
        rec = res.recording
    else:
        rec = open_loop(task, mode, trials)
        start = time.perf_counter() - sum(rec.timings.values())  # the replay's own run only
    wall = time.perf_counter() - start
    print(json.dumps({"wall_s": wall, "simulated_s": rec.duration, **{f"{k}_s": v for k, v in rec.timings.items()}}))


def open_loop(task: str, mode: str, trials: int):
    """The bandit's circuit without its task logic, replaying the inputs one of its sessions gave it.

    The session's log (choice, reaction time, reward per trial) gives every
    signal the circuit reads: both cues on from the cue to the outcome, the
    chosen channel's efference copy from the choice to the outcome, the reward
    volley, and the cortex's time since the cue. The replay drives the network
    as the session did (its own noise aside), so the difference in simulation
    time is the loop's: the task group, the decision units, the signals read
    from task variables.
    """
    import numpy as np

    from dopasim.circuits.compiler import simulate
    from dopasim.experiment import configure, run

    if task != "bandit":
        raise SystemExit("the open-loop replay is written for the bandit")
    log = run(task, mode=mode, trials=trials, seed=1, progress=False).trials
    the_task, graph, _, _ = configure(task, mode=mode)
    ms = lambda seconds: int(round(seconds * 1000))  # noqa: E731
    trial, cue, outcome = ms(the_task.duration), ms(the_task.cue), ms(the_task.outcome)
    volley = ms(the_task.p["outcome_ms"] / 1000)
    steps = trials * trial + 1
    salience, choice = np.zeros((steps, 2)), np.zeros((steps, 2))
    reward, cs = np.zeros(steps), np.full(steps, -1.0)
    for k in range(trials):
        t0 = k * trial
        salience[t0 + cue:t0 + outcome] = 1.0
        cs[t0 + cue:t0 + outcome] = np.arange(outcome - cue) / 1000
        if log["choice"][k] >= 0:
            choice[t0 + cue + ms(log["rt_ms"][k] / 1000):t0 + outcome, log["choice"][k]] = 1.0
        reward[t0 + outcome:t0 + outcome + volley] = log["reward"][k]
    signals = {"salience": salience, "choice": choice, "reward": reward, "cs": cs}
    return simulate(graph, mode, signals, trials * the_task.duration, seed=1, progress=False)


def measured(kind: str, task: str, mode: str, trials: int) -> dict:
    """Run the child, return its report and its peak resident memory (MB)."""
    proc = subprocess.Popen([sys.executable, __file__, "--child", kind, task, mode, str(trials)],
                            stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    if status:
        raise SystemExit(f"{kind} {task} {mode} failed")
    return {**json.loads(out.strip().splitlines()[-1]), "peak_memory_mb": usage.ru_maxrss / 1024}


def closed_loop() -> list[dict]:
    """The bandit session against its open-loop replay, ``REPEATS`` times each, alternating: medians."""
    out = []
    for mode in MODES:
        measured("open_loop", "bandit", mode, 300)  # compile the replay's structure
        times = {"session": [], "open_loop": []}
        for _ in range(REPEATS):
            for kind in times:
                times[kind].append(measured(kind, "bandit", mode, 300)["simulation_s"])
        session, bare = (float(np.median(times[kind])) for kind in ("session", "open_loop"))
        out.append({"mode": mode, "trials": 300, "session_simulation_s": session, "open_loop_simulation_s": bare,
                    "loop_ms_per_trial": 1000 * (session - bare) / 300, "all_runs": times})
    return out


def main() -> None:
    rows = []
    for task, trials in SESSIONS:
        for mode in MODES:
            measured("session", task, mode, trials)  # warm the compile cache
            row = {"task": task, "mode": mode, "trials": trials, **measured("session", task, mode, trials)}
            row["simulated_per_wall_s"] = row["simulated_s"] / row["wall_s"]
            rows.append(row)
    loops = closed_loop()
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
        print(f"  single runs: session {r['all_runs']['session']}, open loop {r['all_runs']['open_loop']}")
    save("sessions", sessions=rows, closed_loop=loops)

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--loop-only":
        print(json.dumps(closed_loop(), indent=1))
        # (the full run keeps the loop beside the sessions, in sessions.json)
    else:
        main()
