"""Cohort studies: groups of virtual subjects, healthy and lesioned, run in parallel and compared.

Each subject is one run with a seed of its own. Groups are the healthy circuit,
each disease preset, and each level of a graded lesion (cell loss of one
region, for a dose-response curve). A subject's seed is drawn from the study's
seed, its group's name and its number, so no two subjects share a seed, and
adding a group leaves the seeds of the others as they were.

Subjects of a group share networks (:mod:`dopasim.circuits.batch`): ``batch``
of them to one simulation by default (``--batch 1``: a network each). The
study directory fills as subjects complete, so a study that was stopped or
killed is resumed by running it again into the same directory: only the
subjects it lacks are run. Its tables and figures appear once every subject
has run, ``subjects.csv`` last.

Output:

``study.json``
    the study's design (a rerun into the directory must match it).

``subjects.csv``
    one row per subject: ``group``, ``disease``, ``lesion_region``,
    ``lesion_fraction``, ``subject``, ``seed``, then the task's headline
    measures (its ``summary.json``).
``stats.csv``
    per measure and group against healthy: means, s.d., n, Welch's t-test
    (``t``, ``p``), Hedges' g and the 95% confidence interval of the
    difference of means; for lesion levels also Spearman's rho and its p over
    (fraction, measure).
``figures/``
    group bars with every subject as a point, and a dose-response curve per
    measure when there are lesion levels.
``subjects/GROUP-sNN/``
    each subject's own run directory (``run.json``, ``summary.json``, ``trials.csv``).
"""

from __future__ import annotations

import csv
import fcntl
import json
import math
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dopasim.params import ConfigError

HEALTHY = "healthy"
MAX_SUBJECTS = 10_000
#: subjects per network unless told otherwise: measured best on 2 cores by benchmarks/cohort.py
DEFAULT_BATCH = 25


@dataclass(frozen=True)
class Group:
    name: str
    disease: str | None = None
    lesion_region: str | None = None
    lesion_fraction: float | None = None

    @property
    def lesions(self) -> list[dict]:
        if self.lesion_region is None or not self.lesion_fraction:
            return []
        return [{"transform": "kill_cells", "region": self.lesion_region, "fraction": self.lesion_fraction}]


@dataclass
class Study:
    """A cohort: groups of virtual subjects of one task, each subject with a seed of its own.

    Attributes
    ----------
    task : str
        the task every subject runs.
    groups : list of Group
        healthy, each disease, each lesion level (:func:`make_groups`).
    subjects : int
        subjects per group.
    mode : str
        rate or spiking.
    trials : int, optional
        trials per subject (default: the task's).
    seed : int
        the study's seed; each subject's comes from it, its group's name and its number.
    sets : dict
        ``--set`` values every subject shares.
    circuit : str, optional
        a circuit preset (default: the task's).
    """

    task: str
    groups: list[Group]
    subjects: int = 5
    mode: str = "rate"
    trials: int | None = None
    seed: int = 1
    sets: dict[str, str] = field(default_factory=dict)
    circuit: str | None = None

    def seeds(self, group: Group) -> list[int]:
        return [subject_seed(self.seed, group.name, s) for s in range(self.subjects)]


def make_groups(diseases: list[str], lesion_region: str | None = None,
                lesion_levels: list[float] | None = None) -> list[Group]:
    """Healthy first, then each disease, then each level of cell loss in ``lesion_region``.

    Parameters
    ----------
    diseases : list of str
        disease presets, one group each
    lesion_region : str, optional
        the region of the lesion levels
    lesion_levels : list of float, optional
        fractions of its cells lost, one group each
    """
    groups = [Group(HEALTHY)]
    for name in diseases:
        if name == HEALTHY or name in (g.name for g in groups):
            raise ConfigError(f"--disease {name!r} is named twice (healthy is always included)")
        groups.append(Group(name, disease=name))
    for level in lesion_levels or []:
        if not 0.0 <= level <= 1.0:
            raise ConfigError(f"lesion level {level} must be a fraction of cells from 0 to 1")
        if level > 0:
            groups.append(Group(f"{lesion_region}={level:g}", lesion_region=lesion_region, lesion_fraction=level))
    return groups


def subject_seed(study_seed: int, group: str, subject: int) -> int:
    """The seed of subject ``subject`` of ``group``: the same on every rerun, different for every subject."""
    entropy = [study_seed, zlib.crc32(group.encode()), subject]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0] % (2**31 - 1))


