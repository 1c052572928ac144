"""Choice protocols: the options offered and their outcome contingencies, phase by phase.

The same form as a Pavlovian protocol (:mod:`dopasim.tasks.protocols`): named
``options`` (one action channel each) instead of cues, and trial types that
give every option its reward probability::

    name = "reversal"
    options = ["left", "right"]
    [[phases]]
    name = "acquisition"
    trials = 150
    [[phases.types]]
    reward_probs = {left = 0.8, right = 0.2}
"""

from __future__ import annotations

from dataclasses import dataclass

from dopasim.params import ConfigError, Param, resolve
from dopasim.tasks.protocols import TYPE_FIELDS, Phase, Protocol, _check_mix, _document, _given, _only, _phases


@dataclass(frozen=True)
class ChoiceType:
    """One kind of choice trial: every option on offer, each rewarded with its probability."""

    name: str
    reward_probs: tuple[float, ...]
    share: float = 1.0


@dataclass(frozen=True)
class ChoiceProtocol:
    """A choice session: its named options (one action channel each) and its phases of :class:`ChoiceType`."""

    name: str
    options: tuple[str, ...]
    phases: tuple[Phase, ...]

    def __post_init__(self):
        where = f"protocol {self.name!r}"
        if len(self.options) < 2 or len(set(self.options)) != len(self.options):
            raise ConfigError(f"{where}: options={list(self.options)!r} must name two or more distinct options")
        if not self.phases:
            raise ConfigError(f"{where} has no phases")
        for phase in self.phases:
            _check_mix(f"{where}, phase {phase.name!r}", phase)

    @property
    def n_trials(self) -> int:
        return sum(phase.trials for phase in self.phases)

    sequence = Protocol.sequence


def choice_from_dict(data: dict, where: str = "protocol") -> ChoiceProtocol:
    """A :class:`ChoiceProtocol` from plain data: ``options``, and ``[[phases]]`` whose ``[[phases.types]]``
    give each option's ``reward_probs`` (a table: option -> probability)."""
    if isinstance(data, dict) and "cues" in data:
        raise ConfigError(f"{where}: it names cues, so it is a Pavlovian protocol (for task pavlovian); a choice "
                          "protocol names options")
    where, options = _document(data, where, ("name", "options", "phases"), "options")
    if len(options) < 2 or len(set(options)) != len(options):
        raise ConfigError(f"{where}: options={options!r} must name two or more distinct options")
    chance = Param(0.5, "reward probability", low=0.0, high=1.0)

    def choice_type(at: str, kind: dict, j: int) -> ChoiceType:
        on = f"{at}, trial type {kind.get('name', f'type{j + 1}')!r}"
        _only(on, kind, ("name", "share", "reward_probs"))
        fields = resolve(on, {k: TYPE_FIELDS[k] for k in ("name", "share")},
                         {"name": f"type{j + 1}", **{k: v for k, v in kind.items() if k != "reward_probs"}})
        probs = kind.get("reward_probs")
        if not isinstance(probs, dict) or sorted(probs) != sorted(options):
            raise ConfigError(f"{on}: reward_probs must give every option ({', '.join(options)}) its "
                              f"probability, e.g. {{{options[0]} = 0.8, ...}}")
        return ChoiceType(fields["name"], tuple(chance.check(f"{on}: reward_probs", o, probs[o]) for o in options),
                          fields["share"])

    return ChoiceProtocol(str(data.get("name", "protocol")), tuple(options), _phases(where, data, choice_type))


def choice_to_dict(protocol: ChoiceProtocol) -> dict:
    """The plain data :func:`choice_from_dict` reads."""
    return {"name": protocol.name, "options": list(protocol.options),
            "phases": [{"name": p.name, "trials": p.trials, "order": p.order,
                        "types": [{"name": t.name, "share": t.share,
                                   "reward_probs": dict(zip(protocol.options, t.reward_probs))} for t in p.types]}
                       for p in protocol.phases]}


def as_choice_protocol(given) -> ChoiceProtocol | None:
    """A choice protocol from what a caller gave: None, a :class:`ChoiceProtocol`, its plain data, or a file."""
    return _given(given, ChoiceProtocol, choice_from_dict)
