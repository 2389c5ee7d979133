"""Driving ``main.py`` in-process on desks that are set up: a demo desk or an encrypted one.

Every command runs as a signed-in account (``--user``), as production does; tests share one
desk per module because creating the accounts costs a few Argon2id hashes.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

import main as entry
from repatriation.domain.actors import Role

PASSWORD_ENV = "REPATRIATION_PASSWORD"
SUPERVISOR_PASSWORD = "a long supervisor passphrase"


def run_cli(*args: str, password: str | None = None, stdin: str = "") -> tuple[int, str, str]:
    """``main.main(args)`` with stdout/stderr captured; ``password`` goes in ``$REPATRIATION_PASSWORD``."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdout, sys.stderr, sys.stdin, os.environ.get(PASSWORD_ENV)
    sys.stdout, sys.stderr, sys.stdin = out, err, io.StringIO(stdin)
    if password is None:
        os.environ.pop(PASSWORD_ENV, None)
    else:
        os.environ[PASSWORD_ENV] = password
    try:
        code = entry.main(list(args))
    finally:
        sys.stdout, sys.stderr, sys.stdin = saved[:3]
        if saved[3] is None:
            os.environ.pop(PASSWORD_ENV, None)
        else:
            os.environ[PASSWORD_ENV] = saved[3]
    return code, out.getvalue(), err.getvalue()


@dataclass
class Desk:
    """A data directory with one account per role."""

    data: Path
    users: dict[Role, str] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)
    recovery_key: str = ""  # printed once by ``setup`` (encrypted desks)

    def run(self, role: Role, *args: str, lang: str = "en") -> tuple[int, str, str]:
        """One command as the account of ``role`` (``--user`` after the command words)."""
        user = self.users[role]
        return run_cli("--data-dir", str(self.data), "--lang", lang, *args, "--user", user,
                       password=self.passwords[user])

    def ok(self, role: Role, *args: str, lang: str = "en") -> str:
        """Run and insist on exit code 0; returns stdout."""
        code, out, err = self.run(role, *args, lang=lang)
        assert code == 0, (args, err)
        return out


def demo_desk(data: Path, cases: int = 20) -> Desk:
    """``demo`` on an empty directory: the demo accounts and their printed passwords."""
    code, out, err = run_cli("--data-dir", str(data), "--lang", "en", "demo", "--cases", str(cases))
    assert code == 0, err
    desk = Desk(data)
    for line in out.splitlines():
        user, role, password = line.split("\t")
        desk.users[Role(role)] = user
        desk.passwords[user] = password
    assert set(desk.users) == set(Role)
    return desk


def encrypted_desk(data: Path) -> Desk:
    """``setup`` (cheap key-slot KDF) and ``users add`` for every other role."""
    desk = Desk(data, {Role.SUPERVISOR: "chief"}, {"chief": SUPERVISOR_PASSWORD})
    code, out, err = run_cli("--data-dir", str(data), "--lang", "en", "setup", "--user", "chief",
                             "--kdf-memory-mib", "19", "--kdf-iterations", "2",
                             password=SUPERVISOR_PASSWORD)
    assert code == 0, err
    desk.recovery_key = out.strip()
    for role in Role:
        if role is Role.SUPERVISOR:
            continue
        user = f"officer.{role.value.replace('_', '-')}"
        password = f"the passphrase of {role.value}"
        # Sign-in password on the first line of stdin, the new account's on the second.
        code, _, err = run_cli("--data-dir", str(data), "--lang", "en", "users", "add", user,
                               role.value, "--user", "chief", "--password-stdin", "--new-password-stdin",
                               stdin=f"{SUPERVISOR_PASSWORD}\n{password}\n")
        assert code == 0, err
        desk.users[role], desk.passwords[user] = user, password
    return desk
