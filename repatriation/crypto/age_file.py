"""age v1 files: encrypt to recipients, open with identities, never release unauthenticated bytes.

``AgeWriter`` writes header + payload as a stream. ``AgeReader`` parses the header under caps,
lets the caller veto it (``pre_check``, e.g. the bundle version stanza) before any key work,
unwraps the file key, checks the header MAC, then yields authenticated plaintext blocks.
``encrypt_file``/``decrypt_file`` add atomic output: the plaintext goes to a private staging
file that is renamed into place only after the final chunk authenticates, and deleted otherwise.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
from collections.abc import Callable, Generator, Sequence
from typing import BinaryIO

from repatriation.crypto.age_armor import ArmorReader, looks_armored
from repatriation.crypto.age_header import (
    Header,
    Stanza,
    b64_encode,
    encode_header_for_mac,
    parse_header,
)
from repatriation.crypto.age_recipients import (
    FILE_KEY_SIZE,
    Identity,
    Recipient,
    ScryptIdentity,
    ScryptRecipient,
    hkdf_sha256,
)
from repatriation.crypto.age_stream import (
    CHUNK,
    NONCE_SIZE,
    StreamOpener,
    StreamSealer,
    read_full,
)
from repatriation.domain.bundle_errors import TamperedError, TruncatedError, WrongKeyError
from repatriation.domain.bundle_limits import DEFAULT_LIMITS, Limits

Progress = Callable[[int, int, str], None]
_SNIFF = 2048


def _header_mac(file_key: bytes, mac_input: bytes) -> bytes:
    return hmac.new(hkdf_sha256(file_key, b"", b"header"), mac_input, hashlib.sha256).digest()


class AgeWriter:
    """Encrypts a stream into ``sink``; write the plaintext, then ``close()`` (or use ``with``)."""

    def __init__(self, sink: BinaryIO, recipients: Sequence[Recipient],
                 extra_stanzas: Sequence[Stanza] = ()) -> None:
        if not recipients:
            raise ValueError("at least one recipient is needed")
        if any(isinstance(r, ScryptRecipient) for r in recipients) and (
            len(recipients) > 1 or extra_stanzas
        ):
            # The spec: an scrypt stanza must be alone in the header.
            raise ValueError("a passphrase recipient cannot be combined with other stanzas")
        file_key = os.urandom(FILE_KEY_SIZE)
        stanzas = [*extra_stanzas, *(r.wrap(file_key) for r in recipients)]
        mac_input = encode_header_for_mac(stanzas)
        nonce = os.urandom(NONCE_SIZE)
        sink.write(mac_input + b" " + b64_encode(_header_mac(file_key, mac_input)) + b"\n")
        sink.write(nonce)
        self._sealer = StreamSealer(hkdf_sha256(file_key, nonce, b"payload"), sink)

    def write(self, data: bytes | bytearray | memoryview) -> int:
        """Encrypt more plaintext."""
        return self._sealer.write(data)

    @property
    def plaintext_size(self) -> int:
        """Plaintext bytes written so far."""
        return self._sealer.plaintext_size

    def close(self) -> None:
        """Write the final chunk."""
        self._sealer.close()

    def __enter__(self) -> AgeWriter:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is None:
            self.close()


class PrefixedReader(io.RawIOBase):
    """A raw stream that first replays ``prefix`` (bytes already sniffed) then reads ``rest``."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        super().__init__()
        self._prefix = memoryview(prefix)
        self._rest = rest

    def readable(self) -> bool:
        """Always readable."""
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        """Fill ``buffer`` from the prefix first, then from the rest."""
        if self._prefix.nbytes:
            count = min(len(buffer), self._prefix.nbytes)
            memoryview(buffer)[:count] = self._prefix[:count]
            self._prefix = self._prefix[count:]
            return count
        readinto = getattr(self._rest, "readinto", None)
        if readinto is not None:  # a real file: straight into the caller's buffer
            return int(readinto(buffer) or 0)
        data = self._rest.read(len(buffer))
        if not data:
            return 0
        memoryview(buffer)[:len(data)] = data
        return len(data)


def _remaining_length(source: BinaryIO) -> int | None:
    """Bytes from the current position to the end, when the source can tell."""
    try:
        if not source.seekable():
            return None
        start = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(start)
    except (OSError, ValueError):
        return None
    return end - start


class AgeReader:
    """Opens an age file: header checks and key unwrapping happen in the constructor."""

    def __init__(self, source: BinaryIO, identities: Sequence[Identity],
                 limits: Limits = DEFAULT_LIMITS, *,
                 pre_check: Callable[[Header], None] | None = None) -> None:
        total = _remaining_length(source)
        head = read_full(source, _SNIFF)
        self.armored = looks_armored(head, limits)
        stream: BinaryIO = io.BufferedReader(PrefixedReader(head, source), buffer_size=CHUNK)
        if self.armored:
            stream = io.BufferedReader(ArmorReader(stream, limits), buffer_size=CHUNK)
        self._stream = stream
        self.header = parse_header(stream, limits)
        if pre_check is not None:
            pre_check(self.header)
        stanzas = self.header.stanzas
        if len(stanzas) > 1 and any(s.type == "scrypt" for s in stanzas):
            raise TamperedError("age_header", "stanzas", reason="scrypt_not_alone")
        self.identity, file_key = self._unwrap(identities, limits)
        expected = _header_mac(file_key, self.header.mac_input)
        if not hmac.compare_digest(expected, self.header.mac):
            raise TamperedError("age_header", "mac", reason="header_mac")
        nonce = read_full(stream, NONCE_SIZE)
        if len(nonce) < NONCE_SIZE:
            raise TruncatedError("payload", "nonce", reason="short_nonce")
        self._payload_key = hkdf_sha256(file_key, nonce, b"payload")
        # Ciphertext chunks left after the nonce (binary files only: armor hides the length).
        self.payload_remaining: int | None = None
        if total is not None and not self.armored:
            self.payload_remaining = total - self.header.size - NONCE_SIZE
        self.total_size = total

    def _unwrap(self, identities: Sequence[Identity], limits: Limits) -> tuple[Identity, bytes]:
        for identity in identities:
            file_key = identity.unwrap(self.header.stanzas, limits)
            if file_key is not None:
                return identity, file_key
        types = sorted({s.type for s in self.header.stanzas})
        # A passphrase that was tried on a passphrase bundle is simply wrong: say so.
        tried_passphrase = "scrypt" in types and any(
            isinstance(i, ScryptIdentity) for i in identities)
        raise WrongKeyError("age_header", "stanzas",
                            reason="wrong_passphrase" if tried_passphrase
                            else "no_matching_recipient",
                            stanza_types=",".join(types)[:80])

    def blocks(self, on_bytes: Callable[[int], None] | None = None,
               ) -> Generator[memoryview, None, None]:
        """Authenticated plaintext blocks; the stream is complete only if this ends cleanly."""
        return StreamOpener(self._payload_key, self._stream, on_bytes).blocks()
