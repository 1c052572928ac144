"""Sweep speed-up: a 20-run `dopasim sweep` on one worker and on one per core.

20 runs: a 300-trial bandit in rate mode, seeds 1-10, two reward contingencies;
the compile cache warm (a first sweep warms it). Each timing starts from an
empty sweep directory. Prints the speed-up and writes
benchmarks/results/sweep_speedup.json.

    python benchmarks/sweep_speedup.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from machine import save

SPEC = """
task = "bandit"
trials = 300
seeds = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

[grid]
"task.reward_probs" = ["0.8,0.2", "0.7,0.3"]
"""


def sweep(spec: Path, workers: int, out: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dopasim.cli", "sweep", str(spec), "--workers", str(workers), "--quiet",
                    "--out", out], check=True)
    return time.perf_counter() - start


def main() -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        spec = Path(tmp) / "speed.toml"
        spec.write_text(SPEC)
        sweep(spec, cores, f"{tmp}/warm")
        walls = {workers: sweep(spec, workers, f"{tmp}/w{workers}") for workers in sorted({1, cores})}
    speedup = walls[1] / walls[cores]
    for workers, wall in walls.items():
        print(f"{workers} worker(s): 20 runs in {wall:.1f} s")
    print(f"speed-up with {cores} workers: {speedup:.2f}")
    save("sweep_speedup", runs=20, walls_s={str(k): v for k, v in walls.items()}, speedup=speedup)


if __name__ == "__main__":
    main()
