"""Reading the files a user hands over (TOML configs and sweep specs, a run's run.json), defensively.

Every bad file ends in one :class:`ConfigError` line, never a traceback: one
that cannot be read, is not text, is not valid TOML or JSON, is larger than
:data:`MAX_BYTES`, or nests deeper than :data:`MAX_DEPTH` (Python's parsers
recurse, and a few thousand nested brackets exhaust the stack).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from dopasim.params import ConfigError

#: the largest file read (a run.json of a large circuit is tens of kilobytes)
MAX_BYTES = 4 * 1024 * 1024
#: the deepest nesting of tables and arrays a file may have (a run.json nests 4 deep)
MAX_DEPTH = 16


def read_document(path: Path, what: str) -> dict:
    """The TOML (or, for a ``.json`` file, JSON) document at ``path``; ``what`` names it in errors."""
    path = Path(path)
    kind = "JSON" if path.suffix == ".json" else "TOML"
    try:
        if path.stat().st_size > MAX_BYTES:
            raise ConfigError(f"{what} {str(path)!r} is larger than {MAX_BYTES // 1024 // 1024} MiB: not a config")
        text = path.read_text()
        document = json.loads(text) if kind == "JSON" else tomllib.loads(text)
    except OSError as err:
        raise ConfigError(f"{what} {str(path)!r}: {err.strerror}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{what} {str(path)!r} is not a text file") from None
    except RecursionError:
        raise ConfigError(f"{what} {str(path)!r} nests deeper than {kind} can be read here; at most "
                          f"{MAX_DEPTH} levels") from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as err:
        raise ConfigError(f"{what} {str(path)!r} is not valid {kind}: {str(err).splitlines()[0]}") from None
    if depth(document) > MAX_DEPTH:
        raise ConfigError(f"{what} {str(path)!r} nests {depth(document)} levels deep; at most {MAX_DEPTH} levels")
    return document


def depth(value) -> int:
    """How deep tables and arrays nest in ``value`` (a scalar: 0), without recursion."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            deepest = max(deepest, level)
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest
