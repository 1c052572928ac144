"""The reference pages of the documentation, written from the declarations the checks use.

Every region type, plasticity rule, projection, task, circuit preset and
disease declares its parameters as :class:`~dopasim.params.Param` objects (or,
for a disease, as lesion records); the pages here are made from those same
declarations, so they cannot drift from what ``--set`` accepts. The docs build
calls :func:`write_reference`; ``tests/test_docs.py`` checks that nothing
declared is missing from the pages.

Nothing here imports Brian2.
"""

from __future__ import annotations

import inspect
import json
from pathlib import Path

from dopasim.params import Param

#: the columns of every parameter table
HEADER = ("parameter", "default", "unit", "range or choices", "meaning")


def _cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value).replace("|", "\\|").replace("*", "\\*").replace("\n", " ")


def markdown_table(header: tuple[str, ...], rows: list[tuple]) -> str:
    """A Markdown (MyST) table of ``rows`` under ``header``."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def allowed(p: Param) -> str:
    """The values a parameter takes, in words: its choices, its range or its type."""
    if p.choices:
        return ", ".join(map(str, p.choices))
    if p.kind in (int, float) and (p.low is not None or p.high is not None):
        return p.range_text().replace(f" ({p.unit})", "") if p.unit else p.range_text()
    return p.kind.__name__


def param_table(params: dict[str, Param], prefix: str = "") -> str:
    """Every parameter of ``params``: its dotted name, default, unit, allowed values and meaning."""
    if not params:
        return "No parameters.\n"
    rows = [(f"`{prefix}{name}`", f"`{p.default!r}`" if isinstance(p.default, str) else f"`{p.default}`",
             p.unit, allowed(p), p.help) for name, p in params.items()]
    return markdown_table(HEADER, rows)


def task_parameters(task) -> str:
    """The tables of a task's own, its reference learner's and its decision's parameters."""
    parts = [f"Task (`task.NAME`):\n\n{param_table(task.params, 'task.')}"]
    if task.reference_params:
        parts.append(f"Reference learner (`reference.NAME`):\n\n{param_table(task.reference_params, 'reference.')}")
    if task.decision_params:
        parts.append(f"Decision, the race to threshold (`decision.NAME`):\n\n"
                     f"{param_table(task.decision_params, 'decision.')}")
    return "\n".join(parts)


def _regions_page() -> str:
    from dopasim.circuits.regions import REGIONS

    out = ["# Region types\n",
           "Every region type with every parameter it declares. A region `R` of a circuit takes them as "
           "`--set circuit.R.NAME=VALUE` (Python: `graph.set(\"R.NAME\", value)`); the values a preset sets "
           "are on its [circuit page](../../circuits/index.md). `dopasim list regions` prints the same.\n"]
    for name, region in REGIONS.items():
        role = "input: Poisson cells (spiking) or rate units driven by the task" if region.is_input else (
            f"{region.kind} population")
        out.append(f"## `{name}`\n\n{region.summary} ({role}).\n")
        out.append(param_table(region.params))
    return "\n".join(out)


def _rules_page() -> str:
    from dopasim.circuits.graph import DOPAMINE_PARAMS, PROJECTION_PARAMS
    from dopasim.circuits.rules import BUILDERS  # noqa: F401 (the built-in rules' builders registered)
    from dopasim.models.plasticity import RULES

    out = ["# Projections and plasticity rules\n",
           "A projection `P` of a circuit takes these as `--set circuit.P.NAME=VALUE`. "
           "`dopasim list rules` prints the rules.\n",
           "## Every projection\n", param_table(PROJECTION_PARAMS),
           "## Dopamine projections\n", "A projection of sign `dopamine` has these as well.\n",
           param_table(DOPAMINE_PARAMS)]
    for name, rule in RULES.items():
        modes = " and ".join(rule.modes)
        gate = " It reads its target's dopamine, so the target needs a dopamine projection." if (
            rule.dopamine_gated) else ""
        out += [f"## Rule `{name}`\n", f"{rule.summary}. Runs in {modes} mode.{gate}\n", param_table(rule.params)]
    return "\n".join(out)