def check(study: Study) -> None:
    """Every group configured once, before any subject runs: bad input fails at the edge."""
    from dopasim.experiment import check_run_args, configure

    if isinstance(study.subjects, bool) or not isinstance(study.subjects, int) or \
            not 1 <= study.subjects <= MAX_SUBJECTS:
        raise ConfigError(f"subjects={study.subjects!r} must be a whole number from 1 to {MAX_SUBJECTS}")
    for group in study.groups:
        the_task, _, _, _ = configure(study.task, study.circuit, study.sets, group.disease, group.lesions,
                                      study.mode)
        trials = the_task.default_trials if study.trials is None else study.trials
        check_run_args(study.mode, trials, study.seed)
    seeds = [s for g in study.groups for s in study.seeds(g)]
    if len(set(seeds)) != len(seeds):  # vanishingly rare; say so rather than run a cohort with twins
        raise ConfigError(f"study seed {study.seed} gives two subjects the same seed; choose another --seed")


_BUILD_ROOT = None
_SLOT_LOCK = None


def _worker_build_root() -> Path:
    """A build root of this worker's own, kept across studies so its compiled code is reused.

    Workers take the first free numbered slot (a lock held for the life of the
    process); slot 0 is the root single runs use, whose cache it shares.
    """
    from dopasim.circuits.build import default_build_root

    global _SLOT_LOCK
    base = default_build_root()
    base.mkdir(parents=True, exist_ok=True)
    for slot in range(256):
        lock = open(base / f"worker{slot}.slot", "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            continue
        _SLOT_LOCK = lock
        return base if slot == 0 else base / f"worker{slot}"
    return Path(tempfile.mkdtemp(prefix="dopasim-build-"))


def worker_build_root() -> Path:
    """This worker process's build root (see :func:`_worker_build_root`), taken once."""
    global _BUILD_ROOT
    if _BUILD_ROOT is None:
        _BUILD_ROOT = _worker_build_root()
    return _BUILD_ROOT


def check_batch(size) -> None:
    """``size`` subjects per network must be a whole number, 1 or more."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ConfigError(f"batch={size!r} must be a whole number of subjects per network, 1 or more")


def batches(items: list, size: int, at_least: int = 1) -> list[list]:
    """``items`` in consecutive batches of at most ``size``, as even as can be, and at least ``at_least`` of
    them (so that every worker has one) where there are that many items."""
    check_batch(size)
    n = len(items)
    count = min(n, max(math.ceil(n / size), at_least))
    bounds = np.linspace(0, n, count + 1).round().astype(int)
    return [items[a:b] for a, b in zip(bounds, bounds[1:])]


def run_batch_into(folders: list[Path], task: str, circuit: str | None, mode: str, trials: int | None,
                   seeds: list[int], sets: dict, disease: str | None, lesions: list[dict],
                   references: list[dict] | None = None, batched: bool = True) -> list[dict]:
    """A worker's batch: the subjects whose ``folders`` lack a complete run share one network (the others
    were run by a lost worker before), or run one network each (not ``batched``); every folder's summary.

    ``references``: each folder's reference-learner settings (names without ``reference.``) over those of
    ``sets``. Folders of one seed then differ only in the reference, which replays the circuit's trials and
    never moves them: the seed's circuit runs once, and each folder gets its own reference beside it.
    """
    from dopasim.experiment import run, run_batch

    missing = [k for k, folder in enumerate(folders) if not (folder / "summary.json").exists()]
    once = list(dict.fromkeys(seeds[k] for k in missing))
    if batched and once:
        ran = run_batch(task, circuit, mode, trials, once, sets, disease, lesions, progress=False,
                        build_root=worker_build_root())
    else:
        ran = [run(task, circuit, mode, trials, seed, sets, disease, lesions, progress=False,
                   build_root=worker_build_root()) for seed in once]
    by_seed = dict(zip(once, ran))
    for k in missing:
        res = by_seed[seeds[k]]
        if references and references[k]:
            res = res.with_reference(references[k])
        res.write(folders[k], figures=False)
    return [json.loads((folder / "summary.json").read_text()) for folder in folders]


def run_into(folder: Path, task: str, circuit: str | None, mode: str, trials: int | None, seed: int,
             sets: dict, disease: str | None, lesions: list[dict]) -> dict:
    """A worker's run, written into ``folder`` unless already complete there (a lost worker's run handed out
    again); its summary."""
    return run_batch_into([folder], task, circuit, mode, trials, [seed], sets, disease, lesions, batched=False)[0]


def _row(group: Group, subject: int, seed: int, summary: dict) -> dict:
    return {"group": group.name, "disease": group.disease or HEALTHY,
            "lesion_region": group.lesion_region or "", "lesion_fraction": group.lesion_fraction or 0.0,
            "subject": subject, "seed": seed, **summary}


def _run_subjects(study: Study, group: Group, subjects: list[tuple[int, int, Path]], batched: bool) -> list[dict]:
    """Subjects ``(number, seed, folder)`` of one group, in one network (``batched``) or one each: their
    rows of the table."""
    numbers, seeds, folders = zip(*subjects)
    if batched:
        summaries = run_batch_into(list(folders), study.task, study.circuit, study.mode, study.trials,
                                   list(seeds), study.sets, group.disease, group.lesions)
    else:
        summaries = [run_into(folder, study.task, study.circuit, study.mode, study.trials, seed, study.sets,
                              group.disease, group.lesions) for folder, seed in zip(folders, seeds)]
    return [_row(group, s, seed, summary) for s, seed, summary in zip(numbers, seeds, summaries)]


def design(study: Study, batched: bool) -> dict:
    """What fixes a study's subjects: recorded in ``study.json``; a resumed study must have the same."""
    from dataclasses import asdict

    return {**asdict(study), "random_streams": "subject" if batched else "brian2"}


