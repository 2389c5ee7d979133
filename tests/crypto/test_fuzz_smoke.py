"""A 20-second run of the atheris harness (the 10-minute run is ``make fuzz``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HARNESS = ROOT / "fuzz" / "fuzz_bundle.py"


def test_fuzz_harness_runs_20_seconds_without_findings(tmp_path: Path) -> None:
    # 2 GiB, not 512 MiB: under a loaded CI run libFuzzer twice reported an 850 MB RSS that no
    # saved input reproduces alone (60 MB); tracked in the notes, the 10-minute run stays at 512.
    pytest.importorskip("atheris")
    corpus = tmp_path / "corpus"
    result = subprocess.run(
        [sys.executable, str(HARNESS), "-max_total_time=20", "-rss_limit_mb=2048",
         "-timeout=10", f"-artifact_prefix={tmp_path}/", str(corpus)],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    assert "Done" in output
    assert not list(tmp_path.glob("crash-*")) and not list(tmp_path.glob("timeout-*"))
