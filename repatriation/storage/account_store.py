"""User accounts in and out of the ``user_accounts`` table."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from repatriation.domain.account_policy import UserAccount
from repatriation.domain.actors import Role
from repatriation.domain.errors import ConflictError, NotFoundError
from repatriation.storage.account_tables import AccountRow

_FIELDS = (
    "username",
    "display_name",
    "password_hash",
    "disabled",
    "disabled_reason",
    "failed_attempts",
    "locked_until",
    "last_failure_at",
    "last_login_at",
    "password_changed_at",
    "created_at",
)


def _values(account: UserAccount, now: datetime) -> dict[str, Any]:
    values = {name: getattr(account, name) for name in _FIELDS}
    return values | {"role": str(account.role), "updated_at": now}


def _account(row: AccountRow) -> UserAccount:
    return UserAccount(
        username=row.username,
        role=Role(row.role),
        password_hash=row.password_hash,
        created_at=row.created_at,
        display_name=row.display_name,
        disabled=row.disabled,
        disabled_reason=row.disabled_reason,
        failed_attempts=row.failed_attempts,
        locked_until=row.locked_until,
        last_failure_at=row.last_failure_at,
        last_login_at=row.last_login_at,
        password_changed_at=row.password_changed_at,
    )


class SqlAccountRepository:
    """Accounts on one session; ``find(for_update=True)`` locks the row on PostgreSQL.

    On SQLite every transaction already holds the write lock (``BEGIN IMMEDIATE``).
    """

    def __init__(self, session: Session, now: datetime) -> None:
        self._session = session
        self._now = now

    def find(self, username: str, *, for_update: bool = False) -> UserAccount | None:
        """The account or ``None``."""
        query = select(AccountRow).where(AccountRow.username == username)
        if for_update:
            query = query.with_for_update()
        row = self._session.execute(query).scalar_one_or_none()
        return None if row is None else _account(row)

    def add(self, account: UserAccount) -> None:
        """Insert a new account."""
        if self.find(account.username) is not None:
            raise ConflictError("username_taken", username=account.username)
        self._session.execute(insert(AccountRow).values(**_values(account, self._now)))

    def save(self, account: UserAccount) -> None:
        """Update the account with the same user name."""
        result = self._session.execute(
            update(AccountRow)
            .where(AccountRow.username == account.username)
            .values(**_values(account, self._now))
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise NotFoundError("user_not_found", username=account.username)

    def list_all(self) -> list[UserAccount]:
        """Every account, by user name."""
        rows = self._session.execute(select(AccountRow).order_by(AccountRow.username)).scalars()
        return [_account(r) for r in rows]

    def count(self) -> int:
        """Number of accounts."""
        return int(self._session.execute(select(func.count(AccountRow.id))).scalar_one())

