"""Run findings on fresh cohorts on the sweep engine, resumable.

The subjects of one group of one protocol share networks, ``batch`` to a
simulation (:mod:`dopasim.circuits.batch`; ``batch=1``: a network each, with
Brian2's own random stream); tasks that cannot be batched and probes run one
subject at a time. Each subject's run directory is ``OUT/subjects/PROTOCOL/MODE/GROUP-sNN``
(findings that run the same protocol share their subjects); it appears only
once complete, and a subject whose directory exists is not run again, so a
validation killed and started again into the same ``OUT`` runs only the
subjects it lacks. A stored subject whose settings differ from what its
protocol gives now (a default changed since) is refused, not reused. At the
end come the statistics (``validation.json``) and the report (``report.md``,
``figures/``), written whole each time.
"""

from __future__ import annotations

import json
import math
import os
import platform
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from dopasim.params import ConfigError
from dopasim.study import DEFAULT_BATCH, MAX_SUBJECTS, batches, check_batch, compare, run_batch_into, run_into, \
    subject_seed
from dopasim.validation import Finding

FILENAME = "validation.json"


def seed_of(validation_seed: int, finding: Finding, mode: str, group: str, subject: int) -> int:
    """A subject's seed, drawn by the study engine from the validation's seed, the protocol it runs, the mode
    and its group."""
    return subject_seed(validation_seed, f"{finding.protocol(mode, group)}/{mode}/{group}", subject)


#: what must match between a stored subject's run.json and its protocol today for the subject to be reused
SETTINGS = ("task", "circuit", "reference", "decision", "disease", "mode", "trials")


def check(pairs: list[tuple[Finding, str]], subjects: int) -> dict[tuple[str, str], dict]:
    """Every finding's protocol configured in each of its modes before any subject runs.

    Returns the resolved settings (as run.json records them, as plain JSON) of each ``(protocol, mode)``.
    """
    from dopasim.circuits.resolution import check_mode
    from dopasim.experiment import check_run_args, configure, resolved_config

    if isinstance(subjects, bool) or not isinstance(subjects, int) or not 1 <= subjects <= MAX_SUBJECTS:
        raise ConfigError(f"subjects={subjects!r} must be a whole number from 1 to {MAX_SUBJECTS}")
    settings = {}
    for finding, mode in pairs:
        for group in finding.groups:
            key = (finding.protocol(mode, group), mode)
            if key in settings:
                continue
            if finding.probe is not None:
                check_mode(mode)
                settings[key] = {"probe": finding.probe_name, "mode": mode}
                continue
            try:
                the_task, graph, reference, decision = configure(finding.task, finding.circuit,
                                                                 dict(finding.sets_of(group)),
                                                                 finding.disease_of(group), None, mode)
                trials = finding.trials_in(mode)
                trials = the_task.default_trials if trials is None else trials
                check_run_args(mode, trials, 1)
            except ConfigError as err:
                raise ConfigError(f"finding {finding.name!r} ({mode}, {group}): {err}") from None
            config = resolved_config(the_task, graph, reference, decision, finding.disease_of(group), mode, trials,
                                     0)
            settings[key] = json.loads(json.dumps({k: config[k] for k in SETTINGS}, default=str))
    return settings


def check_stored(folder: Path, expected: dict, streams: str = "brian2") -> None:
    """Refuse a stored subject run with other settings than its protocol gives now (a default changed since),
    or drawn from other random streams (alone against batched) than this validation's."""
    stored = json.loads((folder / "run.json").read_text())
    changed = [k for k in expected if stored.get(k) != expected[k]]
    if changed:
        raise ConfigError(f"{folder} was run with other {', '.join(changed)} settings than its protocol gives now "
                          "(a default changed since): validate into a new --out")
    if "probe" not in expected and stored.get("random_streams", "brian2") != streams:
        raise ConfigError(f"{folder} drew its random numbers from {stored.get('random_streams', 'brian2')!r} "
                          f"streams and this validation from {streams!r} (--batch 1: 'brian2', more: 'subject'): "
                          "validate into a new --out, or with the --batch it was run with")


