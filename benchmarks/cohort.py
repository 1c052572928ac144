"""Cohort throughput: subjects per minute of `dopasim study`, one network per subject against batches.

A healthy cohort of ``--subjects`` subjects, each a 300-trial bandit session
(its own seed), run by `dopasim study` on every core: first one process and
network per subject (``--batch 1``), then ``B`` subjects to a network for each
batch size given, side by side in one run, in each mode asked for. Every
configuration runs once first to warm its compile cache (as a lab's second
cohort would find it), then is timed. Prints subjects per minute, the ratio to
one network per subject and the best batch size, and writes
benchmarks/results/cohort.json.

    python benchmarks/cohort.py                               # rate, 100 subjects
    python benchmarks/cohort.py --mode spiking --subjects 40 --batches 5,10,20
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time

from machine import save

TRIALS = 300


def study(mode: str, subjects: int, batch: int, workers: int, out: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dopasim.cli", "study", "bandit", "--mode", mode, "--subjects",
                    str(subjects), "--trials", str(TRIALS), "--batch", str(batch), "--workers", str(workers),
                    "--quiet", "--out", out], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", action="append", choices=("rate", "spiking"), help="(repeatable; default rate)")
    parser.add_argument("--subjects", type=int, default=100)
    parser.add_argument("--batches", default="10,25,50", help="batch sizes to time beside --batch 1")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    sizes = [1] + [int(b) for b in args.batches.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.mode or ["rate"]:
            for batch in sizes:
                # warm: the networks of this batch size compiled in every worker's cache
                study(mode, min(args.subjects, cores * batch), batch, cores, f"{tmp}/warm-{mode}-{batch}")
                wall = study(mode, args.subjects, batch, cores, f"{tmp}/{mode}-{batch}")
                rows.append({"mode": mode, "batch": batch, "subjects": args.subjects, "workers": cores,
                             "wall_s": round(wall, 2), "subjects_per_minute": round(60 * args.subjects / wall, 2)})
                print(f"{mode:8} batch {batch:4}: {wall:7.1f} s, {rows[-1]['subjects_per_minute']:7.1f} subjects/min",
                      flush=True)
    for mode in args.mode or ["rate"]:
        mine = [r for r in rows if r["mode"] == mode]
        alone = mine[0]["subjects_per_minute"]
        for r in mine:
            r["ratio"] = round(r["subjects_per_minute"] / alone, 2)
        best = max(mine, key=lambda r: r["subjects_per_minute"])
        print(f"{mode}: best batch {best['batch']}, {best['ratio']:.1f}x the subjects per minute of one network "
              f"per subject ({args.subjects} subjects, {TRIALS}-trial bandit, {cores} workers)")
    save("cohort" if args.mode in (None, ["rate"]) else "cohort_" + "_".join(args.mode), task="bandit",
         trials=TRIALS, runs=rows)


if __name__ == "__main__":
    main()
