"""Run every ``bench/bench_*.py`` module (or those named on the command line) and print a table.

Each module defines ``run(report) -> None`` and calls
``report(name, value_ms, reference_ms, goal)`` for every figure; the ratio is value / reference.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import time
from pathlib import Path

import bench


def report(name: str, value_ms: float, reference_ms: float, goal: str = "") -> None:
    """Print one figure with its reference and ratio."""
    ratio = value_ms / reference_ms if reference_ms > 0 else float("inf")
    print(f"{name:<58} {value_ms:10.2f} ms  ref {reference_ms:10.2f} ms  x{ratio:7.2f}  {goal}", flush=True)


def main() -> int:
    """Discover and run the benchmark modules."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("modules", nargs="*", help="module names such as bench_cases (default: all)")
    args = parser.parse_args()
    names = args.modules or sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(bench.__file__).parent)])
        if m.name.startswith("bench_")
    )
    failures = 0
    for name in names:
        started = time.perf_counter()
        print(f"== {name}", flush=True)
        try:
            importlib.import_module(f"bench.{name}").run(report)
        except Exception as exc:
            failures += 1
            print(f"!! {name} failed: {type(exc).__name__}: {exc}", flush=True)
        print(f"== {name} done in {time.perf_counter() - started:.1f} s", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
