"""Crash-safe file writes: temp file in the same directory, fsync, atomic replace, fsync directory."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from repatriation.domain.errors import ValidationError
from repatriation.writeback import writeback_file


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable."""
    # Windows cannot open a directory for fsync; NTFS journals the rename itself.
    if os.name == "nt":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_writer(
    path: Path, mode: int = 0o600, *, create_parent: bool = True
) -> Iterator[BinaryIO]:
    """Yield a binary handle whose content replaces ``path`` only if the block completes.

    On any error (disk full included) the old file is left intact and no temp file remains.
    ``create_parent=False`` (every file the user names) refuses a missing folder instead of
    creating it: a backup aimed at an unmounted USB stick must not land on the local disk.

    Raises:
        ValidationError: ``output_folder_missing`` (with ``folder``) when the folder is missing.
    """
    path = Path(path)
    if create_parent:
        private_folders(path.parent)
    else:
        require_folder(path)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        exc.filename = str(path)  # the file the user named (read-only disk, no permission)
        raise
    tmp = Path(tmp_name)
    try:
        os.chmod(tmp, mode)
        # Early writeback: large files (bundles, backups) are mostly on disk by the fsync.
        with writeback_file(fd) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
        fsync_directory(path.parent)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        if isinstance(exc, OSError) and exc.filename in (None, tmp_name):
            exc.filename = str(path)  # the file the user named, not our temp file
        raise


def atomic_write_bytes(path: Path, data: bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically and durably."""
    with atomic_writer(path, mode) as handle:
        handle.write(data)


def require_folder(path: Path) -> None:
    """Refuse an output path whose folder does not exist (or is not a folder)."""
    folder = Path(path).parent
    if str(path) in ("", ".") or not folder.is_dir():
        raise ValidationError("output_folder_missing", folder=str(folder), path=str(path))
    if Path(path).is_dir():
        raise ValidationError("output_is_folder", path=str(path))


@contextlib.contextmanager
def output_writer(path: Path) -> Iterator[BinaryIO]:
    """A file the user asked for (export, form, backup): atomic, 0600, its folder must exist."""
    with atomic_writer(path, 0o600, create_parent=False) as handle:
        yield handle


def write_output(path: Path, data: bytes) -> None:
    """Write a user-named output file whole or not at all (see :func:`output_writer`)."""
    with output_writer(path) as handle:
        handle.write(data)


def private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents owner-only (0700), whatever the umask.

    ``Path.mkdir(parents=True)`` gives missing parents the umask's mode (0755 as a rule), which
    let other accounts list the attachment store's folders.
    """
    missing = []
    while not folder.exists():
        missing.append(folder)
        if folder.parent == folder:
            break
        folder = folder.parent
    for level in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another process
            level.mkdir(mode=0o700)
            os.chmod(level, 0o700)  # mkdir's mode is masked by the umask


def make_private(data_dir: Path) -> None:
    """Owner-only access to a data folder and the database files in it (0700 / 0600).

    Versions before this one left the database 0644 under a 0755 folder: readable by every
    account on the machine. Files we cannot change (another owner) are left as they are.
    """
    if os.name != "posix":
        return
    for path in (data_dir, *data_dir.glob("repatriation.sqlite3*")):
        with contextlib.suppress(OSError):
            wanted = 0o700 if path.is_dir() else 0o600
            if path.stat().st_mode & 0o777 != wanted:
                os.chmod(path, wanted)
