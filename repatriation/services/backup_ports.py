"""The backup's port: what a backup needs from the database and its keys, and the error it raises."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from repatriation.domain.errors import DomainError

TableCounts = dict[str, int]


class BackupError(DomainError):
    """A backup cannot be made or restored: damaged, foreign, not a backup, key unavailable."""

    code = "backup"

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code, **params)


class BackupBackend(Protocol):
    """The database and key operations a backup needs (``repatriation.vault`` implements it)."""

    def identity(self) -> tuple[str, int]:
        """The live database's id and key epoch; raises when the vault is not set up."""
        ...

    def keyslots_bytes(self) -> bytes:
        """The current key slots file."""
        ...

    def key_for(self, database_id: str, epoch: int, keyslots: bytes) -> bytes:
        """The database key a backup was made with; raises ``BackupError`` (foreign, no key)."""
        ...

    def snapshot(self, target: Path) -> TableCounts:
        """Copy the live database into ``target`` (online backup API, same key)."""
        ...

    def check(self, path: Path, key: bytes) -> TableCounts:
        """Integrity checks on a copy, then its row counts."""
        ...

    def install(self, staged: Path, key: bytes, keyslots: bytes) -> None:
        """Replace the live database's content with the verified copy ``staged``."""
        ...

    def header_mac(self, key: bytes, data: bytes) -> bytes:
        """The 32-byte MAC that seals a backup's header, keyed from its database key."""
        ...

    def header_mac_matches(self, key: bytes, data: bytes, tag: bytes) -> bool:
        """Whether ``tag`` is that MAC of ``data`` (compared in constant time)."""
        ...