def _tasks_page() -> str:
    from dopasim.tasks import TASKS, GymTask

    out = ["# Tasks\n",
           "Every task's parameters (`dopasim list TASK` prints the same). Each task's page says what it "
           "models, its trial structure, measures and figures: [tasks](../../tasks/index.md).\n"]
    for name, task in [*TASKS.items(), ("gym:ENV_ID", GymTask)]:
        out += [f"## `{name}`\n",
                f"{task.summary}. Default circuit `{task.default_circuit}`, {task.default_trials} "
                f"{task.unit}. [Task page](../../tasks/{name.split(':')[0]}.md).\n",
                task_parameters(task)]
    return "\n".join(out)


def preset_arguments(name: str) -> list[tuple[str, object, str, str]]:
    """The keyword arguments a circuit preset takes: ``(name, default, unit, meaning)``."""
    from dopasim.circuits.presets import ARGUMENTS, PRESETS

    return [(arg, p.default, *ARGUMENTS.get(arg, ("", ""))) for arg, p in
            inspect.signature(PRESETS[name][0]).parameters.items()]


def preset_settings(name: str) -> list[tuple[str, str, object, Param]]:
    """What the preset sets away from the region types' and projections' defaults: ``(where, name, value, Param)``."""
    from dopasim.circuits.graph import declared_params
    from dopasim.circuits.presets import make_circuit
    from dopasim.circuits.regions import REGIONS

    graph = make_circuit(name)
    settings = []
    for region in graph.regions():
        node = graph.region(region)
        declared = REGIONS[node["region"]].params
        settings += [(region, key, value, declared[key]) for key, value in node["params"].items()
                     if key in declared and value != declared[key].default]
    for proj, _, _, data in graph.projections():
        declared = declared_params(data["sign"], data.get("rule"))
        settings += [(proj, key, value, declared[key]) for key, value in data["params"].items()
                     if key in declared and value != declared[key].default]
    return settings


def _preset_section(name: str) -> str:
    """A preset's arguments, regions, projections and the parameters it sets, as Markdown."""
    from dopasim.circuits.presets import make_circuit

    graph = make_circuit(name)
    out = ["Arguments (`dopasim.make_circuit(NAME, ARGUMENT=VALUE)`; a task shapes them to itself):\n",
           markdown_table(("argument", "default", "unit", "meaning"),
                          [(f"`{a}`", f"`{d}`", unit, meaning) for a, d, unit, meaning in preset_arguments(name)])]
    regions = [(f"`{r}`", f"`{graph.region(r)['region']}`") for r in graph.regions()]
    out += ["Regions:\n", markdown_table(("region", "type"), regions)]
    projections = [(f"`{p}`", f"`{s}` → `{t}`", d["sign"], d.get("rule") or "fixed")
                   for p, s, t, d in graph.projections()]
    out += ["Projections:\n", markdown_table(("projection", "from → to", "sign", "plasticity"), projections)]
    rows = [(f"`{where}.{key}`", f"`{value}`", p.unit, allowed(p), p.help)
            for where, key, value, p in preset_settings(name)]
    out += ["Parameters the preset sets away from the defaults:\n",
            markdown_table(("parameter", "value", "unit", "range or choices", "meaning"), rows) if rows else "None.\n"]
    return "\n".join(out)


def _presets_page() -> str:
    from dopasim.circuits.presets import PRESETS

    out = ["# Circuit presets\n",
           "Every preset: the arguments it takes (`dopasim.make_circuit(NAME, **arguments)`), its regions and "
           "projections, and every parameter it sets away from the type's default (the rest keep the defaults "
           "of the [region types](regions.md) and [projections and rules](rules.md)). Each is set with "
           "`--set circuit.REGION_OR_PROJECTION.NAME=VALUE`. What each circuit does: "
           "[circuits](../../circuits/index.md).\n"]
    for name, (_, summary) in PRESETS.items():
        out += [f"## `{name}`\n", f"{summary}. [Circuit page](../../circuits/{name}.md).\n", _preset_section(name)]
    return "\n".join(out)


