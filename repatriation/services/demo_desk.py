"""A demo desk: a clearly marked, unencrypted data directory with one demo account per role.

``main.py demo`` on an empty data directory creates it. Every other directory that holds
records is encrypted and has real accounts; the marker file is what tells the desk (its banner)
and the CLI (a line on stderr) that the data is fictitious and unprotected.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from repatriation.domain.account_policy import UserInfo
from repatriation.domain.actors import Actor, Role

DEMO_MARKER = "DEMO-DESK.txt"
_MARKER_TEXT = (
    "This data directory is a demo desk: fictitious data, not encrypted, demo accounts.\n"
    "Never enter real cases here. Real desks are created with 'setup' or the first-run wizard.\n"
)


@dataclass(frozen=True)
class DemoAccount:
    """A demo account and its password (printed once when the demo desk is created)."""

    username: str
    role: Role
    password: str


class DemoAccounts(Protocol):
    """The part of ``AccountService`` a demo desk needs."""

    def create_first_supervisor(self, username: str, password: str, display_name: str = "") -> UserInfo:
        """The first account."""
        ...

    def create_user(
        self, actor: Actor, username: str, role: Role, password: str, display_name: str = ""
    ) -> UserInfo:
        """Another account, created by a supervisor."""
        ...

    def authenticate(self, username: str, password: str) -> Actor:
        """Sign in."""
        ...


def is_demo_desk(data_dir: Path) -> bool:
    """Whether ``data_dir`` was created by ``demo`` (the marker file is there)."""
    return (data_dir / DEMO_MARKER).is_file()


def mark_demo_desk(data_dir: Path) -> None:
    """Write the marker that makes ``data_dir`` a demo desk (before any record is written)."""
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / DEMO_MARKER).write_text(_MARKER_TEXT, encoding="utf-8")


def demo_username(role: Role) -> str:
    """``demo.supervisor``, ``demo.liaison``..."""
    return f"demo.{role.value.replace('_', '-')}"


def create_demo_accounts(accounts: DemoAccounts) -> tuple[Actor, list[DemoAccount]]:
    """One account per role with a random password; returns the signed-in demo supervisor.

    The supervisor comes first (the first account must be one); it then creates the others.
    """
    made = [DemoAccount(demo_username(role), role, secrets.token_urlsafe(12)) for role in Role]
    made.sort(key=lambda a: a.role is not Role.SUPERVISOR)
    boss = made[0]
    accounts.create_first_supervisor(boss.username, boss.password, "Demo supervisor")
    actor = accounts.authenticate(boss.username, boss.password)
    for account in made[1:]:
        accounts.create_user(actor, account.username, account.role, account.password, "Demo")
    return actor, made
