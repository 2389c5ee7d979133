"""Attachment files at rest: AES-256-GCM under a key derived from the database key.

File layout: ``RDA1`` | key epoch (4 bytes, big-endian) | salt (16) | nonce (12) | ciphertext+tag.
The plaintext is the content's SHA-256 followed by the content, and the header is the AAD, so a
file renamed onto another one, or moved to another key epoch, fails authentication. File names
are an HMAC of the content hash: the disk does not reveal which known photo is stored.

Large files (a 64 MiB scan) are also read and written block by block (``decrypt_blocks``,
``encrypt_blocks``): the same bytes on disk, without the whole file and its copies in memory.
GCM authenticates only at the end, so blocks read that way are unauthenticated until the
iterator finishes: they may only go where a failure discards them (a bundle's temp file).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from collections.abc import Iterator
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from repatriation.crypto.keyslots import subkey
from repatriation.crypto.prefetch import hashed_alongside
from repatriation.domain.attachment_files import HEADER_BYTES, MAGIC, AttachmentError, epoch_of

_SALT = 16
_NONCE = 12
_DIGEST = 32
_TAG = 16
BLOCK = 1024 * 1024


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

    def decrypt_blocks(self, source: BinaryIO, sha256_hex: str) -> Iterator[bytes]:
        """The content of an open attachment file, block by block, checked when it ends.

        The same checks as :meth:`decrypt`, in the same order (header, authentication, hash,
        expected hash), all at the end: a consumer must discard what it received if the
        iterator raises. The hash runs on a second thread while the next block is decrypted.

        Raises:
            AttachmentError: ``attachment_damaged`` (at the start for a bad header, else at
                the end).
        """
        header = source.read(HEADER_BYTES)
        if epoch_of(header) != self.epoch:
            raise AttachmentError("attachment_damaged", reason="header")
        size = os.fstat(source.fileno()).st_size
        left = size - HEADER_BYTES - _TAG
        if left < _DIGEST:
            raise AttachmentError("attachment_damaged", reason="authentication")
        source.seek(size - _TAG)
        tag = source.read(_TAG)
        source.seek(HEADER_BYTES)
        decryptor = Cipher(algorithms.AES(self._key_for(header)),
                           modes.GCM(header[-_NONCE:], tag)).decryptor()
        decryptor.authenticate_additional_data(header)
        stored = decryptor.update(source.read(_DIGEST))
        digest = hashlib.sha256()
        yield from hashed_alongside(
            (decryptor.update(data) for data in _ciphertext(source, left - _DIGEST)), digest)
        try:
            decryptor.finalize()
        except InvalidTag:
            raise AttachmentError("attachment_damaged", reason="authentication") from None
        if digest.digest() != stored:
            raise AttachmentError("attachment_damaged", reason="hash")
        if stored.hex() != sha256_hex.lower():
            raise AttachmentError("attachment_damaged", reason="swapped")

    def sealer(self, sink: BinaryIO, sha256_hex: str) -> AttachmentSealer:
        """A writer of one attachment file into ``sink``, block by block (see the class)."""
        salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
        header = MAGIC + struct.pack(">I", self.epoch) + salt + nonce
        return AttachmentSealer(sink, header, self._key_for(header), bytes.fromhex(sha256_hex))

    def _key_for(self, header: bytes) -> bytes:
        return subkey(self._file_key, "file", header[len(MAGIC) + 4 : len(MAGIC) + 4 + _SALT])


def _ciphertext(source: BinaryIO, size: int) -> Iterator[bytes]:
    """``size`` bytes of ``source`` in blocks; a short file is a damaged one."""
    while size > 0:
        data = source.read(min(BLOCK, size))
        if not data:
            raise AttachmentError("attachment_damaged", reason="authentication")
        size -= len(data)
        yield data


class AttachmentSealer:
    """Writes an attachment file block by block: ``write`` the content, then ``close``.

    The file is byte for byte what :meth:`AttachmentCipher.encrypt` makes of the whole
    content, except that the content hash is the caller's: the caller must have checked the
    content against it before keeping the file (a wrong one is refused by every later read).
    """

    def __init__(self, sink: BinaryIO, header: bytes, key: bytes, digest: bytes) -> None:
        self._sink = sink
        self._encryptor = Cipher(algorithms.AES(key), modes.GCM(header[-_NONCE:])).encryptor()
        self._encryptor.authenticate_additional_data(header)
        sink.write(header)
        sink.write(self._encryptor.update(digest))
        self.size = 0

    def write(self, data: bytes | memoryview) -> int:
        """Encrypt and write the next piece of content."""
        self.size += len(data)
        self._sink.write(self._encryptor.update(data))
        return len(data)

    def close(self) -> None:
        """Write the authentication tag (the file is complete only after this)."""
        self._sink.write(self._encryptor.finalize())
        self._sink.write(self._encryptor.tag)
