"""Early writeback: the bytes arrive intact, the disk is asked early, background errors surface."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import repatriation.writeback as writeback
from repatriation.files import atomic_writer

MIB = 1024 * 1024


def _open(path: Path) -> int:
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)


def _writeback_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "writeback"]


def test_content_is_intact_and_ranges_cover_the_file_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ranges: list[tuple[int, int]] = []
    far_enough = threading.Event()

    def record(fd: int, offset: int, length: int) -> None:
        ranges.append((offset, length))
        if offset + length >= 4 * MIB:
            far_enough.set()

    monkeypatch.setattr(writeback, "_start_writeback", record)
    data = os.urandom(5 * MIB + 123)
    with writeback.writeback_file(_open(tmp_path / "f"), step=MIB, sync_step=64 * MIB) as out:
        for start in range(0, len(data), 300_000):  # writes that straddle every step
            out.write(data[start:start + 300_000])
        # The helper thread catches up with the latest request (unless the file is closed).
        assert far_enough.wait(30)
    assert (tmp_path / "f").read_bytes() == data
    assert ranges, "writeback was never asked for"
    position = 0
    for offset, length in ranges:
        assert offset == position and length > 0  # contiguous, no gap, no overlap
        position += length
    assert 4 * MIB <= position <= len(data)  # the tail is left to the caller's fsync


def test_background_syncs_run_for_large_files_only(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    synced = threading.Event()
    real_sync = writeback._datasync

    def recording_sync(fd: int) -> None:
        real_sync(fd)
        synced.set()

    monkeypatch.setattr(writeback, "_datasync", recording_sync)
    large = writeback.WritebackFileIO(_open(tmp_path / "large"), step=MIB, sync_step=2 * MIB)
    for _ in range(8):
        large.write(os.urandom(MIB))
    assert synced.wait(30)
    large.close()
    assert large.background_syncs >= 1
    small = writeback.WritebackFileIO(_open(tmp_path / "small"), step=MIB, sync_step=2 * MIB)
    small.write(b"x" * 1000)
    small.close()
    assert small.background_syncs == 0
    assert _writeback_threads() == []


def _failing_sync(monkeypatch: pytest.MonkeyPatch, error: OSError) -> threading.Event:
    """Make every background sync fail with ``error``; the event tells that one was tried."""
    reached = threading.Event()

    def failing_sync(fd: int) -> None:
        reached.set()
        raise error

    monkeypatch.setattr(writeback, "_datasync", failing_sync)
    return reached


def test_an_error_of_the_background_sync_is_raised_to_the_writer(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reached = _failing_sync(monkeypatch, OSError(5, "Input/output error"))
    handle = writeback.writeback_file(_open(tmp_path / "f"), step=MIB, sync_step=MIB)
    handle.write(os.urandom(2 * MIB))
    assert reached.wait(30)  # a request not yet started when the file is flushed is dropped
    with pytest.raises(OSError, match="Input/output error"):
        handle.flush()
    handle.close()
    assert handle.closed and _writeback_threads() == []


def test_atomic_writer_refuses_to_publish_a_file_whose_background_sync_failed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reached = _failing_sync(monkeypatch, OSError(28, "No space left on device"))
    target = tmp_path / "bundle.vnbundle"
    target.write_bytes(b"the previous export")
    with pytest.raises(OSError, match="No space"), atomic_writer(target) as out:
        for _ in range(40):
            out.write(os.urandom(MIB))
        assert reached.wait(30)
    assert target.read_bytes() == b"the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bundle.vnbundle"]


def test_linux_uses_sync_file_range() -> None:
    if os.uname().sysname != "Linux":
        pytest.skip("sync_file_range is Linux only")
    assert writeback.early_writeback_available()
