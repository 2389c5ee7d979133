"""Attachment files at rest: AES-256-GCM under a key derived from the database key.

File layout: ``RDA1`` | key epoch (4 bytes, big-endian) | salt (16) | nonce (12) | ciphertext+tag.
The plaintext is the content's SHA-256 followed by the content, and the header is the AAD, so a
file renamed onto another one, or moved to another key epoch, fails authentication. File names
are an HMAC of the content hash: the disk does not reveal which known photo is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from repatriation.crypto.keyslots import subkey
from repatriation.domain.errors import DomainError

MAGIC = b"RDA1"
_SALT = 16
_NONCE = 12
HEADER_BYTES = len(MAGIC) + 4 + _SALT + _NONCE
_DIGEST = 32


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


class AttachmentCipher:
    """Encrypts and names attachment files for one database key epoch."""

    def __init__(self, database_key: bytes, epoch: int) -> None:
        self.epoch = epoch
        self._file_key = subkey(database_key, "repatriation attachments file")
        self._name_key = subkey(database_key, "repatriation attachments name")

    def file_name(self, sha256_hex: str) -> str:
        """The on-disk name of the content with this SHA-256 (hex).

        Args:
            sha256_hex: the content hash as stored in the case.

        Returns:
            64 hex characters.
        """
        digest = bytes.fromhex(sha256_hex)
        return hmac.new(self._name_key, digest, hashlib.sha256).hexdigest()

    def encrypt(self, data: bytes) -> tuple[str, bytes]:
        """Encrypt ``data``.

        Args:
            data: the file content.

        Returns:
            The content's SHA-256 (hex) and the file bytes.
        """
        digest = hashlib.sha256(data).digest()
        salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
        header = MAGIC + struct.pack(">I", self.epoch) + salt + nonce
        key = subkey(self._file_key, "file", salt)
        return digest.hex(), header + AESGCM(key).encrypt(nonce, digest + data, header)

    def decrypt(self, blob: bytes, sha256_hex: str | None = None) -> tuple[str, bytes]:
        """Decrypt a file and check its content hash.

        Args:
            blob: the file bytes.
            sha256_hex: the hash the caller expects (``None`` when rewrapping every file).

        Returns:
            The content's SHA-256 (hex) and the content.

        Raises:
            AttachmentError: ``attachment_damaged`` on any authentication or hash failure.
        """
        if epoch_of(blob) != self.epoch:
            raise AttachmentError("attachment_damaged", reason="header")
        header = blob[:HEADER_BYTES]
        salt = header[len(MAGIC) + 4 : len(MAGIC) + 4 + _SALT]
        nonce = header[-_NONCE:]
        key = subkey(self._file_key, "file", salt)
        try:
            plain = AESGCM(key).decrypt(nonce, blob[HEADER_BYTES:], header)
        except (InvalidTag, ValueError):
            raise AttachmentError("attachment_damaged", reason="authentication") from None
        digest, data = plain[:_DIGEST], plain[_DIGEST:]
        if hashlib.sha256(data).digest() != digest:
            raise AttachmentError("attachment_damaged", reason="hash")
        if sha256_hex is not None and digest.hex() != sha256_hex.lower():
            raise AttachmentError("attachment_damaged", reason="swapped")
        return digest.hex(), data
