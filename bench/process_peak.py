"""Whole-process wall time and peak RSS of one command, measured by a small launcher process.

A child's peak RSS (``ru_maxrss``) counts the memory of the process that started it, up to its
exec: a command started by the bench runner (hundreds of MB once other benches ran, or once a
bench built its desks in process) would report at least the runner's size. A launcher started
with ``python -S`` (about 10 MB) spawns the command and reads its ``wait4`` figures, so each
figure is the command's own. The clock runs from the spawn to the exit (plus, if asked, the
fsync of the command's output, so both sides of a comparison pay for durability).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

LAUNCHER = r"""
import os, sys, time
result, synced, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
started = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
code = os.waitstatus_to_exitcode(status)
if synced and code == 0:
    fd = os.open(synced, os.O_RDONLY)
    os.fsync(fd)
    os.close(fd)
seconds = time.perf_counter() - started
with open(result, "w") as handle:
    handle.write(f"{seconds} {usage.ru_maxrss} {code}")
"""


@dataclass(frozen=True)
class Figures:
    """One run of one command."""

    seconds: float
    peak_mb: float
    code: int
    stderr: str


def measure(command: list[str], *, cwd: Path, env: dict[str, str] | None = None,
            synced: Path | None = None, settle: bool = False) -> Figures:
    """Run ``command`` (its first word looked up on PATH) and return its own figures.

    ``settle`` flushes the page cache's dirty pages first (``sync``), so a run does not pay
    for the writes of the one before it.
    """
    program = shutil.which(command[0]) or command[0]
    if settle:
        os.sync()
    with tempfile.TemporaryDirectory(prefix="bench-peak-") as folder:
        result = Path(folder) / "figures"
        done = subprocess.run(
            [sys.executable, "-S", "-c", LAUNCHER, str(result), str(synced or ""), program,
             *command[1:]],
            cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, check=False,
        )
        if not result.exists():
            raise RuntimeError(f"launcher failed: {done.stderr[-400:]}")
        seconds, peak_kib, code = result.read_text().split()
    return Figures(float(seconds), int(peak_kib) / 1024, int(code), done.stderr)