def _claim(out: Path, plan: dict) -> None:
    """Make ``out`` this study's directory, or check that it already is (a resumed study)."""
    from dopasim.experiment import remove_unfinished

    record = out / "study.json"
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        if not record.exists():
            raise ConfigError(f"output directory {str(out)!r} exists and is not a study's; choose another --out")
        found = json.loads(record.read_text())
        if found != json.loads(json.dumps(plan)):
            differ = sorted(k for k in set(found) | set(plan) if found.get(k) != json.loads(json.dumps(plan)).get(k))
            raise ConfigError(f"{str(out)!r} holds another study (it differs in {', '.join(differ)}); run the same "
                              "study to resume it, or choose another --out")
        remove_unfinished(out / "subjects")  # a killed study's half-written subjects
        return
    out.mkdir(parents=True, exist_ok=True)
    partial = out / ".study.json.part"
    partial.write_text(json.dumps(plan, indent=2) + "\n")
    partial.replace(record)


def run_study(study: Study, out: Path, workers: int | None = None, progress: bool = True,
              scheduler: str | None = None, batch: int = DEFAULT_BATCH) -> dict:
    """Run every subject of every group on ``workers`` processes (or the Dask cluster at ``scheduler``, as
    :func:`dopasim.sweep.run_calls`), ``batch`` subjects to a network; write the study directory ``out``.

    Returns ``{"rows": [...], "stats": [...], "ran": n, "skipped": n, "restarts": n}`` (``restarts``: lost
    workers whose subjects were handed out again). A study run again into the
    same ``out`` runs only the subjects it lacks (it was stopped or killed); ``subjects.csv`` appears
    last, once every subject has run and the statistics and figures are written.

    Parameters
    ----------
    study : Study
        the cohort
    out : Path
        the study directory to write (or to resume)
    workers : int, optional
        local worker processes (default one per core)
    progress : bool
        draw a progress bar
    scheduler : str, optional
        a Dask scheduler's address instead of local processes
    batch : int
        subjects per network (1: a network each; a task that ends its sessions early always runs so)
    """
    import os

    from dopasim.analysis.plots import study_figures
    from dopasim.sweep import run_calls
    from dopasim.tasks import make

    check(study)
    check_batch(batch)
    batched = batch > 1 and make(study.task).batchable
    out = Path(out).resolve()  # workers may start elsewhere
    _claim(out, design(study, batched))
    rows, calls, skipped, restarts = [], [], 0, 0
    cores = workers or os.cpu_count() or 1
    for group in study.groups:
        subjects = []
        for s, seed in enumerate(study.seeds(group)):
            folder = out / "subjects" / f"{group.name}-s{s:02d}"
            if (folder / "summary.json").exists():
                rows.append(_row(group, s, seed, json.loads((folder / "summary.json").read_text())))
                skipped += 1
            else:
                subjects.append((s, seed, folder))
        size = batch if batched else 1
        for chunk in batches(subjects, size, math.ceil(cores / len(study.groups)) if batched else 1):
            calls.append((_run_subjects, study, group, chunk, batched))
    if calls:
        outcome = run_calls(calls, workers, progress, "study", "batch" if batched else "subject", scheduler)
        rows += [row for rows_of_call in outcome.results for row in rows_of_call]
        restarts = outcome.restarts
    order = {g.name: i for i, g in enumerate(study.groups)}
    rows.sort(key=lambda r: (order[r["group"]], r["subject"]))
    stats = group_stats(rows)
    _write_table(out / "stats.csv", stats)
    study_figures(rows, out / "figures")
    _write_table(out / "subjects.csv", rows)
    return {"rows": rows, "stats": stats, "ran": len(rows) - skipped, "skipped": skipped, "restarts": restarts}


