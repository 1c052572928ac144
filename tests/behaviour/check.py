"""Are a fixed set of runs byte for byte what they were? (``trials.csv`` and ``summary.json``)

A refactor that should not change behaviour is checked against the sha256
recorded in ``sha256.json`` beside this file::

    python tests/behaviour/check.py            # run every case, compare, exit 1 on a difference
    python tests/behaviour/check.py --record   # record the hashes of the code as it is now

Each case is one ``dopasim run`` (rate mode unless it says spiking). The hashes
hold on the machine and library versions they were recorded with: floating
point differs between compilers and numpy builds, so on another machine record
first on the unchanged code, then compare. About 3 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tempfile
from pathlib import Path

RECORD = Path(__file__).with_name("sha256.json")
CASES = {
    "pavlovian-rate": ["pavlovian", "--mode", "rate", "--trials", "150"],
    "pavlovian-spiking": ["pavlovian", "--mode", "spiking", "--trials", "150"],
    "bandit-rate": ["bandit", "--mode", "rate", "--trials", "300"],
    "probabilistic_selection-rate": ["probabilistic_selection", "--mode", "rate"],
    "two_step-rate": ["two_step", "--mode", "rate"],
    "variable_magnitude-rate": ["variable_magnitude", "--mode", "rate"],
    "gridworld-rate": ["gridworld", "--mode", "rate"],
    "rest-spiking": ["rest", "--mode", "spiking"],
}
FILES = ("trials.csv", "summary.json")


def hashes(case: str, args: list[str], work: Path) -> dict[str, str]:
    out = work / case
    subprocess.run([sys.executable, "-m", "dopasim.cli", "run", *args, "--seed", "1", "--quiet", "--out", str(out)],
                   check=True)
    return {f: hashlib.sha256((out / f).read_bytes()).hexdigest() for f in FILES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="record the hashes instead of comparing")
    parser.add_argument("--only", nargs="*", default=None, help="these cases only")
    args = parser.parse_args()
    cases = {k: v for k, v in CASES.items() if args.only is None or k in args.only}
    recorded = json.loads(RECORD.read_text()) if RECORD.exists() else {}
    differ = []
    with tempfile.TemporaryDirectory() as work:
        for case, run_args in cases.items():
            now = hashes(case, run_args, Path(work))
            if args.record:
                recorded[case] = now
            for f in FILES:
                same = recorded.get(case, {}).get(f) == now[f]
                print(f"{case:<30} {f:<13} {'same' if same else 'DIFFERS'}", flush=True)
                if not same:
                    differ.append(f"{case}/{f}")
    if args.record:
        RECORD.write_text(json.dumps(recorded, indent=2) + "\n")
        print(f"recorded in {RECORD}")
        return 0
    print("all byte-identical" if not differ else f"{len(differ)} differ: {', '.join(differ)}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
