"""Declared parameters: type, range and unit, checked at the edge.

Every task and region declares its parameters as :class:`Param` objects. Values
arrive from the command line (``--set task.reward_prob=0.5``), from Python, or
from a preset; :func:`resolve` checks them all before any simulation starts and
raises :class:`ConfigError` with a message that names the bad value and the
valid choices.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace


class ConfigError(ValueError):
    """Bad input from the user: a one-line message, no simulation run."""


@dataclass(frozen=True)
class Param:
    """One settable parameter.

    ``unit`` is the unit of the plain number (``"ms"``, ``"Hz"``, ``""``);
    parameter names carry it too (``tau_ms``) so a config file reads alone.

    Attributes
    ----------
    default : object
        the default; its type is the parameter's type
    help : str
        what it means, in a line
    low, high : float, optional
        the range's bounds
    unit : str
        the unit of the plain number (ms, Hz; empty for none)
    choices : tuple, optional
        the only values allowed
    low_inclusive : bool
        whether low itself is allowed
    """

    default: object
    help: str
    low: float | None = None
    high: float | None = None
    unit: str = ""
    choices: tuple | None = None
    low_inclusive: bool = True

    @property
    def kind(self) -> type:
        return type(self.default)

    def check(self, owner: str, name: str, value):
        """Return ``value`` converted to this parameter's type, or raise.

        Parameters
        ----------
        owner : str
            what the parameter belongs to, for the message (task, a region ...)
        name : str
            the parameter's name
        value : object
            the value given (a string from the command line is converted)
        """
        where = f"{owner}.{name}"
        value = _coerce(where, self.kind, value)
        if self.choices is not None and value not in self.choices:
            raise ConfigError(f"{where}={value!r} is not one of {', '.join(map(str, self.choices))}")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if isinstance(value, float) and not math.isfinite(value):
                raise ConfigError(f"{where}={value} must be a finite number")
            too_low = self.low is not None and (
                value < self.low or (value == self.low and not self.low_inclusive))
            too_high = self.high is not None and value > self.high
            if too_low or too_high:
                raise ConfigError(f"{where}={value} is out of range: {self.range_text()}")
        return value

    def range_text(self) -> str:
        """The allowed range in words, with the unit: ``0.0 < value <= 1000.0 (ms)``."""
        lo = "" if self.low is None else f"{self.low} {'<=' if self.low_inclusive else '<'} "
        hi = "" if self.high is None else f" <= {self.high}"
        unit = f" ({self.unit})" if self.unit else ""
        return f"{lo}value{hi}{unit}"


def _coerce(where: str, kind: type, value):
    if isinstance(value, str):
        text = value.strip()
        try:
            if kind is bool:
                if text.lower() in ("true", "1", "yes", "on"):
                    return True
                if text.lower() in ("false", "0", "no", "off"):
                    return False
                raise ValueError
            return kind(text)
        except ValueError:
            raise ConfigError(f"{where}={value!r} is not a valid {kind.__name__}") from None
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, kind) and (kind is bool or not isinstance(value, bool)):  # True is no count of cells
        return value
    raise ConfigError(f"{where}={value!r} is not a valid {kind.__name__}")


def unknown_name(owner: str, name: str, valid) -> ConfigError:
    """An error for a name that does not exist, suggesting the nearest valid one."""
    valid = sorted(valid)
    near = difflib.get_close_matches(name, valid, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return ConfigError(f"unknown {owner} {name!r}{hint}; valid: {', '.join(valid)}")


def with_defaults(declared: dict[str, Param], **defaults) -> dict[str, Param]:
    """``declared`` with the defaults of some parameters changed (a task's own defaults for shared parameters)."""
    return {**declared, **{name: replace(declared[name], default=value) for name, value in defaults.items()}}


def resolve(owner: str, declared: dict[str, Param], given: dict | None) -> dict:
    """Defaults overridden by ``given``, every value checked."""
    given = dict(given or {})
    for name in given:
        if name not in declared:
            raise unknown_name(f"parameter of {owner}:", name, declared)
    return {name: spec.check(owner, name, given.get(name, spec.default))
            for name, spec in declared.items()}
