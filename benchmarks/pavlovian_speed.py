"""Wall time of the 150-trial Pavlovian run, first-run compilation included.

Runs `dopasim run pavlovian --trials 150 --seed 1` in a fresh process for each
mode, first with an empty compile cache (what a newcomer sees), then again with
the cache warm. Prints a table and the ratio to the budget (rate 20 s,
spiking 60 s), and writes benchmarks/results/pavlovian_speed.json.

    python benchmarks/pavlovian_speed.py
"""

import os
import subprocess
import sys
import tempfile
import time

from machine import save

BUDGET_S = {"rate": 20.0, "spiking": 60.0}
TRIALS = 150


def timed_run(mode: str, cache: str, out: str) -> float:
    env = dict(os.environ, DOPASIM_BUILD_DIR=cache)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dopasim.cli", "run", "pavlovian", "--mode", mode, "--trials",
                    str(TRIALS), "--seed", "1", "--quiet", "--out", out], check=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("rate", "spiking"):
            cache = os.path.join(tmp, "cache")
            cold = timed_run(mode, cache, os.path.join(tmp, f"{mode}-cold"))
            warm = timed_run(mode, cache, os.path.join(tmp, f"{mode}-warm"))
            simulated = TRIALS * 2.5
            rows.append({"mode": mode, "trials": TRIALS, "simulated_s": simulated, "cold_s": round(cold, 2),
                         "warm_s": round(warm, 2), "budget_s": BUDGET_S[mode],
                         "cold_over_budget": round(cold / BUDGET_S[mode], 3),
                         "simulated_per_wall_s_warm": round(simulated / warm, 1)})
    print(f"{'mode':<8} {'cold (s)':>9} {'warm (s)':>9} {'budget':>7} {'cold/budget':>12} {'sim s/wall s':>13}")
    for r in rows:
        print(f"{r['mode']:<8} {r['cold_s']:>9.1f} {r['warm_s']:>9.1f} {r['budget_s']:>7.0f} "
              f"{r['cold_over_budget']:>12.2f} {r['simulated_per_wall_s_warm']:>13.1f}")
    save("pavlovian_speed", runs=rows)

if __name__ == "__main__":
    main()
