"""The account service on the in-memory unit of work: its store is part of the unit of work now."""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest

from repatriation.domain.actors import Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import DomainError
from repatriation.services.accounts import AccountService
from tests.fakes import FakeDatabase

PASSWORD = "fictitious-pass-2026"


class PlainHasher:
    """A fast, deterministic stand-in for Argon2id (the real one is tested on SQLite)."""

    def hash(self, password: str) -> str:
        return "sha256$" + hashlib.sha256(password.encode()).hexdigest()

    def verify(self, password: str, encoded: str) -> bool:
        return self.hash(password) == encoded

    def needs_rehash(self, encoded: str) -> bool:
        return False


@pytest.fixture
def db() -> FakeDatabase:
    return FakeDatabase()


@pytest.fixture
def service(db: FakeDatabase) -> AccountService:
    return AccountService(db.uow, FixedClock(datetime(2026, 12, 7, 9, 0)), hasher=PlainHasher())


def test_first_supervisor_then_accounts_sign_in_and_are_audited(db: FakeDatabase,
                                                                service: AccountService) -> None:
    assert not service.has_accounts()
    service.create_first_supervisor("chief", PASSWORD, "Chief (fictitious)")
    chief = service.authenticate("chief", PASSWORD)
    assert chief.role is Role.SUPERVISOR
    service.create_user(chief, "an.officer", Role.BORDER_GUARD, PASSWORD)
    assert [u.username for u in service.list_users(chief)] == ["an.officer", "chief"]
    assert db.accounts["an.officer"].password_hash == PlainHasher().hash(PASSWORD)
    assert {"user_created", "login_succeeded"} <= {e.action for e in db.audit}


def test_a_wrong_password_is_counted_and_a_disabled_account_refused(db: FakeDatabase,
                                                                   service: AccountService) -> None:
    service.create_first_supervisor("chief", PASSWORD)
    chief = service.authenticate("chief", PASSWORD)
    service.create_user(chief, "an.officer", Role.BORDER_GUARD, PASSWORD)
    with pytest.raises(DomainError):
        service.authenticate("an.officer", "wrong-password-0")
    assert db.accounts["an.officer"].failed_attempts == 1
    service.disable_user(chief, "an.officer")
    with pytest.raises(DomainError):
        service.authenticate("an.officer", PASSWORD)
    assert service.disabled_usernames() == ["an.officer"]


def test_a_refused_change_writes_nothing(db: FakeDatabase, service: AccountService) -> None:
    service.create_first_supervisor("chief", PASSWORD)
    chief = service.authenticate("chief", PASSWORD)
    before = db.snapshot()
    with pytest.raises(DomainError):
        service.create_user(chief, "chief", Role.LIAISON, PASSWORD)  # the name is taken
    with pytest.raises(DomainError):
        service.disable_user(chief, "chief")  # the last supervisor stays
    with pytest.raises(DomainError):
        service.create_first_supervisor("second", PASSWORD)  # only while there is none
    assert db.snapshot() == before


class CountingHasher(PlainHasher):
    """Counts the password checks, to see which sign-ins skip the hash."""

    def __init__(self) -> None:
        self.checks = 0

    def verify(self, password: str, encoded: str) -> bool:
        self.checks += 1
        return super().verify(password, encoded)


def test_a_password_the_vault_proved_is_not_hashed_again_but_locks_still_hold(
        db: FakeDatabase) -> None:
    hasher = CountingHasher()
    proven: list[tuple[str, str]] = []

    def vault_says(user: str, password: str) -> bool:
        proven.append((user, password))
        return (user, password) == ("an.officer", PASSWORD)

    service = AccountService(db.uow, FixedClock(datetime(2026, 12, 7, 9, 0)), hasher=hasher,
                             password_proven=vault_says)
    service.create_first_supervisor("chief", PASSWORD)
    chief = service.authenticate("chief", PASSWORD)  # not the name the vault opened for
    assert hasher.checks == 1
    service.create_user(chief, "an.officer", Role.BORDER_GUARD, PASSWORD)
    officer = service.authenticate("an.officer", PASSWORD)
    assert (officer.username, hasher.checks) == ("an.officer", 1)
    assert db.audit[-1].action == "login_succeeded"
    service.disable_user(chief, "an.officer")
    with pytest.raises(DomainError) as refused:
        service.authenticate("an.officer", PASSWORD)
    assert refused.value.code == "account_disabled"
    assert ("an.officer", PASSWORD) in proven
