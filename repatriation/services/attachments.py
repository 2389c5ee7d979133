"""Attachment store: content-addressed, encrypted files under the data directory.

Photos and scans never touch the disk in clear. Each file is written atomically, named from a
keyed hash of its content (identical content is stored once), and re-encrypted file by file by
the vault when the database key is rotated (``vault/attachment_rewrap.py``).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from repatriation.domain.attachment_files import AttachmentError, stored_path
from repatriation.domain.people import Attachment
from repatriation.domain.text import nfc
from repatriation.files import atomic_write_bytes, fsync_directory, private_folders
from repatriation.services.attachment_ports import AttachmentCipherPort, AttachmentSink

__all__ = ["AttachmentError", "AttachmentService"]

MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024  # a scan or photo; whole-file AEAD keeps it in memory
_SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")


class AttachmentService:
    """Store, load and remove attachment contents; the metadata lives in the case record."""

    def __init__(
        self,
        directory: Path,
        cipher: AttachmentCipherPort | None,
        max_bytes: int = MAX_ATTACHMENT_BYTES,
    ) -> None:
        self.directory = Path(directory)
        self._cipher = cipher
        self._max_bytes = max_bytes

    def _require_cipher(self) -> AttachmentCipherPort:
        # Before set-up there is no key: refuse rather than write a photo in clear.
        if self._cipher is None:
            raise AttachmentError("attachments_need_setup")
        return self._cipher

    def _path(self, name: str) -> Path:
        return stored_path(self.directory, name)

    def _path_for(self, sha256_hex: str) -> Path:
        if not _SHA256.match(sha256_hex):
            raise AttachmentError("attachment_missing", sha256=sha256_hex[:80])
        return self._path(self._require_cipher().file_name(sha256_hex.lower()))

    def store(
        self, data: bytes, file_name: str, media_type: str, kind: str = "photo"
    ) -> Attachment:
        """Encrypt and store ``data``; returns the reference to keep in the case.

        Args:
            data: the file content.
            file_name: the original name (kept only inside the encrypted case record).
            media_type: e.g. ``image/jpeg``.
            kind: ``photo``, ``scan``...

        Returns:
            The attachment reference (content hash, name, type, size).

        Raises:
            AttachmentError: ``attachment_too_large`` or ``attachments_need_setup``.
        """
        cipher = self._require_cipher()
        if len(data) > self._max_bytes:
            raise AttachmentError("attachment_too_large", size=len(data), limit=self._max_bytes)
        sha256_hex, blob = cipher.encrypt(data)
        path = self._path(cipher.file_name(sha256_hex))
        if not path.exists():
            atomic_write_bytes(path, blob)
        return Attachment(
            sha256=sha256_hex,
            file_name=nfc(file_name),
            media_type=media_type,
            size=len(data),
            kind=kind,
        )

    def load(self, sha256_hex: str) -> bytes:
        """The content with this hash, decrypted and checked.

        Raises:
            AttachmentError: ``attachment_missing`` or ``attachment_damaged``.
        """
        path = self._path_for(sha256_hex)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise AttachmentError("attachment_missing", sha256=sha256_hex) from None
        return self._require_cipher().decrypt(blob, sha256_hex)[1]

    def blocks(self, sha256_hex: str) -> Iterator[bytes]:
        """The content with this hash, block by block, without holding it in memory.

        Every check of :meth:`load` runs, the last ones when the iterator ends: whoever
        consumes the blocks must discard what it made of them if the iterator raises.

        Raises:
            AttachmentError: ``attachment_missing`` or ``attachment_damaged``.
        """
        path = self._path_for(sha256_hex)
        cipher = self._require_cipher()
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            raise AttachmentError("attachment_missing", sha256=sha256_hex) from None
        with handle:
            yield from cipher.decrypt_blocks(handle, sha256_hex.lower())

    def sealer(self, sink: BinaryIO, sha256_hex: str) -> AttachmentSink:
        """Write a file of this store's format into ``sink`` (to be :meth:`adopt`-ed).

        The caller checks the content against ``sha256_hex`` before adopting the file.
        """
        return self._require_cipher().sealer(sink, sha256_hex.lower())

    def adopt(self, staged: Path, sha256_hex: str, size: int, file_name: str,
              media_type: str, kind: str = "photo") -> Attachment:
        """Move a file written through :meth:`sealer` into the store (same disk: a rename).

        Like :meth:`store`, durably: the file is synced before the rename, the folder after.

        Raises:
            AttachmentError: ``attachment_too_large`` or ``attachments_need_setup``.
        """
        cipher = self._require_cipher()
        if size > self._max_bytes:
            raise AttachmentError("attachment_too_large", size=size, limit=self._max_bytes)
        path = self._path(cipher.file_name(sha256_hex.lower()))
        if not path.exists():
            private_folders(path.parent)
            fd = os.open(staged, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(staged, path)
            fsync_directory(path.parent)
        return Attachment(sha256=sha256_hex.lower(), file_name=nfc(file_name),
                          media_type=media_type, size=size, kind=kind)

    def contains(self, sha256_hex: str) -> bool:
        """Whether a file for this hash is stored."""
        return self._path_for(sha256_hex).exists()

    def remove(self, sha256_hex: str) -> bool:
        """Delete the file for this hash; returns whether it existed."""
        path = self._path_for(sha256_hex)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True