def _diseases_page() -> str:
    from dopasim.circuits.diseases import DISEASES

    out = ["# Diseases\n",
           "Every disease preset: its mechanism, its paper and the lesion records it applies "
           "(`--disease NAME`; `disease=` in Python). A record whose region or projection a circuit lacks is "
           "skipped; `run.json` lists those applied. See [lesions and diseases](../../guide/lesions.md).\n"]
    for name, found in DISEASES.items():
        rows = [(f"`{rec['transform']}`", ", ".join(f"`{k}` = `{v}`" for k, v in rec.items() if k != "transform"))
                for rec in found.lesions]
        note = f"\n\nNot available: {found.unavailable}." if found.unavailable else ""
        out += [f"## `{name}`\n", f"{found.mechanism} ({found.paper}).{note}\n",
                markdown_table(("transform", "parameters"), rows)]
    return "\n".join(out)


def _cli_page() -> str:
    import os

    from dopasim.cli import build_parser

    os.environ["COLUMNS"] = "100"  # argparse wraps its help at the terminal's width: fix it
    parser = build_parser()
    out = ["# Command line\n", "Every command and option, from the parser itself (`dopasim COMMAND --help` "
           "prints the same). Bad input exits with status 2 and one line that names the bad value and the "
           "valid ones.\n", f"```text\n{parser.format_help()}```\n"]
    for action in parser._subparsers._group_actions:
        for command, sub in action.choices.items():
            out += [f"## `dopasim {command}`\n", f"```text\n{sub.format_help()}```\n"]
    return "\n".join(out)


#: the generated pages: file name -> writer
PAGES = {"regions.md": _regions_page, "rules.md": _rules_page, "tasks.md": _tasks_page,
         "presets.md": _presets_page, "diseases.md": _diseases_page, "cli.md": _cli_page}


def write_reference(folder: Path, checkout: Path) -> list[Path]:
    """Write every generated reference page into ``folder``; a page whose text did not change is left alone.

    Parameters
    ----------
    folder : Path
        where the pages go (the docs build uses ``docs/reference/generated``).
    checkout : Path
        the source tree whose committed results the speed and validation pages are written from
        (``benchmarks/results``, ``docs/validation``); the installed package does not carry them.

    Returns
    -------
    list of Path
        the pages.
    """
    texts = {name: page() for name, page in PAGES.items()}
    texts["speed.md"] = _speed_page(Path(checkout) / "benchmarks" / "results")
    return _write_all(Path(folder), texts) + write_snippets(Path(folder) / "snippets",
                                                            Path(checkout) / "docs" / "validation")


