"""Disabling an account revokes its key slot and rotates the key; wrong passwords are counted and
paused on an encrypted desk, before the database can be opened."""

from __future__ import annotations

import io
import json
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

import main as entry
from repatriation import bootstrap as bootstrap_module
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.actors import Actor, Role
from repatriation.domain.errors import ValidationError
from repatriation.first_run import first_supervisor_step
from repatriation.storage import sqlcipher
from repatriation.storage.unit_of_work import StorageError
from repatriation.vault import KEYSLOTS_FILE, PasswordCredentials, Vault, VaultError
from repatriation.vault.keyfile import parse
from repatriation.vault.slots import open_keys
from repatriation.vault.throttle import ATTEMPTS_FILE
from tests.vault.helpers import FAST_KDF, OFFICER, PASSWORD, draft

CHIEF = Actor("chief", Role.SUPERVISOR)
AN_PW = "liaison passphrase 2"


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    floor = Argon2Params(19 * 1024, 2, 1)
    monkeypatch.setattr(bootstrap_module, "password_hasher", lambda: Argon2PasswordHasher(floor))
    data = tmp_path / "desk"
    settings = Settings(data_dir=data)
    prepare = first_supervisor_step(settings, "chief", PASSWORD, build=build_services)
    recovery = Vault(data).setup("chief", PASSWORD, kdf=FAST_KDF, prepare=prepare).recovery_key
    (tmp_path / "recovery-key.txt").write_text(recovery)  # the printed sheet
    services = _services(data)
    services.accounts.create_user(CHIEF, "an", Role.LIAISON, AN_PW)
    services.close()
    yield data


def _services(data: Path, user: str = "chief", password: str = PASSWORD) -> Services:
    return build_services(Settings(data_dir=data), credentials=PasswordCredentials(user, password))


def test_a_disabled_users_password_opens_nothing_even_with_an_old_key_file(
    desk: Path, tmp_path: Path
) -> None:
    assert set(Vault(desk).users()) == {"chief", "an"}
    old_keyslots = (desk / KEYSLOTS_FILE).read_bytes()
    services = _services(desk)
    before = services.cases.open_case(OFFICER, draft(1))
    services.accounts.disable_user(CHIEF, "an")
    # The same services keep working on the rotated key (new connections ask for it).
    after = services.cases.open_case(OFFICER, draft(2))
    assert services.cases.get(OFFICER, before.reference).reference == before.reference
    services.close()

    assert Vault(desk).users() == ("chief",)
    assert Vault(desk).unlock(PasswordCredentials("chief", PASSWORD)).epoch == 2
    with pytest.raises(VaultError) as err:
        Vault(desk).unlock(PasswordCredentials("an", AN_PW))
    assert err.value.code == "wrong_credentials"
    # An attacker's copy of the key file from before the disable, with today's database:
    old_key = open_keys(parse(old_keyslots), PasswordCredentials("an", AN_PW))
    assert not any(sqlcipher.key_opens(Vault(desk).db_path, key) for key in old_key.values())
    copy = tmp_path / "copy"
    shutil.copytree(desk, copy)
    (copy / KEYSLOTS_FILE).write_bytes(old_keyslots)
    with pytest.raises(StorageError) as damaged:
        Vault(copy).unlock(PasswordCredentials("an", AN_PW))
    assert damaged.value.code == "database_damaged"
    # Re-enabling alone gives no access back; a supervisor's reset gives a new slot.
    services = _services(desk)
    services.accounts.enable_user(CHIEF, "an")
    with pytest.raises(ValidationError):  # on an encrypted desk a reset needs the recovery key
        services.accounts.reset_password(CHIEF, "an", "a new passphrase 3")
    recovery = (tmp_path / "recovery-key.txt").read_text()
    services.accounts.reset_password(CHIEF, "an", "a new passphrase 3", recovery_key=recovery)
    services.close()
    assert Vault(desk).unlock(PasswordCredentials("an", "a new passphrase 3")).epoch == 2
    services = _services(desk, "an", "a new passphrase 3")
    assert services.cases.get(OFFICER, after.reference).reference == after.reference
    services.close()


