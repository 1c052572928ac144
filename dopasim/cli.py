"""The ``dopasim`` command.

    dopasim run TASK [--circuit PRESET] [--mode rate|spiking] [--trials N]
                     [--seed S] [--set KEY=VALUE ...] [--disease NAME]
                     [--lesion REGION=FRACTION ...] [--config FILE] [--out DIR] [--quiet]
    dopasim config show [the same arguments as run]
    dopasim study TASK ... | dopasim sweep SPEC.toml ... | dopasim validate ... | dopasim list

Exit status 0 on success, 2 on bad input (one line naming the bad value and the
valid ones; nothing is written), 1 when the simulation cannot be built or run,
130 when interrupted (nothing is written).
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from pathlib import Path

from dopasim.circuits.compiler import SimulationError
from dopasim.params import ConfigError, unknown_name
from dopasim.study import DEFAULT_BATCH


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
    run.add_argument("task", nargs="?", default=None, help="task name (see `dopasim list`); may come from --config")
    run.add_argument("--circuit", default=None, help="circuit preset (default: the task's own, see `dopasim list`)")
    run.add_argument("--mode", choices=MODES, default=None, help="resolution: rate units or spiking neurons "
                     "(default: rate)")
    run.add_argument("--trials", type=_positive_int, default=None,
                     help="number of trials (default: the task's own, see `dopasim list`)")
    run.add_argument("--seed", type=_seed, default=None, help="seed fixing the whole run (default: 1)")
    run.add_argument("--set", dest="sets", type=_key_value, action="append", default=[], metavar="KEY=VALUE",
                     help="override a parameter: task.PARAM, circuit.REGION.PARAM, circuit.PROJECTION.PARAM, "
                     "reference.PARAM or decision.PARAM (repeatable)")
    run.add_argument("--disease", default=None, help="a disease preset: its lesions applied to the circuit "
                     "(see `dopasim list`)")
    run.add_argument("--lesion", dest="lesions", type=_cell_loss, action="append", default=[],
                     metavar="REGION=FRACTION", help="kill that fraction of the region's cells (repeatable; "
                     "other lesions: --set circuit.PROJECTION.weight, .burst_gain, .dip_gain, .tonic_hz, "
                     "circuit.REGION.clamp_hz ...)")
    run.add_argument("--protocol", default=None, metavar="FILE.toml",
                     help="an experiment's phases, trial types and cues (task pavlovian; see "
                     "examples/blocking_protocol.toml)")
    run.add_argument("--init-from", dest="init_from", default=None, metavar="RUN_DIR",
                     help="start the plastic synapses with the weights the run in RUN_DIR ended with (same "
                     "circuit and mode): a trained subject's next session")
    run.add_argument("--config", type=Path, default=None, metavar="FILE",
                     help="a TOML file with any of task, circuit, mode, trials, seed, disease, init_from, lesions "
                     "(['snc=0.5', ...]) and a [set] table (the command line wins); or a run's run.json, "
                     "which replays that run as recorded")
    run.add_argument("--out", type=Path, default=None, help="run directory (default: runs/TASK-MODE-seedS-TIME)")
    run.add_argument("--nwb", action="store_true", help="also write run.nwb (Neurodata Without Borders: spikes, "
                     "rates, dopamine, trials, the circuit; needs dopasim[nwb])")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    config = sub.add_parser("config", help="print the fully resolved configuration of a run (what run.json "
                            "records), without running it",
                            description="Print, as JSON, everything that fixes the run the same arguments would "
                            "make, defaults included: what its run.json records.")
    config.add_argument("action", choices=("show",), help="show: print the configuration")
    for action in run._actions:
        if action.dest not in ("help", "out", "quiet", "nwb"):
            config._add_action(action)
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
    study.add_argument("--batch", type=_positive_int, default=None, metavar="N",
                       help="subjects simulated together in one network (default: %d; 1: a network each, with "
                       "Brian2's own random stream)" % DEFAULT_BATCH)
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
    sweep._add_action(next(a for a in study._actions if "--batch" in a.option_strings))
    sweep.add_argument("--quiet", action="store_true", help="no progress output")
    validate = sub.add_parser("validate", help="test every scientific finding on fresh cohorts and write a "
                              "report (resumable)",
                              description="Run each registered finding (dopasim/validation/) on fresh subjects in "
                              "each mode it claims, into OUT/subjects/; a rerun into the same OUT runs only the "
                              "subjects it lacks. Writes OUT/validation.json and OUT/report.md with a figure per "
                              "finding.")
    validate.add_argument("--mode", choices=("rate", "spiking", "both"), default="rate",
                          help="the resolutions to validate (default: rate)")
    validate.add_argument("--subjects", type=_positive_int, default=10, help="subjects per group (default: 10)")
    validate.add_argument("--only", action="append", default=None, metavar="NAME",
                          help="only this finding (repeatable; `dopasim list findings` names them)")
    validate.add_argument("--seed", type=_seed, default=1, help="the validation's seed, from which every "
                          "subject's is drawn (default: 1); choose settings on another")
    validate.add_argument("--workers", type=_positive_int, default=None,
                          help="parallel processes (default: the number of cores)")
    validate._add_action(next(a for a in study._actions if "--scheduler" in a.option_strings))
    validate._add_action(next(a for a in study._actions if "--batch" in a.option_strings))
    validate.add_argument("--out", type=Path, default=None, help="validation directory (default: "
                          "validation/SEED-MODE)")
    validate.add_argument("--quiet", action="store_true", help="no progress output")
    listing = sub.add_parser("list", help="list tasks, circuit presets and diseases; or a task's parameters, "
                             "the region types or the plasticity rules",
                             description="List tasks, circuit presets and diseases with one line each; with a "
                             "TASK, every parameter it takes (task.*, reference.*, decision.*) with its default, "
                             "unit, range and meaning; `dopasim list regions` and `dopasim list rules`: every "
                             "region type and plasticity rule with its parameters; `dopasim list findings`: "
                             "what `dopasim validate` tests.")
    listing.add_argument("task", nargs="?", default=None, help="a task whose parameters to list, or 'regions', "
                         "'rules' or 'findings'")
    return parser


CONFIG_KEYS = {"task": str, "circuit": str, "mode": str, "trials": int, "seed": int, "disease": str,
               "init_from": str, "protocol": str, "lesions": list, "set": dict}
RUN_ARGUMENTS = ("task", "circuit", "mode", "trials", "seed", "disease", "init_from", "protocol")


def _config_file(path: Path):
    from dopasim.documents import read_document

    return read_document(path, "--config")


def _with_config_file(args) -> None:
    """Fill what the command line left out from ``--config`` (a TOML file), then the defaults."""
    spec = _config_file(args.config) if args.config is not None else {}
    for key, value in spec.items():
        if key not in CONFIG_KEYS:
            raise unknown_name("--config key", key, CONFIG_KEYS)
        kind = CONFIG_KEYS[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            raise ConfigError(f"--config: {key}={value!r} must be a {kind.__name__}")
    for key in RUN_ARGUMENTS:
        if getattr(args, key) is None:
            setattr(args, key, spec.get(key))
    try:
        lesions = [_cell_loss(text if isinstance(text, str) else repr(text)) for text in spec.get("lesions", [])]
    except argparse.ArgumentTypeError as err:
        raise ConfigError(f"--config lesions: {err}") from None
    args.lesions = lesions + args.lesions
    args.sets = list(spec.get("set", {}).items()) + args.sets
    if args.task is None:
        raise ConfigError("no task: dopasim run TASK, or task = \"NAME\" in the --config file")
    _defaults(args)


def _defaults(args) -> None:
    """The defaults of --mode and --seed (None in the parser, so that a --config file can give them)."""
    args.mode = args.mode or "rate"
    args.seed = 1 if args.seed is None else args.seed


def _configured(args):
    """``(task, graph, reference, decision, mode, trials, seed, disease, streams)`` from the arguments, every
    input checked; a run.json given as --config is replayed as recorded (a batched subject's too)."""
    from dopasim.experiment import check_run_args, configure, from_config

    if args.config is not None and args.config.suffix == ".json":
        given = [f"--{key.replace('_', '-')}" for key in RUN_ARGUMENTS if getattr(args, key) is not None]
        given += ["--set"] * bool(args.sets) + ["--lesion"] * bool(args.lesions)
        if given:
            raise ConfigError(f"--config {str(args.config)!r} replays a run as recorded; {', '.join(given)} cannot "
                              "change it (write a TOML config instead)")
        return from_config(_config_file(args.config), str(args.config))
    _with_config_file(args)
    the_task, graph, reference, decision = configure(args.task, args.circuit, dict(args.sets), args.disease,
                                                     args.lesions, args.mode, args.init_from, args.protocol)
    trials = the_task.default_trials if args.trials is None else args.trials
    check_run_args(args.mode, trials, args.seed)
    return the_task, graph, reference, decision, args.mode, trials, args.seed, args.disease, "brian2"


def _config_show(args) -> int:
    from dopasim.experiment import resolved_config

    the_task, graph, reference, decision, mode, trials, seed, disease, streams = _configured(args)
    print(json.dumps(resolved_config(the_task, graph, reference, decision, disease, mode, trials, seed, streams),
                     indent=2))
    return 0


def _run(args) -> int:
    from dopasim.experiment import run_configured

    # every input checked before simulating
    the_task, graph, reference, decision, mode, trials, seed, disease, streams = _configured(args)
    if args.nwb:
        from dopasim.nwb import check_available

        check_available()
    label = the_task.name.replace(":", "_")
    out = args.out or Path("runs") / f"{label}-{mode}-seed{seed}-{time.strftime('%Y%m%d-%H%M%S')}"
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise ConfigError(f"--out {str(out)!r} exists and is not an empty directory")
    if not args.quiet:
        unit, length = the_task.unit, the_task.length(trials)
        sick = "".join(f", {t['transform']} {t.get('region') or t.get('projection') or t.get('source')}"
                       for t in graph.lesions)
        print(f"dopasim: {the_task.name} on '{graph.name}'{sick}, {mode} mode, {trials} {unit} ({length}), "
              f"seed {seed}", flush=True)
    start = time.time()
    res = run_configured(the_task, graph, reference, decision, mode, trials, seed, progress=not args.quiet,
                         disease=disease, streams=streams)
    res.write(out, nwb=args.nwb)
    if not args.quiet:
        print(json.dumps(res.summary, indent=2))
        print(f"dopasim: done in {time.time() - start:.1f} s; results in {out}/")
    return 0


def _sweep(args) -> int:
    from dopasim.sweep import load_spec, run_sweep

    runs = load_spec(args.spec)
    out = args.out or Path("sweeps") / args.spec.stem
    start = time.time()
    result = run_sweep(runs, out, workers=args.workers, progress=not args.quiet, scheduler=args.scheduler,
                       batch=args.batch or DEFAULT_BATCH)
    if not args.quiet:
        lost = f" ({result['restarts']} lost workers replaced)" if result["restarts"] else ""
        print(f"dopasim: {result['ran']} runs done{lost}, {result['skipped']} already complete, in "
              f"{time.time() - start:.1f} s; table in {out}/runs.csv")
    return 0


def _study(args) -> int:
    from dopasim.study import Study, make_groups, run_study

    region, levels = args.lesion_levels or (None, None)
    _defaults(args)
    study = Study(args.task, make_groups(args.diseases, region, levels), subjects=args.subjects, mode=args.mode,
                  trials=args.trials, seed=args.seed, sets=dict(args.sets), circuit=args.circuit)
    label = args.task.replace(":", "_")
    out = args.out or Path("studies") / f"{label}-{args.mode}-{time.strftime('%Y%m%d-%H%M%S')}"
    if not args.quiet:
        print(f"dopasim: study of {args.task}, {args.mode} mode: groups {', '.join(g.name for g in study.groups)}; "
              f"{args.subjects} subjects each", flush=True)
    start = time.time()
    result = run_study(study, out, workers=args.workers, progress=not args.quiet, scheduler=args.scheduler,
                       batch=args.batch or DEFAULT_BATCH)
    if not args.quiet:
        if result["skipped"]:
            print(f"dopasim: resumed: {result['skipped']} subjects were already complete, {result['ran']} ran")
        for row in result["stats"]:
            if row.get("test") == "welch_t" and row.get("p") is not None:
                print(f"  {row['measure']:<24} {row['group']:<22} {row['mean_healthy']:8.3f} -> "
                      f"{row['mean_group']:8.3f}  g={row['hedges_g']}  p={row['p']:.3g}")
        print(f"dopasim: done in {time.time() - start:.1f} s; results in {out}/")
    return 0


def _validate(args) -> int:
    from dopasim.validation import select
    from dopasim.validation.runner import run_validation

    modes = ["rate", "spiking"] if args.mode == "both" else [args.mode]
    pairs = select(args.only, modes)
    out = args.out or Path("validation") / f"seed{args.seed}-{args.mode}"
    command = (f"dopasim validate --mode {args.mode} --subjects {args.subjects} --seed {args.seed}"
               + (f" --batch {args.batch}" if args.batch else "")
               + "".join(f" --only {name}" for name in args.only or []))
    record = run_validation(pairs, out, subjects=args.subjects, seed=args.seed, workers=args.workers,
                            progress=not args.quiet, scheduler=args.scheduler, command=command,
                            batch=args.batch or DEFAULT_BATCH)
    if not args.quiet:
        for r in record["findings"]:
            print(f"  {r['finding']:<38} {r['mode']:<8} {r['effect']!s:>10} "
                  f"[{r['ci_low']}, {r['ci_high']}]  {'holds' if r['holds'] else 'DOES NOT HOLD'}")
        held = sum(r["holds"] for r in record["findings"])
        print(f"dopasim: {held} of {len(record['findings'])} hold; report in {out}/report.md")
    return 0


def _terminate(signum, frame):
    raise KeyboardInterrupt  # unwinds like Ctrl-C: partial output removed, build lock released


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    try:
        if args.command == "list":
            from dopasim.listing import print_listing

            print_listing(args.task)
            return 0
        if args.command == "sweep":
            return _sweep(args)
        if args.command == "validate":
            return _validate(args)
        if args.command == "config":
            return _config_show(args)
        return _study(args) if args.command == "study" else _run(args)
    except ConfigError as err:  # one line, whatever the bad value held
        print("dopasim: error: " + str(err).replace("\r", "\\r").replace("\n", "\\n"), file=sys.stderr)
        return 2
    except SimulationError as err:
        print(f"dopasim: simulation failed: {str(err).splitlines()[0]}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("dopasim: interrupted; no run directory was written", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output went to a reader that stopped (`| head`): not an error of ours
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
