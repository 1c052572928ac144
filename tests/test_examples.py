"""The examples newcomers copy from must run and show what they say.

Every example also runs, with its figures, when the documentation is built (the gallery, in CI);
these check what some of them claim."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.mark.slow
def test_decoding_noise_example_runs_and_exact_expectiles_decode_as_bimodal(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "decoding_noise.py"), "--repeats", "1", "--out", "dn.png"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lines = proc.stdout.splitlines()
    assert "asymmetry 0.00, reversal 0.00" in lines[0] and lines[0].endswith("bimodal in 100%")
    assert lines[-2].endswith("bimodal in 0%")  # 160 channels, the most noise: one mode
    assert (tmp_path / "dn.png").stat().st_size > 10_000


@pytest.mark.slow
def test_the_readmes_python_tour_runs(tmp_path):
    readme = (EXAMPLES.parent / "README.md").read_text()
    tour = re.search(r"### From Python\n.*?```python\n(.*?)```", readme, re.S).group(1)
    proc = subprocess.run([sys.executable, "-c", tour], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "drate/dt = (clip(drive, 0*Hz, max_rate) - rate) / tau : Hz" in proc.stdout  # graph.equations
    assert (tmp_path / "transfer.png").stat().st_size > 10_000


@pytest.mark.slow
def test_a_habenula_added_from_outside_fires_on_omission_and_deepens_the_dip_in_both_modes(tmp_path):
    """The extension example: a region type, a rule and a task of its own (Matsumoto & Hikosaka 2007)."""
    proc = subprocess.run([sys.executable, str(EXAMPLES / "extend_habenula.py"), "--out", "hab.png"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "deepens the dip: yes" in proc.stdout
    for mode in ("rate", "spiking"):
        assert any(line.startswith(f"{mode}: habenula at the US") for line in proc.stdout.splitlines())
    assert (tmp_path / "hab.png").stat().st_size > 10_000