def _subject(folder: Path, finding: Finding, mode: str, group: str, seed: int) -> tuple[str, dict]:
    if finding.probe is not None:
        return str(folder), _probe_into(folder, finding, mode, seed)
    summary = run_into(folder, finding.task, finding.circuit, mode, finding.trials_in(mode), seed,
                       dict(finding.sets_of(group)), finding.disease_of(group), [])
    return str(folder), summary


def _batch(folders: list[Path], finding: Finding, mode: str, group: str, seeds: list[int]) -> list[Path]:
    run_batch_into(folders, finding.task, finding.circuit, mode, finding.trials_in(mode), seeds,
                   dict(finding.sets_of(group)), finding.disease_of(group), [])
    return folders


def batchable(finding: Finding) -> bool:
    """Whether a finding's subjects can share networks: not a probe, and a task that runs batched."""
    from dopasim.tasks import make

    return finding.probe is None and make(finding.task).batchable


def _probe_into(folder: Path, finding: Finding, mode: str, seed: int) -> dict:
    """A probe subject's folder: ``run.json`` (probe, mode, seed) and ``summary.json``, written whole."""
    from dopasim.experiment import atomic_directory

    if not (folder / "summary.json").exists():
        summary = finding.probe(mode, seed)
        with atomic_directory(folder) as tmp:
            (tmp / "run.json").write_text(json.dumps({"probe": finding.probe_name, "mode": mode, "seed": seed},
                                                     indent=1) + "\n")
            (tmp / "summary.json").write_text(json.dumps(summary, indent=1) + "\n")
    return json.loads((folder / "summary.json").read_text())


def run_validation(pairs: list[tuple[Finding, str]], out: Path, subjects: int = 10, seed: int = 1,
                   workers: int | None = None, progress: bool = True, scheduler: str | None = None,
                   command: str = "", batch: int = DEFAULT_BATCH) -> dict:
    """Run every subject of every (finding, mode) in ``pairs`` not yet complete under ``out``, ``batch`` of a
    group to a network; write the statistics and the report. Returns what ``validation.json`` holds."""
    from dopasim.experiment import remove_unfinished
    from dopasim.sweep import run_calls
    from dopasim.validation.report import write_report

    settings = check(pairs, subjects)
    check_batch(batch)
    started = time.perf_counter()
    out = Path(out)
    plan = []  # (finding, mode, group, subject, seed, folder)
    for finding, mode in pairs:
        for group in finding.groups:
            parent = out / "subjects" / finding.protocol(mode, group) / mode
            parent.mkdir(parents=True, exist_ok=True)
            remove_unfinished(parent)
            for s in range(finding.cohort(subjects)):
                plan.append((finding, mode, group, s, seed_of(seed, finding, mode, group, s),
                             (parent / f"{group}-s{s:02d}").resolve()))
    # findings that run the same protocol share its subjects: each runs once
    unique = {p[5]: p for p in plan}
    missing = [p for folder, p in unique.items() if not (folder / "summary.json").exists()]
    together = {id(f): batch > 1 and batchable(f) for f, _ in pairs}
    for finding, mode, group, _, _, folder in unique.values():
        if (folder / "summary.json").exists():
            check_stored(folder, settings[(finding.protocol(mode, group), mode)],
                         "subject" if together[id(finding)] else "brian2")
    if progress:
        print(f"dopasim: {len(pairs)} finding x mode, {len(unique)} subjects, {len(unique) - len(missing)} "
              "already complete", file=sys.stderr)
    calls, cohorts = [], {}  # the batches first: the longest calls
    for p in missing:
        if together[id(p[0])]:
            cohorts.setdefault((p[0].protocol(p[1], p[2]), p[1]), []).append(p)
    for cohort in cohorts.values():
        for chunk in batches(cohort, batch):
            finding, mode, group = chunk[0][:3]
            calls.append((_batch, [p[5] for p in chunk], finding, mode, group, [p[4] for p in chunk]))
    calls += [(_subject, p[5], p[0], p[1], p[2], p[4]) for p in missing if not together[id(p[0])]]
    outcome = run_calls(calls, workers, progress, "validate", "network" if cohorts else "subject", scheduler)
    results = []
    for finding, mode in pairs:
        values = {}
        for group in finding.groups:
            folders = [p[5] for p in plan if p[0] is finding and p[1] == mode and p[2] == group]
            values[group] = [finding.value(json.loads((f / "summary.json").read_text())) for f in folders]
        results.append(judge(finding, mode, values))
    now = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "wall_s": round(time.perf_counter() - started, 1), "subjects_run": len(missing),
           "restarts": outcome.restarts}
    history = _history(out / FILENAME) + [now]
    record = {"command": command, "seed": seed, "subjects_per_group": subjects, "date": now["date"],
              "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
                         f"Python {platform.python_version()}",
              "workers": workers or os.cpu_count(), "subjects_run": sum(h["subjects_run"] for h in history),
              "wall_s": round(sum(h["wall_s"] for h in history), 1), "invocations": history, "findings": results}
    write_report(record, out)
    return record


