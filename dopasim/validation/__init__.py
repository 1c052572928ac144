"""Findings: every scientific claim of the docs, declared once and tested on a fresh cohort.

A :class:`Finding` names the paper, the claim in one line, the protocol (task,
circuit, settings, trials, the group of subjects and the group it is compared
with), the measure (a headline measure of ``summary.json``, or the difference
of two), and the published direction: the cohort's mean (or the difference of
two groups' means) lies ``above`` or ``below`` a threshold. A claim about how
many subjects show an effect sets ``each_above``: a subject counts when its
value lies above it, and the effect is the fraction of subjects that count
(against a chance rate as the threshold). It holds when the 95% confidence
interval lies wholly on that side. Subjects get the seeds the
study engine draws (:func:`dopasim.study.subject_seed`) from the validation's
seed, the finding, the mode and the group: never seeds chosen by hand.

Findings are registered by topic in the modules of this package
(:mod:`dopasim.validation.conditioning`, :mod:`dopasim.validation.choice`,
:mod:`dopasim.validation.planning`, :mod:`dopasim.validation.networks`,
:mod:`dopasim.validation.spiking`);
``dopasim validate`` runs them (:mod:`dopasim.validation.runner`) and writes
``validation.json`` and ``report.md`` (:mod:`dopasim.validation.report`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from dopasim.params import ConfigError, unknown_name
from dopasim.study import HEALTHY

EXPECTATIONS = ("above", "below")


@dataclass(frozen=True)
class Finding:
    """One claim as a cohort test (see the module's docstring).

    ``measure`` minus ``minus`` (when given) is each subject's value.
    ``group`` is the subjects' disease preset (or ``healthy``); with
    ``against``, a second group of the same size runs too and the effect is
    the difference of the means, ``group`` minus ``against``. ``trials``: per
    mode where the two differ (``{"rate": 150, "spiking": 150}``), else one
    number or None (the task's default). ``sets``: ``--set`` values as pairs.
    ``each_above``: the effect is the fraction of subjects whose value lies
    above it (one group only), with its exact binomial interval. ``probe``: a
    claim about one network driven without a task (selection, persistent
    activity) runs ``probe(mode, seed)`` for each subject, which returns the
    subject's measures; ``task`` then names what the probe presents.
    ``variants``: groups that are the healthy circuit run with ``--set``
    values of their own (``(("replay", (("task.replay_steps", 6),)),)``), to
    compare a setting rather than a disease. ``subjects``: at least this many
    subjects per group, whatever ``--subjects`` says (a smaller effect needs a
    larger cohort to be told from none).
    """

    name: str
    paper: str
    claim: str
    task: str
    measure: str
    expect: str
    threshold: float = 0.0
    minus: str | None = None
    group: str = HEALTHY
    against: str | None = None
    modes: tuple[str, ...] = ("rate", "spiking")
    trials: int | tuple[tuple[str, int], ...] | None = None
    circuit: str | None = None
    sets: tuple[tuple[str, object], ...] = ()
    each_above: float | None = None
    probe: Callable[[str, int], dict] | None = None
    variants: tuple[tuple[str, tuple[tuple[str, object], ...]], ...] = ()
    subjects: int | None = None

    def __post_init__(self):
        if self.expect not in EXPECTATIONS:
            raise ConfigError(f"finding {self.name!r}: expect={self.expect!r} must be one of {EXPECTATIONS}")
        if self.each_above is not None and (self.against is not None or not 0 <= self.threshold <= 1):
            raise ConfigError(f"finding {self.name!r}: each_above counts subjects of one group against a chance "
                              f"rate: against={self.against!r} must be None and threshold={self.threshold!r} "
                              "a fraction from 0 to 1")

    @property
    def groups(self) -> tuple[str, ...]:
        return (self.group,) if self.against is None else (self.group, self.against)

    def sets_of(self, group: str) -> tuple[tuple[str, object], ...]:
        """The ``--set`` pairs a subject of ``group`` runs with: the finding's, then its variant's."""
        return self.sets + dict(self.variants).get(group, ())

    def disease_of(self, group: str) -> str | None:
        """The disease preset a subject of ``group`` has (None: healthy, or a variant of the healthy circuit)."""
        return None if group == HEALTHY or group in dict(self.variants) else group

    def cohort(self, subjects: int) -> int:
        """Subjects per group when ``dopasim validate --subjects`` asks for ``subjects``."""
        return max(subjects, self.subjects or 0)

    def trials_in(self, mode: str) -> int | None:
        if isinstance(self.trials, tuple):
            return dict(self.trials).get(mode)
        return self.trials

    def value(self, summary: dict) -> float | None:
        """A subject's value from its ``summary.json`` (None where a measure is undefined)."""
        first = summary.get(self.measure)
        second = summary.get(self.minus) if self.minus else 0.0
        if not isinstance(first, (int, float)) or not isinstance(second, (int, float)):
            return None
        return float(first) - float(second)

    def protocol(self, mode: str, group: str) -> str:
        """The name of the runs a subject of ``group`` makes in ``mode``: findings that run the same protocol
        share their subjects (``TASK-HASH``, the hash of the task, circuit, trials and settings)."""
        what = [self.task, self.circuit, self.trials_in(mode), sorted(map(list, self.sets_of(group))), group]
        what = json.dumps(what + ([self.probe_name] if self.probe else []), default=str)
        label = self.task.replace(":", "_")  # gym:ENV_ID: a folder name that every file system takes
        return f"{label}-{hashlib.sha256(what.encode()).hexdigest()[:8]}"

    @property
    def probe_name(self) -> str | None:
        """The probe's qualified name (what a stored subject's run.json records), or None."""
        return None if self.probe is None else f"{self.probe.__module__}.{self.probe.__qualname__}"

    def measured(self) -> str:
        """What is measured, in words: ``measure`` or ``measure - minus``, of which group(s)."""
        what = f"{self.measure} - {self.minus}" if self.minus else self.measure
        if self.each_above is not None:
            what = f"fraction with {what} > {self.each_above:g}"
        if self.against:
            return f"{what}: {self.group} - {self.against}"
        return what if self.group == HEALTHY else f"{what} ({self.group})"


#: name -> finding, in the order the docs list them
FINDINGS: dict[str, Finding] = {}


def register_finding(finding: Finding, replace: bool = False) -> Finding:
    """Add ``finding`` to the registry that ``dopasim validate`` runs."""
    if finding.name in FINDINGS and not replace:
        raise ConfigError(f"finding {finding.name!r} is already registered (replace=True replaces it)")
    FINDINGS[finding.name] = finding
    return finding


def select(names: list[str] | None, modes: list[str]) -> list[tuple[Finding, str]]:
    """The (finding, mode) pairs to run: the findings ``names`` (all if None), in each of ``modes`` it claims."""
    for name in names or []:
        if name not in FINDINGS:
            raise unknown_name("finding", name, FINDINGS)
    chosen = [FINDINGS[n] for n in names] if names else list(FINDINGS.values())
    pairs = [(f, m) for f in chosen for m in modes if m in f.modes]
    if not pairs:
        raise ConfigError(f"none of the findings {', '.join(f.name for f in chosen)} is claimed in "
                          f"{' or '.join(modes)} mode")
    return pairs


# the topics register their findings, in this order
from dopasim.validation import conditioning, choice, planning, networks, spiking  # noqa: E402,F401,I001

__all__ = ["FINDINGS", "Finding", "register_finding", "select"]
