"""The examples newcomers copy from must run."""

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parent.parent / "examples"


def test_pavlovian_transfer_example_runs(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "pavlovian_transfer.py"), "--trials", "12"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "pavlovian_transfer.png").stat().st_size > 10_000


def test_action_selection_example_runs(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "action_selection.py"), "--out", "sel.png"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "sel.png").stat().st_size > 10_000


def test_working_memory_example_runs(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "working_memory.py"), "--out", "wm.png"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "wm.png").stat().st_size > 10_000


def test_decoding_noise_example_runs_and_exact_expectiles_decode_as_bimodal(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "decoding_noise.py"), "--repeats", "1", "--out", "dn.png"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert "asymmetry 0.00, reversal 0.00" in lines[0] and lines[0].endswith("bimodal in 100%")
    assert lines[-2].endswith("bimodal in 0%")  # 160 channels, the most noise: one mode
    assert (tmp_path / "dn.png").stat().st_size > 10_000