def _history(previous: Path) -> list[dict]:
    """The earlier invocations into this directory (a resumed or repeated validation): their times add up."""
    try:
        return list(json.loads(previous.read_text()).get("invocations", []))
    except (OSError, ValueError, AttributeError):
        return []


def judge(finding: Finding, mode: str, values: dict[str, list]) -> dict:
    """A finding's statistics in one mode: n, effect, its 95% CI, p, and whether it holds.

    One group: the mean against the threshold (one-sample t-test, t interval);
    with ``each_above``, the fraction of subjects above it against the
    threshold (exact binomial test, Clopper-Pearson interval). Two groups: the
    difference of the means (``group`` minus ``against``), Welch's test and
    interval. It holds when the whole interval lies on the expected side of
    the threshold.
    """
    from scipy import stats

    clean = {g: np.array([v for v in vs if v is not None and math.isfinite(v)], dtype=float)
             for g, vs in values.items()}
    row = {"finding": finding.name, "mode": mode, "paper": finding.paper, "claim": finding.claim,
           "task": finding.task, "measured": finding.measured(), "expect": finding.expect,
           "threshold": finding.threshold, "values": {g: [_num(v) for v in vs] for g, vs in values.items()},
           "n": {g: int(len(v)) for g, v in clean.items()}, "effect": None, "ci_low": None, "ci_high": None,
           "p": None, "holds": False}
    if finding.each_above is not None:
        v = clean[finding.group]
        if len(v):
            hits = int((v > finding.each_above).sum())
            test = stats.binomtest(hits, len(v), finding.threshold,
                                   alternative="greater" if finding.expect == "above" else "less")
            ci = stats.binomtest(hits, len(v)).proportion_ci(0.95, method="exact")  # two-sided, as the t interval
            row.update(effect=hits / len(v), ci_low=ci.low, ci_high=ci.high, p=test.pvalue,
                       each_above=finding.each_above)
    elif finding.against is None:
        v = clean[finding.group]
        if len(v) >= 2:
            mean, sem = v.mean(), v.std(ddof=1) / math.sqrt(len(v))
            half = stats.t.ppf(0.975, len(v) - 1) * sem
            with warnings.catch_warnings():  # subjects alike to the last bits (a noiseless rate circuit)
                warnings.simplefilter("ignore", RuntimeWarning)
                p = stats.ttest_1samp(v, finding.threshold).pvalue if sem > 0 else float(mean == finding.threshold)
            row.update(effect=mean, ci_low=mean - half, ci_high=mean + half, p=float(p))
    else:
        c = compare(clean[finding.against], clean[finding.group])
        row.update(effect=c["difference"], ci_low=c["ci_low"], ci_high=c["ci_high"], p=c["p"])
        if c["difference"] is not None and c["ci_low"] is None:  # both groups without spread
            row.update(ci_low=c["difference"], ci_high=c["difference"], p=0.0)
    if row["ci_low"] is not None:
        row["holds"] = bool(row["ci_low"] > finding.threshold if finding.expect == "above"
                            else row["ci_high"] < finding.threshold)
    for key in ("effect", "ci_low", "ci_high"):
        row[key] = _num(row[key])
    row["p"] = None if row["p"] is None or not math.isfinite(row["p"]) else float(f"{row['p']:.3g}")
    return row


def _num(x):
    if x is None:
        return None
    x = float(x)
    return round(x, 6) if math.isfinite(x) else None
