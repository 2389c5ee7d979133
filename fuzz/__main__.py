"""Run every ``fuzz/fuzz_*.py`` harness for a while (``make fuzz``); exit 1 on any finding.

Usage: ``python -m fuzz [--seconds 600] [names...]``. Each harness runs in its own process with
libFuzzer's limits for the release goal: 1 s per input, 512 MB of memory. Corpora and crash
files go under the system temp directory.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run the harnesses one after another and print a summary line for each."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=600, help="per harness (default 600)")
    parser.add_argument("names", nargs="*", help="harness names such as fuzz_bundle")
    args = parser.parse_args()
    names = args.names or sorted(p.stem for p in HERE.glob("fuzz_*.py"))
    failures = 0
    for name in names:
        artifacts = Path(tempfile.gettempdir()) / "vn-ctp-fuzz" / f"{name}-artifacts"
        artifacts.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [sys.executable, str(HERE / f"{name}.py"), f"-max_total_time={args.seconds}",
             "-rss_limit_mb=512", "-timeout=1", f"-artifact_prefix={artifacts}/"],
            capture_output=True, text=True, check=False)
        tail = [line for line in result.stderr.splitlines() if line.startswith(("#", "Done"))]
        status = "ok" if result.returncode == 0 else f"FINDING (see {artifacts})"
        print(f"{name}: {status}; {tail[-1] if tail else ''}", flush=True)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
