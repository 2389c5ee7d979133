"""The uncompressed archive inside a bundle: a minimal ustar writer and a strict streaming reader.

The reader never extracts anything: it walks 512-byte headers over the decrypted stream, accepts
only regular files whose names it is told to expect (in order), caps every declared size before
reading, and hands each member's bytes to a sink. Links, directories, devices, pax/GNU headers,
unexpected names, duplicates and trailing members are refused. No compression exists, so there
is no decompression bomb to defuse: a declared size is all an attacker controls, and it is capped.
"""

from __future__ import annotations

import tarfile
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Protocol

from repatriation.domain.bundle_errors import (
    BadArchiveError,
    TamperedError,
    TooLargeError,
    TruncatedError,
)

BLOCK = 512
END_OF_ARCHIVE = bytes(2 * BLOCK)
_MAX_END_PADDING = 20 * BLOCK  # GNU tar pads to a 10 KiB record: tolerated, zeros only


def padded(size: int) -> int:
    """``size`` rounded up to whole blocks."""
    return -(-size // BLOCK) * BLOCK


def member_header(name: str, size: int, mtime: datetime) -> bytes:
    """One ustar header for a regular file (owner 0, mode 0644)."""
    info = tarfile.TarInfo(name)
    info.size = size
    info.mtime = int(mtime.timestamp())
    info.mode = 0o644
    info.type = tarfile.REGTYPE
    info.uname = info.gname = ""
    return info.tobuf(format=tarfile.USTAR_FORMAT, encoding="ascii", errors="strict")


def archive_size(sizes: list[int]) -> int:
    """Exact archive length for members of these sizes (known before writing anything)."""
    return sum(BLOCK + padded(s) for s in sizes) + len(END_OF_ARCHIVE)


class Sink(Protocol):
    """Anything with ``write`` (the age writer, a counter in front of it, a file)."""

    def write(self, data: bytes) -> int:
        """Write ``data``."""
        ...


class TarWriter:
    """Writes members one after another into ``sink``."""

    def __init__(self, sink: Sink, mtime: datetime) -> None:
        self._sink = sink
        self._mtime = mtime

    def add_bytes(self, name: str, data: bytes) -> None:
        """Add a member held in memory."""
        self._sink.write(member_header(name, len(data), self._mtime))
        self._sink.write(data)
        self._sink.write(bytes(padded(len(data)) - len(data)))

    def add_stream(self, name: str, size: int, blocks: Iterator[bytes]) -> None:
        """Add a member whose ``size`` bytes come from ``blocks`` (checked to add up)."""
        self._sink.write(member_header(name, size, self._mtime))
        written = 0
        for block in blocks:
            written += len(block)
            if written > size:
                break
            self._sink.write(block)
        if written != size:
            raise TamperedError(name, "source", reason="source_changed")
        self._sink.write(bytes(padded(size) - size))

    def close(self) -> None:
        """Write the end-of-archive marker."""
        self._sink.write(END_OF_ARCHIVE)


class PlainStream:
    """Pull-style reads over the decrypted blocks (which stay authenticated chunk by chunk)."""

    def __init__(self, blocks: Iterator[bytes | memoryview]) -> None:
        self._blocks = blocks
        self._current = memoryview(b"")
        self.position = 0

    def read_view(self, size: int) -> memoryview:
        """Up to ``size`` bytes without copying (fewer at a block's end); empty only at the end."""
        while not self._current.nbytes:
            block = next(self._blocks, None)
            if block is None:
                return memoryview(b"")
            self._current = memoryview(block).cast("B")
        take = self._current[:size]
        self._current = self._current[take.nbytes:]
        self.position += take.nbytes
        return take

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; fewer only at the end of the stream."""
        parts: list[memoryview] = []
        wanted = size
        while wanted > 0:
            take = self.read_view(wanted)
            if not take.nbytes:
                break
            parts.append(take)
            wanted -= take.nbytes
        return b"".join(parts)

    def drain(self) -> int:
        """Consume the rest (this runs the final-chunk check); returns how many bytes were left."""
        left = self._current.nbytes
        self._current = memoryview(b"")
        for block in self._blocks:
            left += len(block)
        self.position += left
        return left


class TarReader:
    """Reads members in the order the caller expects them, refusing anything else."""

    def __init__(self, stream: PlainStream, max_member_bytes: int) -> None:
        self._stream = stream
        self._max = max_member_bytes

    def next_header(self, expected: str | None) -> tarfile.TarInfo | None:
        """The next member's header, ``None`` at the end marker (only if ``expected`` is None)."""
        where = f"offset {self._stream.position}"
        block = self._stream.read(BLOCK)
        if len(block) < BLOCK:
            raise TruncatedError("archive", where, reason="eof_in_header",
                                 expected=expected or "end")
        if block == bytes(BLOCK):
            if expected is not None:
                raise BadArchiveError("archive", where, reason="missing_member", name=expected)
            self._finish(where)
            return None
        try:
            info = tarfile.TarInfo.frombuf(block, encoding="utf-8", errors="strict")
        except (tarfile.HeaderError, UnicodeDecodeError, ValueError):
            raise BadArchiveError("archive", where, reason="bad_header") from None
        if info.size < 0:
            raise BadArchiveError("archive", where, reason="bad_header")
        if info.type not in (tarfile.REGTYPE, tarfile.AREGTYPE):
            raise BadArchiveError("archive", where, reason="not_a_regular_file",
                                  type=info.type.decode("ascii", "replace"))
        if expected is None:
            raise BadArchiveError("archive", where, reason="unlisted_member",
                                  name=info.name[:100])
        if info.name != expected:
            raise BadArchiveError("archive", where, reason="unexpected_name",
                                  name=info.name[:100], expected=expected)
        if info.size > self._max:
            raise TooLargeError(expected, where, size=info.size, limit=self._max)
        return info

    def copy_member(self, info: tarfile.TarInfo, sink: Callable[[memoryview], None],
                    block_size: int = 1024 * 1024) -> None:
        """Feed the member's bytes to ``sink`` (views valid as long as the sink keeps them)."""
        left = info.size
        while left:
            data = self._stream.read_view(min(block_size, left))
            if not data.nbytes:
                raise TruncatedError(info.name, f"offset {self._stream.position}",
                                     reason="eof_in_member")
            sink(data)
            left -= data.nbytes
        pad = padded(info.size) - info.size
        if pad and len(self._stream.read(pad)) < pad:
            raise TruncatedError(info.name, f"offset {self._stream.position}",
                                 reason="eof_in_padding")

    def read_member(self, info: tarfile.TarInfo, limit: int) -> bytes:
        """The member's bytes in memory (for the JSON documents), refused over ``limit``."""
        if info.size > limit:
            raise TooLargeError(info.name, "", size=info.size, limit=limit)
        parts: list[memoryview] = []
        self.copy_member(info, parts.append)
        return b"".join(parts)

    def _finish(self, where: str) -> None:
        second = self._stream.read(BLOCK)
        if second != bytes(BLOCK):
            raise BadArchiveError("archive", where, reason="bad_end_marker")
        tail = self._stream.read(_MAX_END_PADDING + 1)
        if tail.strip(b"\x00") or len(tail) > _MAX_END_PADDING:
            raise BadArchiveError("archive", where, reason="data_after_end")