def measures(rows: list[dict]) -> list[str]:
    """The headline measures in the table: numeric columns after the design columns."""
    design = {"group", "disease", "lesion_region", "lesion_fraction", "subject", "seed"}
    names = [k for k in rows[0] if k not in design]
    return [k for k in names if any(isinstance(r.get(k), (int, float)) and r[k] is not None for r in rows)]


def _values(rows, group, measure) -> np.ndarray:
    v = [r[measure] for r in rows if r["group"] == group and r.get(measure) is not None]
    return np.array([x for x in v if isinstance(x, (int, float)) and math.isfinite(x)], dtype=float)


def compare(a: np.ndarray, b: np.ndarray) -> dict:
    """Group ``b`` against ``a``: Welch's t-test, Hedges' g and the 95% CI of mean(b) - mean(a)."""
    from scipy import stats

    out = {"mean_healthy": a.mean() if len(a) else None, "mean_group": b.mean() if len(b) else None,
           "sd_healthy": a.std(ddof=1) if len(a) > 1 else None, "sd_group": b.std(ddof=1) if len(b) > 1 else None,
           "n_healthy": len(a), "n_group": len(b), "difference": None, "t": None, "p": None, "hedges_g": None,
           "ci_low": None, "ci_high": None}
    if len(a) < 2 or len(b) < 2:
        return out
    diff = b.mean() - a.mean()
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    out["difference"] = diff
    if va + vb == 0:
        return out
    test = stats.ttest_ind(b, a, equal_var=False)
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = stats.t.ppf(0.975, df) * math.sqrt(va + vb)
    pooled = math.sqrt(((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2))
    correction = 1 - 3 / (4 * (len(a) + len(b)) - 9)
    out.update(t=float(test.statistic), p=float(test.pvalue), ci_low=diff - half, ci_high=diff + half,
               hedges_g=diff / pooled * correction if pooled > 0 else None)
    return out


def group_stats(rows: list[dict]) -> list[dict]:
    """Every group against healthy, per measure; and the dose-response trend over lesion levels."""
    from scipy import stats

    groups = list(dict.fromkeys(r["group"] for r in rows))
    table = []
    for measure in measures(rows):
        healthy = _values(rows, HEALTHY, measure)
        for group in groups[1:]:
            table.append({"measure": measure, "group": group, "test": "welch_t",
                          **compare(healthy, _values(rows, group, measure))})
        graded = [r for r in rows if (r["lesion_region"] or r["group"] == HEALTHY)
                  and isinstance(r.get(measure), (int, float))]
        if len({r["lesion_fraction"] for r in graded}) > 2:
            rho = stats.spearmanr([r["lesion_fraction"] for r in graded], [r[measure] for r in graded])
            table.append({"measure": measure, "group": "dose_response", "test": "spearman",
                          "rho": float(rho.statistic), "p": float(rho.pvalue), "n_group": len(graded)})
    return [{k: _round(v) for k, v in row.items()} for row in table]


def _round(x):
    if isinstance(x, (float, np.floating)):
        return round(float(x), 6) if math.isfinite(x) else None
    return int(x) if isinstance(x, np.integer) else x


def _write_table(path: Path, rows: list[dict]) -> None:
    """Write the table whole or not at all."""
    columns = list(dict.fromkeys(k for r in rows for k in r))
    partial = path.with_name(f".{path.name}.part")
    with open(partial, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    partial.replace(path)
