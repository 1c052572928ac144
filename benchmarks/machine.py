"""What every benchmark's JSON records: the machine it ran on, and where the file goes."""

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path


def save(name: str, **results) -> Path:
    """Write ``results`` with the machine to ``benchmarks/results/NAME.json``."""
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    machine = {"python": platform.python_version(), "cpu": platform.processor() or platform.machine(),
               "cores": os.cpu_count(), "date": time.strftime("%Y-%m-%d")}
    path = out / f"{name}.json"
    path.write_text(json.dumps({"machine": machine, **results}, indent=2) + "\n")
    return path


def in_fresh_process(script: str, *args: str) -> dict:
    """Run ``script --child ARGS`` in a new Python process; the JSON object its last line prints."""
    out = subprocess.run([sys.executable, script, "--child", *args], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])