def _write_all(folder: Path, texts: dict[str, str]) -> list[Path]:
    """Each text to its file in ``folder``; a file whose text did not change is left alone (Sphinx then
    rebuilds only what changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        path = folder / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
    return [folder / name for name in texts]


#: the benchmarks whose committed results the speed page shows: file stem -> (title, what it measures)
BENCHMARKS = {
    "pavlovian_speed": ("A Pavlovian session, cold and warm",
                        "`dopasim run pavlovian --trials 150` (375 s simulated) in a fresh process, first with an "
                        "empty compile cache (compilation included), then warm."),
    "sessions": ("Where a session's time goes",
                 "Each session in a fresh process, compile cache warm: building the Brian2 objects (network), "
                 "compiling what changed, and the compiled simulation."),
    "closed_loop": ("The cost of the closed loop",
                    "A 300-trial bandit against the same circuit replaying the session's inputs without its task "
                    "logic; medians of 3 alternating runs."),
    "graph_layer": ("The graph layer against hand-written Brian2",
                    "The spiking `selection` circuit (4200 neurons, 20 s) built by dopasim and written by hand in "
                    "Brian2 with the same equations, one standalone run each; medians of 3."),
    "da_stdp": ("Dopamine-modulated STDP against NEST",
                "A network the size of Izhikevich (2007)'s (1000 LIF neurons, 80k plastic synapses, 10 s at "
                "0.25 ms) in dopasim and in NEST (`stdp_dopamine_synapse`), one thread each; medians of 3."),
    "cohort": ("Cohorts", "300-trial bandits on every core, compile cache warm, side by side: a `dopasim run` "
               "process per subject (what a shell loop does), `dopasim study bandit --trials 300` with one network "
               "per subject (`--batch 1`), and batches of several sizes; `equivalence` sets the same subjects' "
               "headline measures alone and batched beside each other (means, 95% CIs, Welch's p)."),
    "cohort_spiking": ("Cohorts, spiking mode", "As above, in spiking mode."),
    "sweep_speedup": ("Sweeps", "A 20-run `dopasim sweep` on 1 and 2 workers."),
}


def _scalar(value) -> bool:
    return isinstance(value, (int, float, str, bool)) or value is None


def _fmt(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_fmt(v) for v in value) + "]"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def benchmark_tables(record: dict) -> str:
    """A committed benchmark result as Markdown: its lists of runs and its named runs as tables, the rest as a list."""
    out, facts = [], []
    for key, value in record.items():
        if key in ("machine", "all_runs"):
            continue
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            cols = [c for c in value[0] if _scalar(value[0][c]) and "budget" not in c]
            out.append(markdown_table(tuple(f"`{c}`" for c in cols), [tuple(_fmt(v.get(c)) for c in cols)
                                                                        for v in value]))
        elif isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
            cols = [c for c in next(iter(value.values())) if _scalar(next(iter(value.values()))[c])]
            out.append(markdown_table(("", *(f"`{c}`" for c in cols)),
                                      [(name, *(_fmt(v.get(c)) for c in cols)) for name, v in value.items()]))
        elif isinstance(value, dict) and value and all(isinstance(v, list) and v and isinstance(v[0], dict)
                                                      for v in value.values()):
            for name, runs in value.items():
                cols = [c for c in runs[0]]
                out.append(f"`{key}`, {name}:\n\n" + markdown_table(
                    tuple(f"`{c}`" for c in cols), [tuple(_fmt(v.get(c)) for c in cols) for v in runs]))
        elif isinstance(value, dict) and value and all(_scalar(v) for v in value.values()):
            facts.append(f"`{key}`: " + ", ".join(f"{k} {_fmt(v)}" for k, v in value.items()))
        elif _scalar(value):
            facts.append(f"`{key}`: {_fmt(value)}")
    if facts:
        out.append("\n".join(f"- {fact}" for fact in facts) + "\n")
    return "\n".join(out)


def machine_line(record: dict) -> str:
    m = record.get("machine", {})
    date = f", {m['date']}" if "date" in m else ""
    return f"{m.get('cores', '?')} cores, {m.get('cpu', '?')}, Python {m.get('python', '?')}{date}"


def _speed_page(results: Path) -> str:
    out = ["# Speed\n",
           "Every session is one run of Brian2's C++ standalone device (see [design](../../design/standalone.md)). "
           "The tables are written from the committed results in `benchmarks/results/`; each section names the "
           "command that measures it again (and rewrites its file).\n"]
    for stem, (title, what) in BENCHMARKS.items():
        path = Path(results) / f"{stem}.json"
        if not path.exists():
            continue
        record = json.loads(path.read_text())
        out += [f"## {title}\n", f"{what} Machine: {machine_line(record)}. "
                f"Regenerate: `python benchmarks/{stem if stem != 'closed_loop' else 'sessions'}.py"
                f"{' --loop-only' if stem == 'closed_loop' else ''}`.\n", benchmark_tables(record)]
    return "\n".join(out)


def _validation_records(folder: Path) -> dict[str, dict[str, dict]]:
    """The committed validation results: finding -> mode -> its record."""
    found: dict[str, dict[str, dict]] = {}
    for path in sorted(Path(folder).glob("*/validation.json")):
        for f in json.loads(path.read_text())["findings"]:
            found.setdefault(f["finding"], {})[f["mode"]] = f
    return found


def findings_table(findings: list, records: dict[str, dict[str, dict]]) -> str:
    """The registered findings ``findings`` with what the committed validation measured in each mode."""
    if not findings:
        return "No registered finding: the figures on this page are single runs, not cohort results.\n"

    def result(f, mode):
        if mode not in f.modes:
            return "not claimed"
        r = records.get(f.name, {}).get(mode)
        if r is None:
            return "not yet validated"
        verdict = "holds" if r["holds"] else "does not hold"
        n = "/".join(map(str, r["n"].values())) if isinstance(r["n"], dict) else r["n"]
        return f"{r['effect']:.2f} [{r['ci_low']:.2f}, {r['ci_high']:.2f}], n = {n}: {verdict}"

    rows = [(f"`{f.name}`", f"{f.claim} ({f.paper})", f"{f.measured()} {f.expect} {f.threshold:.3g}",
             result(f, "rate"), result(f, "spiking")) for f in findings]
    return markdown_table(("finding", "claim", "measure", "rate", "spiking"), rows)


def circuit_of(finding) -> str:
    """The circuit a finding's subjects run: its own, or its task's default."""
    from dopasim.tasks import GYM_PREFIX, TASKS, GymTask

    if finding.circuit is not None:
        return finding.circuit
    task = GymTask if finding.task.startswith(GYM_PREFIX) else TASKS[finding.task]
    return task.default_circuit


def figures_table(task) -> str:
    """The figures a task draws into ``figures/``, each with the first line of its function's docstring."""
    rows = [("`circuit.png`", "the circuit graph"),
            ("`activity.png`", "first and last trial: rasters (spiking) or rates (rate) of every region")]
    for name, draw in task.figures().items():
        rows.append((f"`{name}.png`", (inspect.getdoc(draw) or "").split("\n")[0]))
    return markdown_table(("file", "what it shows"), rows)


