"""Experimental protocols: a session as phases of trial types, in TOML or as Python objects.

A protocol names its cues (each one complete serial compound in the cortex)
and lists its phases: pretraining, compound training, probes, extinction ...
A phase has a number of trials and a mix of trial types, shuffled with the
run's seed or in a fixed order. A trial type says which cues are on (any
subset, each with its onset and duration), whether and when the reward comes,
its magnitude and probability, and how long the trial lasts::

    name = "blocking"
    cues = ["tone", "light"]

    [[phases]]
    name = "pretraining"
    trials = 60
    [[phases.types]]
    name = "tone_reward"
    cues = {tone = {onset_ms = 500, duration_ms = 1000}}
    reward_ms = 1500

Every value is checked when the protocol is read, with a one-line error that
names the phase, trial type and field (:class:`dopasim.params.ConfigError`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from dopasim.documents import read_document
from dopasim.params import ConfigError, Param, resolve, unknown_name

ORDERS = ("shuffled", "fixed")
#: a trial type's fields besides its cues: declared as every other input is
TYPE_FIELDS = {
    "name": Param("", "the trial type's name (a column of the trial table)"),
    "share": Param(1.0, "its share of the phase's trials, relative to the other types'", low=0.0, high=1e6),
    "reward_ms": Param(-1.0, "reward onset from the trial's start (-1: no reward)", low=-1.0, high=600_000.0,
                       unit="ms"),
    "expected_ms": Param(-1.0, "when the reward is expected, for the DA response at that time (-1: reward_ms)",
                         low=-1.0, high=600_000.0, unit="ms"),
    "magnitude": Param(1.0, "reward size", low=0.0, high=100.0),
    "reward_prob": Param(1.0, "probability that the reward comes", low=0.0, high=1.0),
    "reward_duration_ms": Param(50.0, "duration of the reward input volley", low=1.0, high=600_000.0, unit="ms"),
}
CUE_FIELDS = {
    "onset_ms": Param(500.0, "cue onset from the trial's start", low=0.0, high=600_000.0, unit="ms"),
    "duration_ms": Param(1000.0, "how long the cue stays on", low=1.0, high=600_000.0, unit="ms"),
}


@dataclass(frozen=True)
class CueOn:
    """A cue shown in a trial: from ``onset_ms`` for ``duration_ms``.

    Attributes
    ----------
    cue : str
        one of the protocol's cues
    onset_ms : float
        onset within the trial (ms)
    duration_ms : float
        how long it is shown (ms)
    """

    cue: str
    onset_ms: float
    duration_ms: float


@dataclass(frozen=True)
class TrialType:
    """One kind of trial: the cues on, the reward (``reward_ms`` -1: none), its size and chance, the length.

    Attributes
    ----------
    name : str
        the type's name (a column of trials.csv)
    cues : tuple of CueOn
        the cues shown
    reward_ms : float
        reward onset within the trial (ms; -1: no reward)
    expected_ms : float
        when a reward is expected in a probe without one (ms; -1: none)
    magnitude : float
        the reward's size
    reward_prob : float
        the chance it is delivered
    share : float
        the type's share of its phase's trials
    reward_duration_ms : float
        the reward volley's length (ms)
    """

    name: str
    cues: tuple[CueOn, ...] = ()
    reward_ms: float = -1.0
    expected_ms: float = -1.0
    magnitude: float = 1.0
    reward_prob: float = 1.0
    share: float = 1.0
    reward_duration_ms: float = 50.0

    @property
    def rewarded(self) -> bool:
        return self.reward_ms >= 0

    @property
    def expected_at_ms(self) -> float:
        """When the reward is expected: ``expected_ms``, else ``reward_ms`` (-1: never)."""
        return self.expected_ms if self.expected_ms >= 0 else self.reward_ms


@dataclass(frozen=True)
class Phase:
    """``trials`` trials of the ``types``, mixed by their shares: ``shuffled`` with the seed, or ``fixed`` (cycled
    in the listed order).

    Attributes
    ----------
    name : str
        the phase's name
    trials : int
        its trials
    types : tuple of TrialType
        the trial types mixed in it
    order : str
        shuffled (with the seed) or fixed (cycled in order)
    """

    name: str
    trials: int
    types: tuple[TrialType, ...]
    order: str = "shuffled"


#: a protocol's own fields
PROTOCOL_FIELDS = {
    "name": Param("protocol", "the protocol's name"),
    "trial_ms": Param(2500.0, "duration of every trial (cues, reward and the interval before the next)",
                      low=100.0, high=600_000.0, unit="ms"),
}


@dataclass(frozen=True)
class Protocol:
    """A session: its named cues and its phases, in order; every trial lasts ``trial_ms``.

    Attributes
    ----------
    name : str
        the protocol's name
    cues : tuple of str
        its cues, each with a serial compound of its own
    phases : tuple of Phase
        in order
    trial_ms : float
        every trial's length (ms)
    """

    name: str
    cues: tuple[str, ...]
    phases: tuple[Phase, ...] = field(default_factory=tuple)
    trial_ms: float = 2500.0

    def __post_init__(self):
        check(self)

    @property
    def n_trials(self) -> int:
        return sum(phase.trials for phase in self.phases)

    def sequence(self, rng: np.random.Generator) -> list[tuple[int, TrialType]]:
        """``(phase index, trial type)`` of every trial of the session; a shuffled phase draws from ``rng``."""
        out = []
        for k, phase in enumerate(self.phases):
            counts = _counts(phase)
            if phase.order == "fixed" or len(phase.types) == 1:
                types = _cycled(phase, counts)  # the listed order, each type as often as its share asks
            else:
                types = [t for t, n in zip(phase.types, counts) for _ in range(n)]
                types = [types[i] for i in rng.permutation(len(types))]
            out += [(k, t) for t in types]
        return out


def _counts(phase: Phase) -> list[int]:
    """Trials of each type in ``phase``: proportional to the shares, the rounding's remainders to the largest."""
    shares = np.array([t.share for t in phase.types], dtype=float)
    exact = phase.trials * shares / shares.sum()
    counts = np.floor(exact).astype(int)
    for i in np.argsort(-(exact - counts), kind="stable")[: phase.trials - counts.sum()]:
        counts[i] += 1
    return counts.tolist()


