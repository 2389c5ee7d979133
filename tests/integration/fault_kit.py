"""Helpers of the fault suite: run the CLI, snapshot folders byte for byte, mount a tiny disk."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import PASSWORD_ENV, Desk
from tests.cli_kit import run_cli as in_process

ROOT = Path(__file__).resolve().parents[2]
SUPERVISOR = Role.SUPERVISOR


def run_cli(*args: str) -> tuple[int, str, str]:
    """``main.py ARGS`` in this process, signed in as nobody (English messages)."""
    return in_process("--lang", "en", *args)


def copy_desk(desk: Desk, where: Path) -> Desk:
    """A copy of ``desk``'s data directory at ``where``, with the same accounts."""
    shutil.copytree(desk.data, where)
    return Desk(where, dict(desk.users), dict(desk.passwords))


def run_as(desk: Desk, *args: str, role: Role = SUPERVISOR) -> tuple[int, str, str]:
    """``main.py --data-dir DESK ARGS --user ACCOUNT`` in this process (English messages)."""
    return desk.run(role, *args)


def run_process(desk: Desk, *args: str, stdin: int | None = subprocess.DEVNULL,
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """``main.py ARGS`` signed in as the supervisor, as its own process (stdin is /dev/null)."""
    user = desk.users[SUPERVISOR]
    return subprocess.run(
        [sys.executable, "main.py", "--lang", "en", "--data-dir", str(desk.data), *args,
         "--user", user], cwd=ROOT, stdin=stdin, capture_output=True, text=True, timeout=300,
        env={**os.environ, PASSWORD_ENV: desk.passwords[user], **(env or {})},
    )


def snapshot(*paths: Path, accesses: tuple[str, ...] = ()) -> dict[str, bytes]:
    """Every file under ``paths`` (name -> bytes): compared before and after a refused command.

    A command runs signed in, and signing in is recorded (an audit entry and the account's last
    sign-in): a demo desk's database is compared by its content without those, every other file
    byte for byte. SQLite's ``-wal``/``-shm`` files are its working state, not content.
    ``accesses`` names further audit actions that record an access, not a change (for example
    the use of exact statistics, audited when the counts are computed).
    """
    found: dict[str, bytes] = {}
    for root in paths:
        for path in [root] if root.is_file() else sorted(root.rglob("*")) if root.exists() else ():
            if path.name.endswith(("-wal", "-shm")) or not path.is_file():
                continue
            found[str(path)] = (_content(path, accesses) if path.name == DATABASE_FILE
                                else path.read_bytes())
    return found


DATABASE_FILE = "repatriation.sqlite3"


def _content(database: Path, accesses: tuple[str, ...]) -> bytes:
    """The rows of every table, without what signing in writes (see :func:`snapshot`)."""
    try:
        # immutable: reading must not create -shm files (the disk may be full or read-only).
        connection = sqlite3.connect(f"file:{database}?immutable=1", uri=True)
        try:
            tables = [name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
            actions = ", ".join(f"'{a}'" for a in ("login_succeeded", *accesses))
            traces = {"audit_head": None, "audit_log": f"action IN ({actions})"}
            dump = []
            for table in tables:
                if table in traces and traces[table] is None:
                    continue
                where = f" WHERE NOT ({traces[table]})" if table in traces else ""
                columns = "*" if table != "user_accounts" else (
                    "id, username, role, password_hash, disabled, failed_attempts, locked_until")
                rows = connection.execute(f"SELECT {columns} FROM {table}{where}").fetchall()
                dump.append(repr((table, sorted(map(repr, rows)))))
            return "\n".join(dump).encode()
        finally:
            connection.close()
    except sqlite3.DatabaseError:  # not a database (a test damaged it on purpose): its bytes
        return database.read_bytes()


def refused(result: tuple[int, str, str], sentence: str) -> None:
    """The command failed with exit code 2, printed ``sentence`` and no traceback."""
    code, _, err = result
    assert code == 2, err
    assert sentence in err, err
    assert "Traceback" not in err and "Refused (" not in err


@contextlib.contextmanager
def tiny_disk(where: Path, size: str = "2m", read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted at ``where`` (root only; skips elsewhere)."""
    where.mkdir(parents=True, exist_ok=True)
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                           str(where)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount not permitted here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> None:
    """Use every free byte of ``disk``."""
    with contextlib.suppress(OSError), (disk / "filler").open("wb") as handle:
        while True:
            handle.write(b"\0" * 65536)
            handle.flush()
    with contextlib.suppress(OSError), (disk / "filler-small").open("wb", buffering=0) as handle:
        while True:
            handle.write(b"\0" * 512)


def remount_read_only(disk: Path) -> None:
    """Make a mounted tmpfs read-only."""
    subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
