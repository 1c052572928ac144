"""Cohort throughput: subjects per minute of `dopasim study`, on one worker and on one per core.

A cohort of ``SUBJECTS`` healthy subjects, each a 300-trial bandit session in
rate mode (its own seed), run by `dopasim study` with ``--workers 1`` and
then with one worker per core, the compile cache warm (a first study warms
it). Prints subjects per minute and the speed-up, and writes
benchmarks/results/cohort.json.

    python benchmarks/cohort.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from machine import save

SUBJECTS = 8
TRIALS = 300


def study(workers: int, out: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dopasim.cli", "study", "bandit", "--subjects", str(SUBJECTS),
                    "--trials", str(TRIALS), "--workers", str(workers), "--quiet", "--out", out], check=True,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    cores = os.cpu_count() or 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        study(cores, f"{tmp}/warm")
        for workers in sorted({1, cores}):
            wall = study(workers, f"{tmp}/w{workers}")
            rows.append({"workers": workers, "subjects": SUBJECTS, "wall_s": wall,
                         "subjects_per_minute": 60 * SUBJECTS / wall})
    speedup = rows[0]["wall_s"] / rows[-1]["wall_s"]
    print(f"bandit, {TRIALS} trials, rate mode, {SUBJECTS} subjects")
    for r in rows:
        print(f"{r['workers']} worker(s): {r['wall_s']:.1f} s, {r['subjects_per_minute']:.1f} subjects per minute")
    print(f"speed-up with {cores} workers: {speedup:.2f}")
    save("cohort", task="bandit", trials=TRIALS, runs=rows, speedup=speedup)


if __name__ == "__main__":
    main()
