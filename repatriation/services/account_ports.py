"""Ports of the account service: where accounts are stored and how passwords are hashed."""

from __future__ import annotations

from typing import Protocol

from repatriation.domain.account_policy import UserAccount


class AccountRepository(Protocol):
    """User accounts in and out (implemented by ``storage.account_store``)."""

    def find(self, username: str, *, for_update: bool = False) -> UserAccount | None:
        """The account or ``None``; ``for_update`` locks the row until commit."""
        ...

    def add(self, account: UserAccount) -> None:
        """Insert a new account (``ConflictError`` when the name is taken)."""
        ...

    def save(self, account: UserAccount) -> None:
        """Update an existing account."""
        ...

    def list_all(self) -> list[UserAccount]:
        """Every account, by user name."""
        ...

    def count(self) -> int:
        """Number of accounts."""
        ...


class PasswordHasher(Protocol):
    """Hashes and checks passwords (``crypto.passwords.Argon2PasswordHasher``)."""

    def hash(self, password: str) -> str:
        """A new PHC string."""
        ...

    def verify(self, password: str, encoded: str) -> bool:
        """Whether ``password`` matches."""
        ...

    def needs_rehash(self, encoded: str) -> bool:
        """Whether the stored hash is weaker than the current policy."""
        ...
