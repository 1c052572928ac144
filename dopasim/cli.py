"""The ``dopasim`` command.

    dopasim run TASK [--circuit PRESET] [--mode rate|spiking] [--trials N]
                     [--seed S] [--set KEY=VALUE ...] [--out DIR] [--quiet]
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
    run.add_argument("--out", type=Path, default=None, help="run directory (default: runs/TASK-MODE-seedS-TIME)")
    run.add_argument("--quiet", action="store_true", help="no progress output")
    sub.add_parser("list", help="list tasks, circuit presets and diseases",
                   description="List tasks, circuit presets and diseases with one line each.")
    return parser


def _list() -> None:
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
    print("  (none yet)")


def _run(args) -> int:
    from dopasim.experiment import check_run_args, configure, run

    sets = dict(args.sets)
    the_task, graph, _, _ = configure(args.task, args.circuit, sets)  # every input checked before simulating
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
        print(f"dopasim: {args.task} on '{graph.name}', {args.mode} mode, {trials} {unit} ({length}), "
              f"seed {args.seed}", flush=True)
    start = time.time()
    res = run(args.task, args.circuit, args.mode, trials, args.seed, sets, progress=not args.quiet)
    res.write(out)
    if not args.quiet:
        print(json.dumps(res.summary, indent=2))
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
        return _run(args)
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
