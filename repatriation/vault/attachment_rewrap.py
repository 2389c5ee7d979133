"""Re-encrypting the attachment files under a new database key, file by file (key rotation)."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from pathlib import Path

from repatriation.domain.attachment_files import FILE_NAME, HEADER_BYTES, epoch_of, stored_path
from repatriation.files import atomic_write_bytes
from repatriation.services.attachment_ports import AttachmentCipherPort

log = logging.getLogger(__name__)


def attachment_files(directory: Path) -> Iterator[Path]:
    """Every attachment file on disk (temp files of interrupted writes excluded)."""
    if not directory.is_dir():
        return
    for sub in sorted(directory.iterdir()):
        if sub.is_dir():
            yield from (p for p in sorted(sub.iterdir()) if FILE_NAME.match(p.name))


def rewrap_all(directory: Path, old: AttachmentCipherPort, new: AttachmentCipherPort) -> int:
    """Re-encrypt every file of ``old``'s epoch under ``new`` (key rotation).

    Each file is written under its new name before the old one is removed, so a crash at
    any point leaves every content readable with one of the two keys; running again
    finishes the job.

    Returns:
        How many files were re-encrypted.
    """
    done = 0
    for path in list(attachment_files(directory)):
        with path.open("rb") as handle:
            epoch = epoch_of(handle.read(HEADER_BYTES))
        if epoch == new.epoch:
            continue
        if epoch != old.epoch:
            log.warning("attachment file with unknown key epoch left as is")
            continue
        sha256_hex, data = old.decrypt(path.read_bytes())
        _, blob = new.encrypt(data)
        atomic_write_bytes(stored_path(directory, new.file_name(sha256_hex)), blob)
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        done += 1
    return done