def test_rekey_and_start_up_never_keep_a_disabled_accounts_slot(desk: Path) -> None:
    # An older desk disabled accounts without touching the key slots (engine given: no vault).
    unlocked = Vault(desk).unlock(PasswordCredentials("chief", PASSWORD))
    services = build_services(Settings(data_dir=desk), engine=unlocked.engine())
    services.accounts.disable_user(CHIEF, "an")
    services.close()
    assert set(Vault(desk).users()) == {"chief", "an"}
    code, _, err = _cli(desk, "rekey", "--user", "chief", env_password=PASSWORD)
    assert code == 0, err
    assert Vault(desk).users() == ("chief",)
    keyslots = Vault(desk).unlock(PasswordCredentials("chief", PASSWORD)).keyslots
    assert keyslots.epoch == 2 and all(set(s.sealed) == {2} for s in keyslots.slots)


def _cli(data: Path, *args: str, env_password: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REPATRIATION_PASSWORD", env_password)
        patch.setattr(sys, "stdin", io.StringIO(""))
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = entry.main(["--data-dir", str(data), "--lang", "en", *args])
    return code, out.getvalue(), err.getvalue()


def test_wrong_passwords_are_counted_and_paused_before_the_database_opens(desk: Path) -> None:
    answers = [_cli(desk, "unlock", "--user", "an", env_password="wrong passphrase 9") for _ in range(16)]
    assert all(code == 2 for code, _, _ in answers)
    wrong = [err for _, _, err in answers if "Wrong user name or password." in err]
    paused = [err for _, _, err in answers if "Too many failed sign-ins: try again in" in err]
    # Four free tries, the fifth starts a 30 s pause: the eleven after it are refused untried.
    assert (len(wrong), len(paused)) == (5, 11)
    code, _, err = _cli(desk, "unlock", "--user", "an", env_password=AN_PW)
    assert code == 2 and "try again in" in err  # even the right password waits
    # A name without a slot is not counted, and whatever was typed is never written down.
    _cli(desk, "unlock", "--user", "correct-horse-typed-as-name", env_password="x" * 12)
    attempts = (desk / ATTEMPTS_FILE).read_text()
    assert set(json.loads(attempts)) == {"an"} and "correct-horse" not in attempts

    # The next time anyone opens the database, the counts reach the account and the audit log.
    code, out, err = _cli(desk, "users", "list", "--format", "json", "--user", "chief", env_password=PASSWORD)
    assert code == 0, err
    an = next(u for u in json.loads(out) if u["username"] == "an")
    assert an["failed_attempts"] == 5 and an["locked_until"] is not None
    unlocked = Vault(desk).unlock(PasswordCredentials("chief", PASSWORD))
    engine = unlocked.engine()
    with engine.connect() as con:
        failed = con.execute(
            text("SELECT actor, details FROM audit_log WHERE action = 'login_failed' AND reference = 'an'")
        ).all()
    engine.dispose()
    assert len(failed) == 5 and all('"vault"' in details for _, details in failed)
    assert json.loads((desk / ATTEMPTS_FILE).read_text())["an"]["unreported"] == []


def test_start_up_never_removes_the_last_password_slot(desk: Path) -> None:
    # Only chief has a slot; an account made without the vault (engine given) has none.
    unlocked = Vault(desk).unlock(PasswordCredentials("chief", PASSWORD))
    services = build_services(Settings(data_dir=desk), engine=unlocked.engine())
    services.accounts.disable_user(CHIEF, "an")
    services.accounts.create_user(CHIEF, "boss", Role.SUPERVISOR, "second passphrase 4")
    services.accounts.disable_user(Actor("boss", Role.SUPERVISOR), "chief")
    services.close()
    services = _services(desk)  # drops an's slot and rotates; keeps chief's, the last one
    services.close()
    assert Vault(desk).users() == ("chief",)
