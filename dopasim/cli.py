"""The ``dopasim`` command.

    dopasim run TASK [--circuit PRESET] [--mode rate|spiking] [--trials N]
                     [--seed S] [--set KEY=VALUE ...] [--disease NAME]
                     [--lesion REGION=FRACTION ...] [--out DIR] [--quiet]
    dopasim list

Exit status 0 on success, 2 on bad input (one line naming the bad value and the
valid ones; nothing is written), 1 when the simulation cannot be built or run,
130 when interrupted (nothing is written).
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from pathlib import Path

from dopasim.circuits.compiler import SimulationError
from dopasim.params import ConfigError


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        self.exit(2, f"dopasim: error: {message}\n")


def _key_value(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError(f"--set {text!r} is not KEY=VALUE (e.g. task.reward_prob=0.5)")
    return key.strip(), value.strip()


def _cell_loss(text: str) -> dict:
    region, sep, fraction = text.partition("=")
    try:
        value = float(fraction)
    except ValueError:
        value = None
    if not sep or not region.strip() or value is None or not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"--lesion {text!r} is not REGION=FRACTION with a fraction of cells "
                                         "from 0 to 1 (e.g. snc=0.8)")
    return {"transform": "kill_cells", "region": region.strip(), "fraction": value}


def _lesion_levels(text: str) -> tuple[str, list[float]]:
    region, sep, levels = text.partition("=")
    try:
        values = [float(v) for v in levels.split(",") if v.strip()]
    except ValueError:
        values = []
    if not sep or not region.strip() or not values or not all(0.0 <= v <= 1.0 for v in values):
        raise argparse.ArgumentTypeError(f"--lesion-levels {text!r} is not REGION=F1,F2,... with fractions "
                                         "from 0 to 1 (e.g. snc=0.2,0.5,0.8)")
    return region.strip(), values


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if not 0 <= value < 2**31:
        raise argparse.ArgumentTypeError(f"{value} must be from 0 to {2**31 - 1}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from dopasim.circuits.compiler import MODES

    parser = _Parser(prog="dopasim", description="Simulate the brain's reinforcement-learning circuit "
                     "(basal ganglia, dopamine) on Brian2, in rate or spiking mode.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    run = sub.add_parser("run", help="run a task on a circuit and write a run directory",
                         description="Run TASK on a circuit; write run.json, summary.json, trials.csv "
                         "and figures/ into --out.")
    run.add_argument("task", help="task name (see `dopasim list`)")
    run.add_argument("--circuit", default=None, help="circuit preset (default: the task's own, see `dopasim list`)")
    run.add_argument("--mode", choices=MODES, default="rate", help="resolution: rate units or spiking neurons "
                     "(default: rate)")
    run.add_argument("--trials", type=_positive_int, default=None,
                     help="number of trials (default: the task's own, see `dopasim list`)")
    run.add_argument("--seed", type=_seed, default=1, help="seed fixing the whole run (default: 1)")
    run.add_argument("--set", dest="sets", type=_key_value, action="append", default=[], metavar="KEY=VALUE",
                     help="override a parameter: task.PARAM, circuit.REGION.PARAM, circuit.PROJECTION.PARAM, "
                     "reference.PARAM or decision.PARAM (repeatable)")
    run.add_argument("--disease", default=None, help="a disease preset: its lesions applied to the circuit "
                     "(see `dopasim list`)")
    run.add_argument("--lesion", dest="lesions", type=_cell_loss, action="append", default=[],
                     metavar="REGION=FRACTION", help="kill that fraction of the region's cells (repeatable; "
                     "other lesions: --set circuit.PROJECTION.weight, .burst_gain, .dip_gain, .tonic_hz, "
                     "circuit.REGION.clamp_hz ...)")
    run.add_argument("--out", type=Path, default=None, help="run directory (default: runs/TASK-MODE-seedS-TIME)")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    study = sub.add_parser("study", help="run cohorts of virtual subjects, healthy and diseased, and compare them",
                           description="Run TASK on a healthy cohort and one cohort per --disease (and per "
                           "--lesion-levels level), each subject with a seed of its own, on the local cores; "
                           "write subjects.csv, stats.csv and figures/ into --out.")
    study.add_argument("task", help="task name (see `dopasim list`)")
    study.add_argument("--disease", dest="diseases", action="append", default=[], metavar="NAME",
                       help="a disease cohort (repeatable; healthy is always included)")
    study.add_argument("--lesion-levels", dest="lesion_levels", type=_lesion_levels, default=None,
                       metavar="REGION=F1,F2,...", help="one cohort per fraction of the region's cells lost, for "
                       "a dose-response curve (e.g. snc=0.2,0.5,0.8)")
    study.add_argument("--subjects", type=_positive_int, default=5, help="subjects per group (default: 5)")
    study.add_argument("--workers", type=_positive_int, default=None,
                       help="parallel processes (default: the number of cores)")
    for option in ("--circuit", "--mode", "--trials", "--seed", "--set"):
        action = next(a for a in run._actions if option in a.option_strings)
        study._add_action(action)
    study.add_argument("--out", type=Path, default=None, help="study directory (default: studies/TASK-MODE-TIME)")
    study.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on this Dask cluster (e.g. tcp://host:8786) instead of local processes; needs "
                       "dopasim[dask], dopasim on every worker and --out on a file system they share")
    study.add_argument("--quiet", action="store_true", help="no progress output")
    sweep = sub.add_parser("sweep", help="run a grid of runs from a TOML spec, on the local cores or a Dask "
                           "cluster (resumable)",
                           description="Run every combination of the spec's [grid] for every seed, each into "
                           "OUT/runs/ID/; a rerun skips the runs already complete. Writes OUT/runs.csv. See "
                           "dopasim/sweep.py for the spec's keys.")
    sweep.add_argument("spec", type=Path, help="the sweep's TOML file")
    sweep.add_argument("--workers", type=_positive_int, default=None,
                       help="parallel processes (default: the number of cores)")
    sweep.add_argument("--out", type=Path, default=None, help="sweep directory (default: sweeps/SPEC-NAME)")
    sweep._add_action(next(a for a in study._actions if "--scheduler" in a.option_strings))
    sweep.add_argument("--quiet", action="store_true", help="no progress output")
    sub.add_parser("list", help="list tasks, circuit presets and diseases",
                   description="List tasks, circuit presets and diseases with one line each.")
    return parser


def _list() -> None:
    from dopasim.circuits.diseases import DISEASES
    from dopasim.circuits.presets import PRESETS
    from dopasim.tasks import TASKS, GymTask

    print("tasks:")
    for name, task in TASKS.items():
        unit = getattr(task, "unit", "trials")
        print(f"  {name:<24} {task.summary} [{task.default_trials} {unit}, circuit {task.default_circuit}]")
    print(f"  {'gym:ENV_ID':<24} {GymTask.summary} [{GymTask.default_trials} episodes, "
          f"circuit {GymTask.default_circuit}]")
    print("circuit presets:")
    for name, (_, summary) in PRESETS.items():
        print(f"  {name:<24} {summary}")
    print("diseases:")
    for name, found in DISEASES.items():
        note = f" [not yet: {found.unavailable}]" if found.unavailable else ""
        print(f"  {name:<24} {found.mechanism} ({found.paper}){note}")


def _run(args) -> int:
    from dopasim.experiment import check_run_args, configure, run

    sets = dict(args.sets)
    # every input checked before simulating
    the_task, graph, _, _ = configure(args.task, args.circuit, sets, args.disease, args.lesions, args.mode)
    trials = the_task.default_trials if args.trials is None else args.trials
    check_run_args(args.mode, trials, args.seed)
    label = args.task.replace(":", "_")
    out = args.out or Path("runs") / f"{label}-{args.mode}-seed{args.seed}-{time.strftime('%Y%m%d-%H%M%S')}"
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"--out {str(out)!r} exists and is not an empty directory")
    if not args.quiet:
        unit = getattr(the_task, "unit", "trials")
        length = (f"at most {the_task.max_steps} steps each" if unit == "episodes"
                  else f"{trials * the_task.duration:.0f} s simulated")
        sick = "".join(f", {t['transform']} {t.get('region') or t.get('projection') or t.get('source')}"
                       for t in graph.lesions)
        print(f"dopasim: {args.task} on '{graph.name}'{sick}, {args.mode} mode, {trials} {unit} ({length}), "
              f"seed {args.seed}", flush=True)
    start = time.time()
    res = run(args.task, args.circuit, args.mode, trials, args.seed, sets, progress=not args.quiet,
              disease=args.disease, lesions=args.lesions)
    res.write(out)
    if not args.quiet:
        print(json.dumps(res.summary, indent=2))
        print(f"dopasim: done in {time.time() - start:.1f} s; results in {out}/")
    return 0


def _sweep(args) -> int:
    from dopasim.sweep import load_spec, run_sweep

    runs = load_spec(args.spec)
    out = args.out or Path("sweeps") / args.spec.stem
    start = time.time()
    result = run_sweep(runs, out, workers=args.workers, progress=not args.quiet, scheduler=args.scheduler)
    if not args.quiet:
        lost = f" ({result['restarts']} lost workers replaced)" if result["restarts"] else ""
        print(f"dopasim: {result['ran']} runs done{lost}, {result['skipped']} already complete, in "
              f"{time.time() - start:.1f} s; table in {out}/runs.csv")
    return 0


def _study(args) -> int:
    from dopasim.study import Study, make_groups, run_study

    region, levels = args.lesion_levels or (None, None)
    study = Study(args.task, make_groups(args.diseases, region, levels), subjects=args.subjects, mode=args.mode,
                  trials=args.trials, seed=args.seed, sets=dict(args.sets), circuit=args.circuit)
    label = args.task.replace(":", "_")
    out = args.out or Path("studies") / f"{label}-{args.mode}-{time.strftime('%Y%m%d-%H%M%S')}"
    if not args.quiet:
        print(f"dopasim: study of {args.task}, {args.mode} mode: groups {', '.join(g.name for g in study.groups)}; "
              f"{args.subjects} subjects each", flush=True)
    start = time.time()
    result = run_study(study, out, workers=args.workers, progress=not args.quiet, scheduler=args.scheduler)
    if not args.quiet:
        for row in result["stats"]:
            if row.get("test") == "welch_t" and row.get("p") is not None:
                print(f"  {row['measure']:<24} {row['group']:<22} {row['mean_healthy']:8.3f} -> "
                      f"{row['mean_group']:8.3f}  g={row['hedges_g']}  p={row['p']:.3g}")
        print(f"dopasim: done in {time.time() - start:.1f} s; results in {out}/")
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt  # unwinds like Ctrl-C: partial output removed, build lock released


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "list":
            _list()
            return 0
        if args.command == "sweep":
            return _sweep(args)
        return _study(args) if args.command == "study" else _run(args)
    except ConfigError as err:
        print(f"dopasim: error: {err}", file=sys.stderr)
        return 2
    except SimulationError as err:
        print(f"dopasim: simulation failed: {str(err).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dopasim: interrupted; no run directory was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
