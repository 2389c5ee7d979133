"""Accounts on real storage: Argon2id PHC hashes, upgrade at sign-in, persisted back-off, roles, audit."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, text

from repatriation.crypto.passwords import (
    DEFAULT_PARAMS,
    Argon2Params,
    Argon2PasswordHasher,
    calibrate,
    hash_password,
    needs_rehash,
    phc_params,
    verify_password,
)
from repatriation.domain.account_policy import (
    AuthError,
    BackoffPolicy,
    IdleLock,
    IdleLockPolicy,
)
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import ConflictError, PermissionDenied, ValidationError
from repatriation.services.accounts import AccountService
from repatriation.storage.database import make_engine, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory

CHEAP = Argon2Params(memory_kib=19 * 1024, iterations=2, lanes=1)  # the floor: the cheapest allowed
BOSS_PASSWORD = "correct horse battery"
OFFICER_PASSWORD = "mật khẩu dài hơn"


# -- password hashing -------------------------------------------------------------------------


def test_production_hash_meets_the_floor_and_verifies() -> None:
    encoded = hash_password(OFFICER_PASSWORD)
    params = phc_params(encoded)
    assert params == DEFAULT_PARAMS and params is not None and params.meets_floor
    assert params.memory_kib >= 64 * 1024 and params.iterations >= 3
    assert encoded.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert verify_password(OFFICER_PASSWORD, encoded)
    assert not verify_password(OFFICER_PASSWORD + " ", encoded)
    # Two hashes of one password differ (random salt).
    assert hash_password("same text here", CHEAP) != hash_password("same text here", CHEAP)


def test_unicode_forms_of_one_password_match_and_bad_strings_do_not_crash() -> None:
    encoded = hash_password(OFFICER_PASSWORD, CHEAP)
    assert verify_password(unicodedata.normalize("NFD", OFFICER_PASSWORD), encoded)
    for broken in ("", "garbage", encoded[:-5], encoded.replace("argon2id", "argon2i"), "$argon2id$v=19$m=x"):
        assert not verify_password(OFFICER_PASSWORD, broken)
    with pytest.raises(ValueError):
        hash_password("x" * 2000, CHEAP)


def test_rehash_is_needed_only_for_weaker_parameters() -> None:
    weak = hash_password("p" * 12, CHEAP)
    assert needs_rehash(weak, DEFAULT_PARAMS)
    assert not needs_rehash(weak, CHEAP)
    assert needs_rehash("not a phc string", CHEAP)
    assert needs_rehash(weak, Argon2Params(19 * 1024, 3, 1))


def test_calibration_grows_the_pass_count_towards_the_target() -> None:
    quick = calibrate(target_seconds=0.0, memory_kib=19 * 1024, lanes=1)
    assert quick.iterations == 3
    slower = calibrate(target_seconds=0.05, memory_kib=19 * 1024, lanes=1, max_iterations=200)
    assert slower.iterations >= quick.iterations and slower.memory_kib == 19 * 1024


# -- accounts on storage ----------------------------------------------------------------------


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def make_service(engine: Engine, clock: FixedClock, params: Argon2Params = CHEAP) -> AccountService:
    uow_factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    return AccountService(uow_factory, clock, hasher=Argon2PasswordHasher(params))


@pytest.fixture
def accounts(engine: Engine, clock: FixedClock) -> AccountService:
    service = make_service(engine, clock)
    service.create_first_supervisor("boss", BOSS_PASSWORD, "Trưởng đồn (demo)")
    service.create_user(Actor("boss", Role.SUPERVISOR), "officer.lan", Role.BORDER_GUARD, OFFICER_PASSWORD)
    return service


def audit_rows(engine: Engine) -> list[tuple[str, str, str, str]]:
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT actor, action, reference, details FROM audit_log ORDER BY sequence"))
        return [tuple(r) for r in rows]


def test_sign_in_returns_the_role_and_is_audited(accounts: AccountService, engine: Engine) -> None:
    actor = accounts.authenticate("Officer.Lan ", OFFICER_PASSWORD)
    assert actor == Actor("officer.lan", Role.BORDER_GUARD)
    actor_name, action, reference, details = audit_rows(engine)[-1]
    assert (actor_name, action, reference) == ("officer.lan", "login_succeeded", "officer.lan")
    assert OFFICER_PASSWORD not in details


def test_first_supervisor_only_once_and_only_supervisors_manage(accounts: AccountService) -> None:
    with pytest.raises(ConflictError):
        accounts.create_first_supervisor("second", BOSS_PASSWORD)
    officer = accounts.authenticate("officer.lan", OFFICER_PASSWORD)
    with pytest.raises(PermissionDenied):
        accounts.create_user(officer, "mallory", Role.SUPERVISOR, "a long password")
    with pytest.raises(PermissionDenied):
        accounts.list_users(officer)
    boss = accounts.authenticate("boss", BOSS_PASSWORD)
    with pytest.raises(ConflictError):
        accounts.create_user(boss, "officer.lan", Role.LIAISON, "another long password")
    with pytest.raises(ValidationError):
        accounts.create_user(boss, "x", Role.LIAISON, "another long password")
    with pytest.raises(ValidationError):
        accounts.create_user(boss, "short.pw", Role.LIAISON, "short")
    with pytest.raises(ValidationError):
        accounts.create_user(boss, "sys", "system", "another long password")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        accounts.disable_user(boss, "boss")
    assert info.value.code == "last_supervisor"
    assert [u.username for u in accounts.list_users(boss)] == ["boss", "officer.lan"]


def test_parameters_are_upgraded_at_sign_in(
    accounts: AccountService, engine: Engine, clock: FixedClock
) -> None:
    stronger = Argon2Params(memory_kib=24 * 1024, iterations=2, lanes=1)
    upgraded = make_service(engine, clock, stronger)
    assert upgraded.authenticate("officer.lan", OFFICER_PASSWORD).role is Role.BORDER_GUARD
    with engine.connect() as conn:
        query = text("SELECT password_hash FROM user_accounts WHERE username = 'officer.lan'")
        stored = conn.execute(query).scalar_one()
    assert phc_params(stored) == stronger
    assert json.loads(audit_rows(engine)[-1][3])["rehashed"] is True
    # The new hash still opens the account; no further upgrade is needed.
    assert upgraded.authenticate("officer.lan", OFFICER_PASSWORD).username == "officer.lan"
    assert json.loads(audit_rows(engine)[-1][3])["rehashed"] is False


def _fail(service: AccountService, username: str = "officer.lan") -> AuthError:
    with pytest.raises(AuthError) as info:
        service.authenticate(username, "wrong password!")
    return info.value


def test_backoff_from_the_fifth_failure_doubles_to_fifteen_minutes_and_survives_restart(
    accounts: AccountService, engine: Engine, clock: FixedClock, database_url: str
) -> None:
    for _ in range(4):
        assert _fail(accounts).params["retry_after"] == 0
    waits = []
    for _ in range(8):
        error = _fail(accounts)
        assert error.code == "bad_credentials"
        waits.append(error.params["retry_after"])
        # During the pause even the right password is refused, unchecked.
        with pytest.raises(AuthError) as locked:
            accounts.authenticate("officer.lan", OFFICER_PASSWORD)
        assert locked.value.code == "account_locked"
        clock.current += timedelta(seconds=error.params["retry_after"])
    assert waits == [30, 60, 120, 240, 480, 900, 900, 900]
    # One more failure, then a restart: a new engine and a new service see the same pause.
    error = _fail(accounts)
    engine.dispose()
    restarted_engine = make_engine(database_url)
    try:
        restarted = make_service(restarted_engine, clock)
        with pytest.raises(AuthError) as info:
            restarted.authenticate("officer.lan", OFFICER_PASSWORD)
        assert info.value.code == "account_locked" and info.value.params["retry_after"] == 900
        clock.current += timedelta(seconds=900)
        assert restarted.authenticate("officer.lan", OFFICER_PASSWORD).role is Role.BORDER_GUARD
        # Success clears the counter: four more failures cost nothing.
        for _ in range(4):
            assert _fail(restarted).params["retry_after"] == 0
    finally:
        restarted_engine.dispose()
    assert error.code == "bad_credentials"


def test_one_hundred_consecutive_failures_disable_the_account(
    accounts: AccountService, engine: Engine, clock: FixedClock
) -> None:
    codes = []
    for _ in range(100):
        codes.append(_fail(accounts).code)
        clock.current += timedelta(minutes=16)  # past any pause, so every attempt counts
    assert codes[:99] == ["bad_credentials"] * 99 and codes[99] == "account_disabled"
    with pytest.raises(AuthError) as info:
        accounts.authenticate("officer.lan", OFFICER_PASSWORD)
    assert info.value.code == "account_disabled"
    boss = accounts.authenticate("boss", BOSS_PASSWORD)
    (info_row,) = [u for u in accounts.list_users(boss) if u.username == "officer.lan"]
    assert info_row.disabled and info_row.disabled_reason == "too_many_failures"
    assert info_row.failed_attempts == 100
    accounts.enable_user(boss, "officer.lan")
    assert accounts.authenticate("officer.lan", OFFICER_PASSWORD).username == "officer.lan"
    actions = [row[1] for row in audit_rows(engine)]
    assert actions.count("login_failed") == 100 and "user_disabled" in actions


def test_unknown_user_names_are_not_written_anywhere(accounts: AccountService, engine: Engine) -> None:
    typed = "Zqx-a-password-typed-as-a-name"
    error = _fail(accounts, typed)
    assert error.code == "bad_credentials"
    actor, action, reference, details = audit_rows(engine)[-1]
    assert (actor, action, reference) == ("(not signed in)", "login_failed", "")
    assert "Zqx" not in details


def test_disabled_accounts_and_password_changes(accounts: AccountService, clock: FixedClock) -> None:
    boss = accounts.authenticate("boss", BOSS_PASSWORD)
    accounts.disable_user(boss, "officer.lan")
    with pytest.raises(AuthError) as info:
        accounts.authenticate("officer.lan", OFFICER_PASSWORD)
    assert info.value.code == "account_disabled"
    accounts.enable_user(boss, "officer.lan")
    accounts.change_password("officer.lan", OFFICER_PASSWORD, "a brand new passphrase")
    assert _fail(accounts).code == "bad_credentials"
    assert accounts.authenticate("officer.lan", "a brand new passphrase").role is Role.BORDER_GUARD
    accounts.reset_password(boss, "officer.lan", "reset by the boss 1")
    assert accounts.authenticate("officer.lan", "reset by the boss 1").username == "officer.lan"
    accounts.set_role(boss, "officer.lan", Role.LIAISON)
    assert accounts.authenticate("officer.lan", "reset by the boss 1").role is Role.LIAISON


# -- back-off and idle lock as plain rules ---------------------------------------------------------


def test_backoff_policy_delays() -> None:
    policy = BackoffPolicy()
    delays = [policy.delay_after(n).total_seconds() for n in range(1, 12)]
    assert delays == [0, 0, 0, 0, 30, 60, 120, 240, 480, 900, 900]
    assert policy.delay_after(10_000) == timedelta(minutes=15)


def test_idle_lock_defaults_range_and_unlock() -> None:
    assert IdleLockPolicy().minutes == 5
    for bad in (0, 16, -1):
        with pytest.raises(ValidationError):
            IdleLockPolicy(bad)
    start = datetime(2026, 3, 2, 9, 0)
    lock = IdleLock(IdleLockPolicy(2), start)
    lock.signed_in("officer.lan", start)
    lock.activity(start + timedelta(seconds=100))
    assert not lock.check(start + timedelta(seconds=219))
    assert lock.check(start + timedelta(seconds=220))
    lock.activity(start + timedelta(seconds=221))  # input while locked does not unlock
    assert lock.locked
    with pytest.raises(AuthError):
        lock.unlock("someone.else", start + timedelta(seconds=230))
    lock.unlock("officer.lan", start + timedelta(seconds=230))
    assert not lock.check(start + timedelta(seconds=300))
    assert IdleLockPolicy(15).seconds_left(start, start + timedelta(minutes=14)) == 60


def test_key_slot_hook_gets_each_new_password_after_commit(engine: Engine, clock: FixedClock) -> None:
    calls: list[tuple[str, str]] = []
    service = AccountService(SqlAlchemyUnitOfWorkFactory(engine, clock.now), clock,
                             hasher=Argon2PasswordHasher(CHEAP),
                             on_password_set=lambda u, p: calls.append((u, p)))
    service.create_first_supervisor("boss", BOSS_PASSWORD)
    boss = Actor("boss", Role.SUPERVISOR)
    service.create_user(boss, "an", Role.LIAISON, "first liaison pw")
    with pytest.raises(ValidationError):
        service.create_user(boss, "bad", Role.LIAISON, "short")
    service.reset_password(boss, "an", "second liaison pw")
    service.change_password("an", "second liaison pw", "third liaison pw")
    with pytest.raises(AuthError):
        service.change_password("an", "wrong old password", "fourth liaison pw")
    assert calls == [("boss", BOSS_PASSWORD), ("an", "first liaison pw"), ("an", "second liaison pw"),
                     ("an", "third liaison pw")]


def test_a_stored_hash_asking_for_4_gib_is_not_run_and_none_is_written_below_the_floor() -> None:
    salt, digest = "c29tZXNhbHRzb21lc2FsdA", "a" * 43
    for hostile in (
        f"$argon2id$v=19$m=4194304,t=3,p=4${salt}${digest}",
        f"$argon2id$v=19$m=65536,t=100000,p=4${salt}${digest}",
        f"$argon2id$v=19$m=65536,t=3,p=255${salt}${digest}",
    ):
        assert phc_params(hostile) is None
        assert not verify_password(OFFICER_PASSWORD, hostile)  # at once: no 4 GiB allocation
    for weak in (Argon2Params(19 * 1024 - 1, 2, 1), Argon2Params(64 * 1024, 1, 4)):
        with pytest.raises(ValueError):
            hash_password(OFFICER_PASSWORD, weak)