def _cycled(phase: Phase, counts: list[int]) -> list[TrialType]:
    """The types in the listed order, round after round, until each has had its count."""
    left, out = list(counts), []
    while len(out) < phase.trials:
        for i, t in enumerate(phase.types):
            if left[i] > 0:
                out.append(t)
                left[i] -= 1
    return out


def check(protocol: Protocol) -> None:
    """Refuse a protocol that cannot run: no phases, an empty phase, an unknown cue, a reward or cue outside its
    trial, a mix whose shares are all zero, an unknown order."""
    where = f"protocol {protocol.name!r}"
    if not protocol.cues or len(set(protocol.cues)) != len(protocol.cues):
        raise ConfigError(f"{where}: cues={list(protocol.cues)!r} must name one or more distinct cues")
    if not protocol.phases:
        raise ConfigError(f"{where} has no phases")
    for phase in protocol.phases:
        at = f"{where}, phase {phase.name!r}"
        _check_mix(at, phase)
        for t in phase.types:
            on = f"{at}, trial type {t.name!r}"
            for cue in t.cues:
                if cue.cue not in protocol.cues:
                    raise unknown_name(f"cue in {on}:", cue.cue, protocol.cues)
                if cue.onset_ms + cue.duration_ms > protocol.trial_ms:
                    raise ConfigError(f"{on}: cue {cue.cue!r} is on until {cue.onset_ms + cue.duration_ms:g} ms, "
                                      f"after the trial ends (trial_ms={protocol.trial_ms:g})")
            if len({cue.cue for cue in t.cues}) != len(t.cues):
                raise ConfigError(f"{on} shows a cue twice")
            for what, at_ms in (("reward_ms", t.reward_ms), ("expected_ms", t.expected_at_ms)):
                if at_ms >= 0 and at_ms + t.reward_duration_ms > protocol.trial_ms:
                    raise ConfigError(f"{on}: {what}={at_ms:g} leaves no room for the {t.reward_duration_ms:g} ms "
                                      f"reward before the trial ends (trial_ms={protocol.trial_ms:g})")


