"""Remove what a killed import or export left behind, at the next start.

A bundle import stages members under ``<data dir>/.bundle-staging-<pid>-*`` (encrypted under a
key that died with the process, so unreadable, but a 1 GB bundle leaves 1 GB); an export
writes ``.<name>.<random>.tmp`` beside its target, which may be a USB stick anywhere. Exports
are therefore written down first in a journal in the data directory, with the writer's process
id. :func:`remove_leftovers` deletes staging directories and journaled temp files whose
process is gone (a live process, e.g. a second desk window, keeps its own).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

STAGING_PREFIX = ".bundle-staging-"
JOURNAL_NAME = "bundle-exports.journal"


def staging_prefix() -> str:
    """The staging directory prefix for this process."""
    return f"{STAGING_PREFIX}{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_of(name: str, prefix: str) -> int | None:
    head = name[len(prefix):].split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _read_journal(data_dir: Path) -> list[dict[str, object]]:
    try:
        lines = (Path(data_dir) / JOURNAL_NAME).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    entries = []
    for line in lines:
        with contextlib.suppress(ValueError):
            entry = json.loads(line)
            if isinstance(entry, dict):
                entries.append(entry)
    return entries


def _write_journal(data_dir: Path, entries: list[dict[str, object]]) -> None:
    path = Path(data_dir) / JOURNAL_NAME
    if not entries:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        return
    text = "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in entries)
    temp = path.parent / (path.name + ".new")
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


@contextlib.contextmanager
def journaled_export(data_dir: Path, target: Path) -> Iterator[None]:
    """Keep ``target`` in the journal while it is being written (removed when done or failed)."""
    entry = {"pid": os.getpid(), "target": str(Path(target).absolute())}
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    _write_journal(data_dir, [*_read_journal(data_dir), entry])
    try:
        yield
    finally:
        _write_journal(data_dir, [e for e in _read_journal(data_dir) if e != entry])


def _temp_files(target: Path) -> Iterator[Path]:
    with contextlib.suppress(OSError):
        yield from target.parent.glob(f".{target.name}.*.tmp")


def remove_leftovers(data_dir: Path) -> int:
    """Delete staging and temporary files of dead importers and exporters; returns how many."""
    data_dir = Path(data_dir)
    removed = 0
    with contextlib.suppress(OSError):
        for path in data_dir.iterdir():
            for prefix in (STAGING_PREFIX, ".staging-"):
                if not path.name.startswith(prefix):
                    continue
                pid = _pid_of(path.name, prefix)
                if pid is not None and _alive(pid):
                    continue
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        path.unlink()
                removed += 1
    kept = []
    for entry in _read_journal(data_dir):
        owner = entry.get("pid")
        if isinstance(owner, int) and _alive(owner):
            kept.append(entry)
            continue
        for temp in _temp_files(Path(str(entry.get("target", "")))):
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
                removed += 1
    _write_journal(data_dir, kept)
    for stale in data_dir.glob(JOURNAL_NAME + ".new"):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    return removed
