"""Files that reach the disk while they are still being written, so the closing fsync is short.

A 256 MiB bundle lands in the page cache in a tenth of a second; the ``fsync`` that makes it
durable then waited about 0.4 s, the CPU idle (measured on the posts' virtual and real SSDs).
Two things overlap that wait with the encryption of the following chunks:

- every 8 MiB, Linux ``sync_file_range(SYNC_FILE_RANGE_WRITE)`` starts writeback of what was
  just written (PostgreSQL's ``*_flush_after`` idea); it returns at once;
- every 32 MiB, a background thread runs ``fdatasync``: the page cache being clean is not
  enough, the disk's own cache must be flushed too, and that flush costs as much again. The
  closing ``fsync`` then waits for the last few MiB only (0.03 s instead of 0.3 to 0.4 s).

Neither replaces the caller's ``fsync`` before a rename. An error seen by the background sync
is kept and raised by the next ``write``/``flush``/``close``: Linux reports a write-back error
once per file descriptor, so it must not be lost on the helper thread.
"""

from __future__ import annotations

import ctypes
import io
import os
import sys
import threading
from collections.abc import Callable
from typing import BinaryIO

WRITEBACK_STEP = 8 * 1024 * 1024
SYNC_STEP = 32 * 1024 * 1024
_SYNC_FILE_RANGE_WRITE = 2
_datasync: Callable[[int], None] = getattr(os, "fdatasync", os.fsync)


def _load_sync_file_range() -> Callable[[int, int, int], None] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # The running interpreter's own symbols include libc's; ctypes.util.find_library would
        # spawn ldconfig (about 23 ms at every start of the desk, which imports this module).
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.sync_file_range
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint]
    function.restype = ctypes.c_int

    def start_writeback(fd: int, offset: int, length: int) -> None:
        # Only a hint (ctypes releases the GIL): a refusal is ignored on purpose, since the
        # background and final syncs still report every real write failure.
        function(fd, offset, length, _SYNC_FILE_RANGE_WRITE)

    return start_writeback


_start_writeback = _load_sync_file_range()


class _Flusher:
    """A thread that pushes ``fd`` to disk when asked; requests made meanwhile coalesce.

    Even ``sync_file_range`` blocks when the disk queue is full (up to 80 ms per 256 MiB,
    profiled), so the writer thread only records how far it got and never waits here.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._wake = threading.Condition()
        self._written_to = 0  # ask: start writeback up to here
        self._sync_to = 0  # ask: fdatasync once this much is written
        self._started = 0
        self._synced = 0
        self._stopping = False
        self.error: OSError | None = None
        self.syncs = 0
        self._thread = threading.Thread(target=self._run, name="writeback", daemon=True)
        self._thread.start()

    def request(self, written: int, sync: bool) -> None:
        with self._wake:
            self._written_to = written
            if sync:
                self._sync_to = written
            self._wake.notify()

    def _next_job(self) -> tuple[str, int] | None:
        with self._wake:
            while not self._stopping and self._sync_to <= self._synced and (
                    _start_writeback is None or self._written_to <= self._started):
                self._wake.wait()
            if self._stopping:
                return None
            if self._sync_to > self._synced:
                return "sync", self._sync_to
            return "range", self._written_to

    def _run(self) -> None:
        while (job := self._next_job()) is not None:
            kind, upto = job
            try:
                if kind == "sync":
                    _datasync(self._fd)
                    self.syncs += 1
                    self._synced = self._started = upto
                elif _start_writeback is not None:
                    _start_writeback(self._fd, self._started, upto - self._started)
                    self._started = upto
            except OSError as exc:
                self.error = exc
                return

    def stop(self) -> None:
        """Finish the job under way (the rest is left to the caller's fsync) and wait."""
        with self._wake:
            self._stopping = True
            self._wake.notify()
        self._thread.join()


class WritebackFileIO(io.FileIO):
    """A raw write-only file that pushes its data towards the disk as it goes."""

    def __init__(self, fd: int, step: int = WRITEBACK_STEP, sync_step: int = SYNC_STEP) -> None:
        super().__init__(fd, "wb", closefd=True)
        self._step = step
        self._sync_step = sync_step
        self._written = 0
        self._asked = 0
        self._sync_asked = 0
        self._flusher: _Flusher | None = None
        self.background_syncs = 0

    def write(self, data: object) -> int:
        """Write ``data``; every ``step`` bytes, ask the helper thread to push them to disk."""
        self._raise_background_error()
        count = super().write(data)  # type: ignore[arg-type]
        if count is None:
            return 0  # pragma: no cover - only non-blocking files return None
        self._written += count
        if self._written - self._asked >= self._step:
            sync = self._written - self._sync_asked >= self._sync_step
            if self._flusher is None:
                self._flusher = _Flusher(self.fileno())
            self._flusher.request(self._written, sync)
            self._asked = self._written
            if sync:
                self._sync_asked = self._written
        return count

    def settle(self) -> None:
        """Stop the background work and raise the error it met, if any (before a final fsync)."""
        flusher, self._flusher = self._flusher, None
        if flusher is not None:
            flusher.stop()
            self.background_syncs += flusher.syncs
            if flusher.error is not None:
                raise flusher.error

    def _raise_background_error(self) -> None:
        if self._flusher is not None and self._flusher.error is not None:
            self.settle()

    def close(self) -> None:
        """Settle the background work, then close the file (even if settling failed)."""
        try:
            self.settle()
        finally:
            super().close()


class WritebackWriter(io.BufferedWriter):
    """A buffered writer whose ``flush`` also settles the background sync (errors included)."""

    raw: WritebackFileIO

    def flush(self) -> None:
        """Flush the buffer, then settle the background work (errors included)."""
        super().flush()
        if not self.closed:
            self.raw.settle()


def writeback_file(fd: int, step: int = WRITEBACK_STEP, sync_step: int = SYNC_STEP) -> BinaryIO:
    """A buffered binary writer over ``fd`` (which it owns and closes) with early writeback."""
    return WritebackWriter(WritebackFileIO(fd, step, sync_step), buffer_size=256 * 1024)


def early_writeback_available() -> bool:
    """Whether this platform starts writeback by range (Linux) besides the background syncs."""
    return _start_writeback is not None
