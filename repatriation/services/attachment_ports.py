"""The attachment store's port: the cipher it writes and reads files with (the crypto adapter's)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, Protocol


class AttachmentCipherPort(Protocol):
    """What the store needs from the attachment cipher (``crypto/attachment_cipher.py``)."""

    @property
    def epoch(self) -> int:
        """The key epoch new files are written under."""
        ...

    def file_name(self, sha256_hex: str) -> str:
        """The on-disk name for a content hash."""
        ...

    def encrypt(self, data: bytes) -> tuple[str, bytes]:
        """``(sha256_hex, file_bytes)``."""
        ...

    def decrypt(self, blob: bytes, sha256_hex: str | None = None) -> tuple[str, bytes]:
        """``(sha256_hex, content)``; raises ``AttachmentError``."""
        ...

    def decrypt_blocks(self, source: BinaryIO, sha256_hex: str) -> Iterator[bytes]:
        """The content block by block, checked at the end; raises ``AttachmentError``."""
        ...

    def sealer(self, sink: BinaryIO, sha256_hex: str) -> AttachmentSink:
        """A writer of one file into ``sink``: ``write`` the content, then ``close``."""
        ...


class AttachmentSink(Protocol):
    """One attachment file being written block by block."""

    def write(self, data: memoryview) -> int:
        """Encrypt and write the next piece of content."""
        ...

    def close(self) -> None:
        """Finish the file."""
        ...