def write_snippets(folder: Path, validation: Path) -> list[Path]:
    """The generated parts of each task and circuit page (parameters, figures, findings), one file each."""
    from dopasim.circuits.presets import PRESETS
    from dopasim.tasks import TASKS, GymTask
    from dopasim.validation import FINDINGS

    records = _validation_records(validation)
    texts = {}
    for name, task in [*TASKS.items(), ("gym", GymTask)]:
        instance = task()
        texts[f"task-{name}-params.md"] = task_parameters(task)
        texts[f"task-{name}-figures.md"] = figures_table(instance)
        mine = [f for f in FINDINGS.values() if f.task.split(":")[0] == name]
        texts[f"task-{name}-findings.md"] = findings_table(mine, records)
    for name in PRESETS:
        texts[f"circuit-{name}.md"] = _preset_section(name)
        mine = [f for f in FINDINGS.values() if circuit_of(f) == name]
        texts[f"circuit-{name}-findings.md"] = findings_table(mine, records)
    return _write_all(Path(folder), texts)


#: the lines around the generated speed figures in a document (the README)
SPEED_BEGIN = "<!-- speed: generated from benchmarks/results/*.json by python -m dopasim.reference README.md -->"
SPEED_END = "<!-- end of speed -->"


#: how ``benchmarks/cohort.py`` ran a cohort: subjects by `dopasim study` (``batch`` to a network), or a
#: `dopasim run` process each
STUDY, PROCESS = "dopasim study", "a process per subject"