def _document(data, where: str, keys: tuple[str, ...], names: str) -> tuple[str, list[str]]:
    """A protocol document's place in messages and its list of ``names`` (cues, options), checked."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where} must be a table")
    if isinstance(data.get("name"), str):
        where = f"protocol {data['name']!r}"
    _only(where, data, keys)
    named = data.get(names)
    if not isinstance(named, list) or not all(isinstance(c, str) and c.isidentifier() for c in named):
        raise ConfigError(f"{where}: {names}={named!r} must be a list of names (letters, digits, _)")
    return where, named


def _phases(where: str, data: dict, trial_type) -> tuple[Phase, ...]:
    """The ``[[phases]]`` of a document, each trial type read by ``trial_type(place, table, index)``."""
    phases = data.get("phases", [])
    if not isinstance(phases, list) or not all(isinstance(p, dict) for p in phases):
        raise ConfigError(f"{where}: phases must be a list of tables ([[phases]])")
    out = []
    for k, phase in enumerate(phases):
        name = phase.get("name", f"phase{k + 1}")
        at = f"{where}, phase {name!r}"
        _only(at, phase, ("name", "trials", "order", "types"))
        trials = phase.get("trials")
        if isinstance(trials, bool) or not isinstance(trials, int):
            raise ConfigError(f"{at}: trials={trials!r} must be a whole number")
        types = phase.get("types", [])
        if not isinstance(types, list) or not all(isinstance(t, dict) for t in types):
            raise ConfigError(f"{at}: types must be a list of tables ([[phases.types]])")
        out.append(Phase(str(name), trials, tuple(trial_type(at, t, j) for j, t in enumerate(types)),
                         str(phase.get("order", "shuffled"))))
    return tuple(out)


def from_dict(data: dict, where: str = "protocol") -> Protocol:
    """A :class:`Protocol` from plain data (a TOML file's tables), every field checked."""
    if isinstance(data, dict) and "options" in data:
        raise ConfigError(f"{where}: it names options, so it is a choice protocol (for task bandit); a Pavlovian "
                          "protocol names cues")
    where, cues = _document(data, where, ("name", "trial_ms", "cues", "phases"), "cues")
    own = resolve(where, PROTOCOL_FIELDS, {k: v for k, v in data.items() if k in PROTOCOL_FIELDS})
    return Protocol(own["name"], tuple(cues), _phases(where, data, _trial_type), own["trial_ms"])


def to_dict(protocol: Protocol) -> dict:
    """The plain data :func:`from_dict` reads (what a run's run.json records)."""
    def trial_type(t: TrialType) -> dict:
        fields = {name: getattr(t, name) for name in TYPE_FIELDS}
        return {**fields, "cues": {c.cue: {"onset_ms": c.onset_ms, "duration_ms": c.duration_ms} for c in t.cues}}

    return {"name": protocol.name, "trial_ms": protocol.trial_ms, "cues": list(protocol.cues),
            "phases": [{"name": p.name, "trials": p.trials, "order": p.order,
                        "types": [trial_type(t) for t in p.types]} for p in protocol.phases]}


def _trial_type(at: str, data: dict, j: int) -> TrialType:
    given = {k: v for k, v in data.items() if k != "cues"}
    given.setdefault("name", f"type{j + 1}")
    on = f"{at}, trial type {given['name']!r}"
    fields = resolve(on, TYPE_FIELDS, given)
    cues = data.get("cues", {})
    if not isinstance(cues, dict) or not all(isinstance(c, dict) for c in cues.values()):
        raise ConfigError(f"{on}: cues must be a table of cue -> {{onset_ms, duration_ms}}")
    shown = tuple(CueOn(cue, **resolve(f"{on}, cue {cue!r}", CUE_FIELDS, spec)) for cue, spec in cues.items())
    return TrialType(cues=shown, **fields)


def _only(where: str, data: dict, keys: tuple[str, ...]) -> None:
    for key in data:
        if key not in keys:
            raise unknown_name(f"key of {where}:", str(key), keys)


def load(path) -> Protocol:
    """The protocol in the TOML file at ``path``.

    Parameters
    ----------
    path : str or Path
        a TOML file
    """
    return _given(Path(path), Protocol, from_dict)


def as_protocol(given) -> Protocol | None:
    """A protocol from what a caller gave: None, a :class:`Protocol`, its plain data, or a TOML file's path."""
    return _given(given, Protocol, from_dict)

def session_signals(types: list[TrialType], cues: tuple[str, ...], rewards: np.ndarray, trial_s: float,
                    signal_dt: float, drug: bool = False) -> dict[str, np.ndarray]:
    """The session's ``cs`` (per cue: seconds since its onset while it is on, -1 otherwise; one column per cue
    where there are several), ``reward`` (each trial's delivered reward during its volley) and ``drug`` (1
    from a delivered reward to the trial's end, where the reward is a drug) signals, every ``signal_dt``."""
    t_in = np.arange(int(round(trial_s / signal_dt))) * signal_dt
    shapes = {}

    def shape(t: TrialType):
        if t.name not in shapes:
            since = []
            for cue in cues:
                shown = [c for c in t.cues if c.cue == cue]
                if not shown:
                    since.append(np.full(len(t_in), -1.0))
                    continue
                on = shown[0].onset_ms / 1000
                off = on + shown[0].duration_ms / 1000
                since.append(np.where((t_in >= on - 1e-9) & (t_in < off - 1e-9), t_in - on, -1.0))
            volley = acting = np.zeros(len(t_in), dtype=bool)
            if t.rewarded:
                at = t.reward_ms / 1000
                volley = (t_in >= at - 1e-9) & (t_in < at + t.reward_duration_ms / 1000 - 1e-9)
                acting = t_in >= at - 1e-9  # a drug acts for far longer than a reward volley: to the trial's end
            shapes[t.name] = (since[0] if len(cues) == 1 else np.column_stack(since), volley, acting)
        return shapes[t.name]

    rows = [shape(t) for t in types]
    return {"cs": np.concatenate([since for since, _, _ in rows]),
            "reward": np.concatenate([volley * r for (_, volley, _), r in zip(rows, rewards)]),
            "drug": np.concatenate([acting * (r > 0) * float(drug) for (_, _, acting), r in zip(rows, rewards)])}


def elements(protocol: Protocol, step_ms: float) -> int:
    """Serial-compound elements per cue at ``step_ms`` a step: enough for the longest showing of any cue."""
    return max((max(1, int(round(c.duration_ms / step_ms))) for p in protocol.phases for t in p.types for c in t.cues),
               default=1)


def trial_features(t: TrialType, protocol: Protocol, step_ms: float) -> np.ndarray:
    """The complete serial compound of a trial, one row per ``step_ms``: cue c's k-th element is feature
    ``c * elements + k``, on in the k-th step after its onset while it is on; cues shown together add."""
    n = elements(protocol, step_ms)
    rows = np.zeros((int(round(protocol.trial_ms / step_ms)), n * len(protocol.cues)))
    for shown in t.cues:
        onset, length = int(round(shown.onset_ms / step_ms)), max(1, int(round(shown.duration_ms / step_ms)))
        c = protocol.cues.index(shown.cue)
        for k in range(min(length, len(rows) - onset)):
            rows[onset + k, c * n + k] = 1.0
    return rows


def step_ending_at(ms: float, step_ms: float) -> int:
    """The step at whose end (``ms`` from the trial's start) an outcome arrives: the transition it rides."""
    return max(0, int(round(ms / step_ms)) - 1)


def _check_mix(at: str, phase: Phase) -> None:
    if phase.trials < 1:
        raise ConfigError(f"{at}: trials={phase.trials} must be at least 1")
    if not phase.types:
        raise ConfigError(f"{at} has no trial types")
    if phase.order not in ORDERS:
        raise ConfigError(f"{at}: order={phase.order!r} is not one of {', '.join(ORDERS)}")
    if sum(t.share for t in phase.types) <= 0:
        raise ConfigError(f"{at}: every trial type has share 0, so the mix is empty")


def _given(given, kind: type, read):
    if given is None or isinstance(given, kind):
        return given
    if isinstance(given, dict):
        return read(given)
    if isinstance(given, (str, Path)):
        return read(read_document(given, "--protocol"), f"protocol {str(given)!r}")
    raise ConfigError(f"protocol={given!r} must be a {kind.__name__}, a table or a TOML file's path")
