"""Plastic weights carried from one run into the next: ``weights.npz`` in a run directory.

Every run directory holds the final weight of every synapse of every plastic
projection. A circuit told to start from a run (:meth:`CircuitGraph.start_from`,
``--init-from RUN_DIR``) is built with those synapses and weights instead of
fresh random ones, as a trained animal comes back for its next session. The
file is named in the run's configuration with its sha256, so a replay uses
the very same weights or refuses.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np

from dopasim.params import ConfigError

FILENAME = "weights.npz"


def save_weights(graph, rec, path: Path) -> None:
    """Write each plastic projection's synapses (``pre``, ``post``), ``weight`` and its ends' sizes (``shape``)
    as the run ``rec`` (a :class:`~dopasim.circuits.recording.Recording` of ``graph``) ended."""
    arrays, sizes = {}, rec.sizes
    for name, (pre, post, weight) in rec.final_weights.items():
        source, target = graph.endpoints(name)
        arrays.update({f"{name}.pre": np.asarray(pre, dtype=np.int64), f"{name}.post": np.asarray(post, dtype=np.int64),
                       f"{name}.weight": np.asarray(weight, dtype=np.float64),
                       f"{name}.shape": np.array([sizes[source], sizes[target]], dtype=np.int64)})
    with open(path, "wb") as f:
        np.savez_compressed(f, **arrays)


def reference(run_dir) -> dict:
    """What a configuration records of the run a circuit starts from: its directory and its weights' sha256."""
    path = Path(run_dir) / FILENAME
    if not Path(run_dir).is_dir():
        raise ConfigError(f"init-from {str(run_dir)!r} is not a run directory")
    if not path.is_file():
        raise ConfigError(f"init-from {str(run_dir)!r} holds no {FILENAME} (a run directory written by dopasim run "
                          "holds one)")
    return {"run": str(run_dir), "weights_sha256": hashlib.sha256(path.read_bytes()).hexdigest()}


def load(init_from: dict) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray, tuple[int, int]]]:
    """Projection -> ``(pre, post, weight, (source size, target size))`` of the run ``init_from`` names,
    refused if its weights are not the ones recorded."""
    path = Path(init_from["run"]) / FILENAME
    now = reference(init_from["run"])["weights_sha256"]
    if now != init_from["weights_sha256"]:
        raise ConfigError(f"init-from {init_from['run']!r}: its {FILENAME} is not the one this run started from "
                          f"(sha256 {now[:12]}..., recorded {init_from['weights_sha256'][:12]}...)")
    try:
        with np.load(path) as data:
            names = sorted({key.rsplit(".", 1)[0] for key in data.files})
            return {name: (data[f"{name}.pre"], data[f"{name}.post"], data[f"{name}.weight"],
                           tuple(int(n) for n in data[f"{name}.shape"])) for name in names}
    except (ValueError, KeyError, OSError) as err:
        raise ConfigError(f"init-from {init_from['run']!r}: {FILENAME} is not a weights file ({err})") from None


def check_projections(init_from: dict, plastic: list[str]) -> None:
    """The run started from has exactly the circuit's plastic projections."""
    saved = sorted(load(init_from))
    if saved != sorted(plastic):
        raise ConfigError(f"init-from {init_from['run']!r}: its plastic projections ({', '.join(saved) or 'none'}) "
                          f"are not this circuit's ({', '.join(sorted(plastic)) or 'none'}): same circuit needed")