def speed_block(results: Path) -> str:
    """The headline speed figures, from the committed benchmark results, as a Markdown table."""
    def load(stem):
        return json.loads((Path(results) / f"{stem}.json").read_text())

    pav = {r["mode"]: r for r in load("pavlovian_speed")["runs"]}
    sessions = {(s["task"], s["mode"]): s for s in load("sessions")["sessions"]}
    nest, layer = load("da_stdp"), load("graph_layer")

    def cohort(stem):
        if not (Path(results) / f"{stem}.json").exists():
            return ""
        runs = load(stem)["runs"]
        studies = [r for r in runs if r.get("how", STUDY) == STUDY]
        alone = next(r for r in studies if r["batch"] == 1)
        best = max(studies, key=lambda r: r["subjects_per_minute"])
        process = next((r for r in runs if r.get("how") == PROCESS), None)
        ratios = [f"{best['subjects_per_minute'] / alone['subjects_per_minute']:.1f}x a network each"]
        if process:
            ratios.append(f"{best['subjects_per_minute'] / process['subjects_per_minute']:.1f}x a process each")
        return (" / ".join(f"{r['subjects_per_minute']:.0f}" for r in ([process] if process else []) + [alone, best])
                + f" (batch {best['batch']}: {', '.join(ratios)}; {alone['subjects']} subjects)")
    rows = [
        ("`dopasim run pavlovian --trials 150`, first run (compiling) / warm",
         f"{pav['rate']['cold_s']:.1f} s / {pav['rate']['warm_s']:.1f} s",
         f"{pav['spiking']['cold_s']:.1f} s / {pav['spiking']['warm_s']:.1f} s"),
        ("300-trial closed-loop bandit, one session (warm)", f"{sessions['bandit', 'rate']['wall_s']:.1f} s",
         f"{sessions['bandit', 'spiking']['wall_s']:.1f} s"),
        ("simulated seconds per wall second, 200 Pavlovian trials",
         f"{sessions['pavlovian', 'rate']['simulated_per_wall_s']:.0f}",
         f"{sessions['pavlovian', 'spiking']['simulated_per_wall_s']:.0f}"),
        ("a cohort of 300-trial bandits on every core, subjects per minute: a `dopasim run` process each / "
         "`dopasim study` with a network each / batched",
         cohort("cohort"), cohort("cohort_spiking")),
        ("a DA-STDP network (1000 LIF, 80k plastic synapses, 10 s): NEST's simulation time / dopasim's", "",
         f"{nest['nest_over_dopasim']['simulation_s']:.1f}"),
        ("the graph layer against the same network in hand-written Brian2 (simulation time)", "",
         f"{layer['ratio']['simulation_s']:.2f}"),
    ]
    return (f"Measured on {machine_line(load('pavlovian_speed'))} "
            f"(the results are in [`benchmarks/results/`](benchmarks/results/); the documentation's Speed page "
            f"has every benchmark and the command that reruns it):\n\n"
            + markdown_table(("", "rate", "spiking"), rows))


def update_speed(document: Path) -> str:
    """``document``'s text with the block between :data:`SPEED_BEGIN` and :data:`SPEED_END` regenerated
    from the ``benchmarks/results`` beside it (the README sits at the top of the source tree)."""
    text = Path(document).read_text()
    if SPEED_BEGIN not in text or SPEED_END not in text:
        raise SystemExit(f"{document} has no speed block ({SPEED_BEGIN} ... {SPEED_END})")
    head, rest = text.split(SPEED_BEGIN, 1)
    block = speed_block(Path(document).parent / "benchmarks" / "results")
    return f"{head}{SPEED_BEGIN}\n{block}{SPEED_END}{rest.split(SPEED_END, 1)[1]}"


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        raise SystemExit("usage: python -m dopasim.reference README.md (regenerates its speed block)")
    Path(sys.argv[1]).write_text(update_speed(Path(sys.argv[1])))
