"""Attachment files at rest as plain data: their header's layout, where they lie, the store's error.

The header is ``RDA1`` | key epoch (4 bytes, big-endian) | salt (16) | nonce (12); the cipher
itself is the crypto adapter's (``repatriation.crypto.attachment_cipher``). The vault reads the
epoch to know which files a key rotation has still to re-encrypt (``vault/attachment_rewrap.py``);
the attachment service and the vault place files by the same layout (:func:`stored_path`).
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any

from repatriation.domain.errors import DomainError

MAGIC = b"RDA1"
HEADER_BYTES = len(MAGIC) + 4 + 16 + 12  # magic, epoch, salt, nonce
SUFFIX = ".rda"
# A stored file's name; temp files of interrupted writes do not match it.
FILE_NAME = re.compile(r"^[0-9a-f]{64}\.rda$")


class AttachmentError(DomainError):
    """An attachment is missing, damaged, too large, or cannot be stored in this mode."""

    code = "attachment"

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)


def epoch_of(head: bytes) -> int | None:
    """The key epoch written in a file header, or ``None`` when it is not an attachment file."""
    if len(head) < HEADER_BYTES or not head.startswith(MAGIC):
        return None
    return int(struct.unpack(">I", head[len(MAGIC) : len(MAGIC) + 4])[0])


def stored_path(directory: Path, name: str) -> Path:
    """Where the file named ``name`` (the cipher's keyed name) lies under the store's directory."""
    # Two-character subfolders keep any one folder small on the posts' old file systems.
    return directory / name[:2] / f"{name}{SUFFIX}"
