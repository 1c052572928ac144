"""Cohort throughput: subjects per minute of `dopasim study`, one network per subject against batches.

A healthy cohort of ``--subjects`` subjects, each a 300-trial bandit session
(its own seed), run by `dopasim study` on every core: first one network per
subject (``--batch 1``: worker processes that run one subject after another),
then ``B`` subjects to a network for each batch size given, side by side in one
run, in each mode asked for. Beside them, ``--process-subjects`` subjects each
run by a `dopasim run` process of its own, as many at a time as there are cores
(a shell loop's cohort: every subject pays Python's start, Brian2's import and
its figures). Every configuration runs once first to warm its compile cache (as
a lab's second cohort would find it), then is timed. Prints subjects per
minute, the ratio to one network per subject and the best batch size, and
writes benchmarks/results/cohort.json.

The same subjects' headline measures, alone and batched, also show whether
batching changes what a cohort finds: a batched subject draws from its own
random stream, not Brian2's, so it is not the same run as its seed alone, and
the cohorts' means (with 95% confidence intervals) should agree.

    python benchmarks/cohort.py                               # rate, 100 subjects
    python benchmarks/cohort.py --mode spiking --subjects 40 --batches 5,10,20
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

from machine import save

from dopasim.reference import PROCESS, STUDY

TRIALS = 300


def study(mode: str, subjects: int, batch: int, workers: int, out: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "dopasim.cli", "study", "bandit", "--mode", mode, "--subjects",
                    str(subjects), "--trials", str(TRIALS), "--batch", str(batch), "--workers", str(workers),
                    "--quiet", "--out", out], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def processes(mode: str, subjects: int, workers: int, out: str) -> float:
    """``subjects`` `dopasim run` processes, ``workers`` at a time, each lane of them with a build directory of
    its own (as a study's workers have: processes sharing one wait for each other's run): the wall time."""
    from dopasim.circuits.build import default_build_root

    def lane(k):
        env = {**os.environ, "DOPASIM_BUILD_DIR": str(default_build_root() / f"benchmark-lane{k}")}
        for seed in range(1 + k, subjects + 1, workers):
            subprocess.run([sys.executable, "-m", "dopasim.cli", "run", "bandit", "--mode", mode, "--trials",
                            str(TRIALS), "--seed", str(seed), "--quiet", "--out", f"{out}/s{seed}"], check=True,
                           stdout=subprocess.DEVNULL, env=env)
    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lane, range(workers)))
    return time.perf_counter() - start


MEASURES = ("p_best_last100", "reward_rate", "mean_rt_ms", "da_rewarded", "corr_da_td_outcome")


def measures(study_dir: str) -> dict[str, list[float]]:
    with open(f"{study_dir}/subjects.csv") as f:
        rows = list(csv.DictReader(f))
    return {m: [float(r[m]) for r in rows if r.get(m) not in (None, "")] for m in MEASURES}


def mean_ci(values: list[float]) -> tuple[float, float, float]:
    from scipy import stats

    n = len(values)
    values = [float(v) for v in values]
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = stats.t.ppf(0.975, n - 1) * sd / math.sqrt(n)
    return mean, float(mean - half), float(mean + half)


def equivalence(alone: dict, batched: dict) -> list[dict]:
    """Per measure: each cohort's mean and 95% CI, whether each mean lies in the other's interval, and Welch's
    test of the difference."""
    from scipy import stats

    out = []
    for m in MEASURES:
        a, b = mean_ci(alone[m]), mean_ci(batched[m])
        welch = stats.ttest_ind(batched[m], alone[m], equal_var=False)
        out.append({"measure": m, "alone_mean": round(a[0], 4), "alone_ci": [round(a[1], 4), round(a[2], 4)],
                    "batched_mean": round(b[0], 4), "batched_ci": [round(b[1], 4), round(b[2], 4)],
                    "within": bool(a[1] <= b[0] <= a[2] and b[1] <= a[0] <= b[2]),
                    "welch_p": round(float(welch.pvalue), 4)})
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", action="append", choices=("rate", "spiking"), help="(repeatable; default rate)")
    parser.add_argument("--subjects", type=int, default=100)
    parser.add_argument("--batches", default="10,25,50", help="batch sizes to time beside --batch 1")
    parser.add_argument("--process-subjects", type=int, default=20,
                        help="subjects run as a `dopasim run` process each (default 20)")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    sizes = [1] + [int(b) for b in args.batches.split(",")]
    rows, equivalent = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in args.mode or ["rate"]:
            if args.process_subjects:
                processes(mode, cores, cores, f"{tmp}/warm-{mode}-process")
                wall = processes(mode, args.process_subjects, cores, f"{tmp}/{mode}-process")
                rows.append({"mode": mode, "how": PROCESS, "batch": 1,
                             "subjects": args.process_subjects, "workers": cores, "wall_s": round(wall, 2),
                             "subjects_per_minute": round(60 * args.process_subjects / wall, 2)})
                print(f"{mode:8} a process each: {wall:7.1f} s, {rows[-1]['subjects_per_minute']:7.1f} subjects/min",
                      flush=True)
            for batch in sizes:
                # warm: the networks of this batch size compiled in every worker's cache
                study(mode, min(args.subjects, cores * batch), batch, cores, f"{tmp}/warm-{mode}-{batch}")
                wall = study(mode, args.subjects, batch, cores, f"{tmp}/{mode}-{batch}")
                rows.append({"mode": mode, "how": STUDY, "batch": batch, "subjects": args.subjects,
                             "workers": cores,
                             "wall_s": round(wall, 2), "subjects_per_minute": round(60 * args.subjects / wall, 2)})
                print(f"{mode:8} batch {batch:4}: {wall:7.1f} s, {rows[-1]['subjects_per_minute']:7.1f} subjects/min",
                      flush=True)
            alone = measures(f"{tmp}/{mode}-1")
            equivalent[mode] = equivalence(alone, measures(f"{tmp}/{mode}-{sizes[-1]}"))
            for e in equivalent[mode]:
                print(f"  {e['measure']:20} alone {e['alone_mean']:.3f} {e['alone_ci']}  batched "
                      f"{e['batched_mean']:.3f} {e['batched_ci']}  {'within' if e['within'] else 'OUTSIDE'} "
                      f"each other's 95% CI, Welch p = {e['welch_p']:.3f}")
    for mode in args.mode or ["rate"]:
        mine = [r for r in rows if r["mode"] == mode]
        alone = next(r["subjects_per_minute"] for r in mine if r["how"] == STUDY and r["batch"] == 1)
        for r in mine:
            r["ratio"] = round(r["subjects_per_minute"] / alone, 2)
        best = max(mine, key=lambda r: r["subjects_per_minute"])
        print(f"{mode}: best batch {best['batch']}, {best['ratio']:.1f}x the subjects per minute of one network "
              f"per subject ({args.subjects} subjects, {TRIALS}-trial bandit, {cores} workers)")
        for r in mine:
            if r["how"] != STUDY:
                ratio = best["subjects_per_minute"] / r["subjects_per_minute"]
                print(f"{mode}: best batch {best['batch']}, {ratio:.1f}x the subjects per minute of {r['how']}")
    save("cohort" if args.mode in (None, ["rate"]) else "cohort_" + "_".join(args.mode), task="bandit",
         trials=TRIALS, runs=rows, equivalence=equivalent)


if __name__ == "__main__":
    main()
