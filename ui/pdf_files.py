"""Rendered PDFs go to private temporary files for the system viewer, and are removed at exit.

QtPdf (PySide6-Addons) is not shipped, so previews and printing use the system's PDF viewer.
The files hold children's data: created 0600 by ``tempfile`` and deleted when the desk closes.
"""

from __future__ import annotations

import contextlib
import re
import tempfile
import threading
from pathlib import Path

_written: list[Path] = []
_lock = threading.Lock()
_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def write_temp_pdf(data: bytes, name: str) -> Path:
    """Write ``data`` to a new private temporary ``.pdf`` whose name starts with ``name``."""
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed right below, kept on disk on purpose
        prefix=f"{_UNSAFE.sub('_', name)}-", suffix=".pdf", delete=False
    )
    with handle:
        handle.write(data)
    path = Path(handle.name)
    with _lock:
        _written.append(path)
    return path


def remove_temp_pdfs() -> int:
    """Delete every PDF written this session; returns how many were removed."""
    with _lock:
        paths, _written[:] = list(_written), []
    removed = 0
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
            removed += 1
    return removed
