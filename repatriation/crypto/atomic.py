"""Atomic, private file output and private staging files for the crypto layer.

Output: temp file in the same directory, fsync, rename, fsync directory (shared helper).

A reader never sees a half-written export or key file, a crash or a full disk leaves the old
file intact, and a failure removes the temp file (docs/stack-notes.md, Cryptography).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from repatriation.files import atomic_writer
from repatriation.writeback import writeback_file


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[BinaryIO]:
    """Write ``path`` atomically with mode 0600; a missing folder is refused, never created."""
    with atomic_writer(Path(path), 0o600, create_parent=False) as handle:
        yield handle


@contextlib.contextmanager
def staging_file(directory: Path, prefix: str = "") -> Iterator[tuple[Path, BinaryIO]]:
    """A private (0600) scratch file that is always deleted on exit unless moved away first.

    Named ``.staging-<pid>-...``: a killed process's file is removed at the next start.
    """
    prefix = prefix or f".staging-{os.getpid()}-"
    fd, name = tempfile.mkstemp(dir=directory, prefix=prefix, suffix=".part")
    path = Path(name)
    try:
        with writeback_file(fd) as handle:
            yield path, handle
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
