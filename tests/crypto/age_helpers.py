"""Whole-file and in-memory age encryption for the tests (interop with ``age``, CCTV vectors).

The application streams bundles through ``AgeWriter``/``AgeReader`` directly
(``repatriation/crypto/bundle_writer.py``, ``bundle_reader.py``); these helpers wrap the same
classes for tests that need a file or a byte string.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from repatriation.crypto.age_file import AgeReader, AgeWriter, Progress
from repatriation.crypto.age_header import Stanza
from repatriation.crypto.age_recipients import Identity, Recipient
from repatriation.crypto.age_stream import NONCE_SIZE
from repatriation.crypto.atomic import atomic_output, staging_file
from repatriation.domain.bundle_limits import DEFAULT_LIMITS, Limits

_COPY_BLOCK = 1024 * 1024


def encrypt_stream(source: BinaryIO, sink: BinaryIO, recipients: Sequence[Recipient], *,
                   total: int = 0, progress: Progress | None = None,
                   extra_stanzas: Sequence[Stanza] = ()) -> int:
    """Encrypt everything ``source`` yields into ``sink``; returns the plaintext size."""
    writer = AgeWriter(sink, recipients, extra_stanzas)
    done = 0
    while block := source.read(_COPY_BLOCK):
        writer.write(block)
        done += len(block)
        if progress is not None:
            progress(done, total, "encrypting")
    writer.close()
    return done


def encrypt_file(source: Path, destination: Path, recipients: Sequence[Recipient], *,
                 progress: Progress | None = None) -> None:
    """Encrypt a file; ``destination`` appears atomically, complete or not at all."""
    total = Path(source).stat().st_size
    with open(source, "rb") as src, atomic_output(Path(destination)) as dst:
        encrypt_stream(src, dst, recipients, total=total, progress=progress)


def decrypt_file(source: Path, destination: Path, identities: Sequence[Identity], *,
                 limits: Limits = DEFAULT_LIMITS, progress: Progress | None = None) -> int:
    """Decrypt a file; returns the plaintext size.

    The plaintext is written to a private staging file beside ``destination`` and renamed only
    after the final chunk authenticates; on any error the staging file is deleted, so not one
    unauthenticated byte is left behind (pyrage leaves the truncated plaintext on disk).
    """
    destination = Path(destination)
    with open(source, "rb") as src, staging_file(destination.parent) as (temp, out):
        reader = AgeReader(src, identities, limits)
        total = reader.total_size or 0
        done = reader.header.size + NONCE_SIZE

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(done, total, "decrypting")

        size = 0
        for block in reader.blocks(advance):
            out.write(block)
            size += len(block)
        out.flush()
        os.fsync(out.fileno())
        os.replace(temp, destination)
    return size


def encrypt_bytes(data: bytes, recipients: Sequence[Recipient],
                  extra_stanzas: Sequence[Stanza] = ()) -> bytes:
    """Encrypt a small message in memory."""
    sink = io.BytesIO()
    with AgeWriter(sink, recipients, extra_stanzas) as writer:
        writer.write(data)
    return sink.getvalue()


def decrypt_bytes(data: bytes, identities: Sequence[Identity],
                  limits: Limits = DEFAULT_LIMITS) -> bytes:
    """Decrypt a small message in memory (all or nothing)."""
    reader = AgeReader(io.BytesIO(data), identities, limits)
    return b"".join(reader.blocks())
