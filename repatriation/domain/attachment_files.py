"""Attachment files at rest as plain data: their header's layout and the store's error.

The header is ``RDA1`` | key epoch (4 bytes, big-endian) | salt (16) | nonce (12); the cipher
itself is the crypto adapter's (``repatriation.crypto.attachment_cipher``). The attachment
service reads the epoch to know which files a key rotation has still to re-encrypt.
"""

from __future__ import annotations

import struct
from typing import Any

from repatriation.domain.errors import DomainError

MAGIC = b"RDA1"
HEADER_BYTES = len(MAGIC) + 4 + 16 + 12  # magic, epoch, salt, nonce


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
