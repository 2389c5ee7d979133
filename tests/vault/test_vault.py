"""Encryption at rest: set-up, unreadable files, recovery key, wrong keys, password change, rekey."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from repatriation.config import Settings
from repatriation.crypto.keyslots import VaultError
from repatriation.services.attachments import AttachmentService
from repatriation.storage import sqlcipher
from repatriation.storage.unit_of_work import StorageError
from repatriation.vault import (
    KEYSLOTS_FILE,
    PasswordCredentials,
    RecoveryCredentials,
    UnlockedVault,
    Vault,
    VaultState,
    needs_credentials,
    operations,
)
from tests.vault.helpers import CANARY, FAST_KDF, OFFICER, PASSWORD, canary_hits, draft, services_for

CHIEF = PasswordCredentials("chief", PASSWORD)


@pytest.fixture(scope="module")
def plain_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("template") / "desk"
    services = services_for(data, None)
    for n in range(5):
        services.cases.open_case(OFFICER, draft(n))
    services.close()
    return data


@pytest.fixture
def plain_dir(plain_template: Path, tmp_path: Path) -> Path:
    """A data directory used before set-up: plain SQLite with 5 canary cases (closed, so copyable)."""
    return Path(shutil.copytree(plain_template, tmp_path / "desk"))


def _db_files(data: Path) -> list[Path]:
    db = data / "repatriation.sqlite3"
    return [db, *sqlcipher.sidecar_paths(db)]


def test_a_fresh_data_dir_runs_on_plain_sqlite_until_setup(plain_dir: Path) -> None:
    assert not needs_credentials(Settings(data_dir=plain_dir))
    assert sqlcipher.file_kind(plain_dir / "repatriation.sqlite3") == "plain"
    assert canary_hits(_db_files(plain_dir))  # the canary is really written: the check can fail


def test_setup_converts_the_database_and_no_file_reveals_the_canary(plain_dir: Path) -> None:
    result = Vault(plain_dir).setup("chief", PASSWORD, kdf=FAST_KDF)
    assert result.converted_existing
    assert needs_credentials(Settings(data_dir=plain_dir))
    services = services_for(plain_dir, CHIEF)
    assert services.cases.count(OFFICER) == 5
    # Write more while a reader holds the WAL open, so -wal and -shm exist when scanned.
    services.cases.open_case(OFFICER, draft(99))
    engine = services.engine
    with engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM cases").fetchall()
        files = _db_files(plain_dir)
        assert all(p.exists() for p in files[:2]), "the WAL should exist while a connection is open"
        assert canary_hits([*files, plain_dir / KEYSLOTS_FILE]) == []
    services.close()
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(plain_dir / "repatriation.sqlite3").execute("SELECT * FROM sqlite_master").fetchall()
    assert canary_hits([p for p in plain_dir.rglob("*") if p.is_file()]) == []
    # The key file carries no key in clear: nothing in it opens the database.
    doc = json.loads((plain_dir / KEYSLOTS_FILE).read_text())
    assert {s["kind"] for s in doc["slots"]} == {"password", "recovery"}


def test_lost_password_path_the_recovery_key_opens_the_database(plain_dir: Path) -> None:
    result = Vault(plain_dir).setup("chief", PASSWORD, kdf=FAST_KDF)
    typed = result.recovery_key.lower().replace("-", " ")
    services = services_for(plain_dir, RecoveryCredentials(typed))
    assert services.cases.count(OFFICER) == 5
    services.close()
    # With the recovery key the supervisor sets a new password for the user who forgot it.
    unlocked = Vault(plain_dir).unlock(RecoveryCredentials(result.recovery_key))
    unlocked.set_password("chief", "a brand new password", kdf=FAST_KDF)
    assert Vault(plain_dir).unlock(PasswordCredentials("CHIEF", "a brand new password")).epoch == 1


@pytest.mark.parametrize(
    ("credentials", "code"),
    [
        (PasswordCredentials("chief", "wrong password"), "wrong_credentials"),
        (PasswordCredentials("nobody", PASSWORD), "wrong_credentials"),
        (RecoveryCredentials("AAAA-BBBB"), "bad_recovery_key"),
    ],
)
def test_wrong_credentials_give_a_clear_error(plain_dir: Path, credentials: object, code: str) -> None:
    Vault(plain_dir).setup("chief", PASSWORD, kdf=FAST_KDF)
    with pytest.raises(VaultError) as err:
        services_for(plain_dir, credentials)  # type: ignore[arg-type]
    assert err.value.code == code


def test_a_well_formed_but_wrong_recovery_key_and_no_credentials(plain_dir: Path, tmp_path: Path) -> None:
    Vault(plain_dir).setup("chief", PASSWORD, kdf=FAST_KDF)
    other = Vault(tmp_path / "other").setup("chief", PASSWORD, kdf=FAST_KDF).recovery_key
    with pytest.raises(VaultError) as err:
        Vault(plain_dir).unlock(RecoveryCredentials(other))
    assert err.value.code == "wrong_recovery_key"
    with pytest.raises(VaultError) as err:
        services_for(plain_dir, None)
    assert err.value.code == "locked"


def test_password_change_rewraps_only_that_slot(plain_dir: Path) -> None:
    vault = Vault(plain_dir)
    recovery = vault.setup("chief", PASSWORD, kdf=FAST_KDF).recovery_key
    vault.unlock(CHIEF).add_user("lan", "lan's password", kdf=FAST_KDF)
    before = json.loads((plain_dir / KEYSLOTS_FILE).read_text())["slots"]
    vault.change_password("lan", "lan's password", "lan's new password")
    after = json.loads((plain_dir / KEYSLOTS_FILE).read_text())["slots"]
    changed = [b["user"] for b, a in zip(before, after, strict=True) if a != b]
    assert changed == ["lan"]
    with pytest.raises(VaultError):
        vault.unlock(PasswordCredentials("lan", "lan's password"))
    assert vault.unlock(PasswordCredentials("lan", "lan's new password")).user == "lan"
    assert vault.unlock(CHIEF).epoch == vault.unlock(RecoveryCredentials(recovery)).epoch == 1
    with pytest.raises(VaultError) as err:
        vault.change_password("lan", "wrong", "whatever it is")
    assert err.value.code == "wrong_credentials"


def test_users_are_added_and_removed_but_never_the_last_one(plain_dir: Path) -> None:
    vault = Vault(plain_dir)
    vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    unlocked = vault.unlock(CHIEF)
    unlocked.add_user("Lan", "lan's password", kdf=FAST_KDF)
    with pytest.raises(VaultError):
        unlocked.add_user("LAN", "other password", kdf=FAST_KDF)
    unlocked.remove_user("lan")
    with pytest.raises(VaultError) as err:
        vault.unlock(PasswordCredentials("lan", "lan's password"))
    assert err.value.code == "wrong_credentials"
    with pytest.raises(VaultError) as err:
        unlocked.remove_user("chief")
    assert err.value.code == "last_user"
    with pytest.raises(VaultError) as err:
        unlocked.add_user("short", "1234567", kdf=FAST_KDF)
    assert err.value.code == "password_too_short"


def _edit_keyslots(data: Path, change: object) -> None:
    path = data / KEYSLOTS_FILE
    doc = json.loads(path.read_text())
    change(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc))


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["slots"].append(dict(d["slots"][0], user="intruder")), "keyslots_tampered"),
        (lambda d: d["slots"].pop(), "keyslots_tampered"),  # drop the recovery slot
        (lambda d: d["slots"][0]["kdf"].update(iterations=3), "wrong_credentials"),
        (lambda d: d["slots"][0]["kdf"].update(memory_kib=4 * 1024 * 1024), "kdf_out_of_range"),
        (lambda d: d.update(database_id="0" * 32), "keyslots_tampered"),
        (lambda d: d.update(version=9), "keyslots_version"),
        (lambda d: d.update(epoch="1"), "keyslots_damaged"),
        (lambda d: d["slots"][0].update(public_key="AAAA"), "keyslots_damaged"),
    ],
)
def test_an_altered_key_file_is_refused(plain_dir: Path, change: object, code: str) -> None:
    Vault(plain_dir).setup("chief", PASSWORD, kdf=FAST_KDF)
    _edit_keyslots(plain_dir, change)
    with pytest.raises(VaultError) as err:
        Vault(plain_dir).unlock(CHIEF)
    assert err.value.code == code


def test_garbage_key_file_and_swapped_database(plain_dir: Path, tmp_path: Path) -> None:
    vault = Vault(plain_dir)
    vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    good = (plain_dir / KEYSLOTS_FILE).read_bytes()
    for garbage in (b"", b"{", good[:-40], b'{"a": 1, "a": 2}', os.urandom(300)):
        (plain_dir / KEYSLOTS_FILE).write_bytes(garbage)
        with pytest.raises(VaultError) as err:
            vault.unlock(CHIEF)
        assert err.value.code == "keyslots_damaged"
    (plain_dir / KEYSLOTS_FILE).write_bytes(good)
    # Another vault's database in place of ours: the key does not open it.
    other = Vault(tmp_path / "other")
    other.setup("chief", PASSWORD, kdf=FAST_KDF)
    os.replace(other.db_path, vault.db_path)
    with pytest.raises(StorageError) as serr:
        services_for(plain_dir, CHIEF)
    assert serr.value.code == "database_damaged"
    # A plain file put in place of the encrypted one is refused, never silently used.
    sqlite3.connect(vault.db_path.with_name("fake.sqlite3")).execute("CREATE TABLE t(x)").connection.close()
    os.replace(vault.db_path.with_name("fake.sqlite3"), vault.db_path)
    with pytest.raises(VaultError) as err:
        vault.unlock(CHIEF)
    assert err.value.code == "database_not_encrypted"



def _store(unlocked: UnlockedVault) -> AttachmentService:
    # As the composition root builds it: the vault hands out the cipher, not the store.
    return AttachmentService(unlocked.vault.data_dir / "attachments", unlocked.attachment_store_cipher())

def test_rekey_keeps_the_data_and_retires_the_old_key(plain_dir: Path) -> None:
    vault = Vault(plain_dir)
    recovery = vault.setup("chief", PASSWORD, kdf=FAST_KDF).recovery_key
    unlocked = vault.unlock(CHIEF)
    photo = _store(unlocked).store(CANARY.encode() * 50, "anh.jpg", "image/jpeg")
    old_key = unlocked.database_key()
    services = services_for(plain_dir, CHIEF)
    before = [services.cases.get(OFFICER, f"LC-2026-00000{n}") for n in range(1, 6)]
    services.close()
    assert unlocked.rotate_key() == 2
    assert not sqlcipher.key_opens(vault.db_path, old_key)
    assert unlocked.database_key() != old_key
    for credentials in (CHIEF, RecoveryCredentials(recovery)):
        services = services_for(plain_dir, credentials)
        assert [services.cases.get(OFFICER, c.reference) for c in before] == before
        services.close()
    assert _store(vault.unlock(CHIEF)).load(photo.sha256) == CANARY.encode() * 50
    assert vault.unlock(CHIEF).check_database()["cases"] == 5


def test_an_interrupted_rotation_is_finished_at_the_next_unlock(plain_dir: Path) -> None:
    vault = Vault(plain_dir)
    vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    unlocked = vault.unlock(CHIEF)
    photo = _store(unlocked).store(b"scan bytes", "scan.png", "image/png")
    keyslots = unlocked.keyslots
    # Crash 1: after the new key was sealed, before the database was touched.
    operations.start_rotation(vault.keyslots_path, keyslots, {1: unlocked.database_key()})
    again = vault.unlock(PasswordCredentials("chief", PASSWORD))
    assert (again.epoch, again.keyslots.state) == (2, VaultState.READY)
    # Crash 2: after PRAGMA rekey committed, before the key file was finalised.
    _, keys = operations.start_rotation(vault.keyslots_path, again.keyslots, {2: again.database_key()})
    sqlcipher.rekey(vault.db_path, keys[2], keys[3])
    final = vault.unlock(CHIEF)
    assert final.epoch == 3 and final.check_database()["cases"] == 5
    assert _store(final).load(photo.sha256) == b"scan bytes"


def test_an_interrupted_setup_is_finished_at_the_next_unlock(
    plain_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_replace = os.replace

    def crash_on_database(src: object, dst: object) -> None:
        if str(dst).endswith("repatriation.sqlite3"):
            raise KeyboardInterrupt("power cut")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(operations.os, "replace", crash_on_database)
    vault = Vault(plain_dir)
    with pytest.raises(KeyboardInterrupt):
        vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    monkeypatch.undo()
    # The crash came after the commit point: the plain file is still there, the staged
    # encrypted copy (with the first account) is kept for the next unlock to put in place.
    assert sqlcipher.file_kind(vault.db_path) == "plain"
    assert vault.db_path.with_name("repatriation.sqlite3.encrypting").exists()
    # Running set-up again finishes the job and shows a recovery key (the first was never seen).
    with pytest.raises(VaultError):
        vault.setup("chief", "a wrong password", kdf=FAST_KDF)
    recovery = vault.setup("chief", PASSWORD, kdf=FAST_KDF).recovery_key
    assert vault.unlock(RecoveryCredentials(recovery)).keyslots.state == VaultState.READY
    unlocked = vault.unlock(CHIEF)
    assert unlocked.keyslots.state == VaultState.READY
    assert sqlcipher.file_kind(vault.db_path) == "encrypted"
    assert unlocked.check_database()["cases"] == 5


def test_setup_twice_and_setup_on_an_empty_dir(tmp_path: Path) -> None:
    vault = Vault(tmp_path / "new")
    result = vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    assert not result.converted_existing
    with pytest.raises(VaultError) as err:
        vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    assert err.value.code == "already_set_up"
    services = services_for(vault.data_dir, CHIEF)
    services.cases.open_case(OFFICER, draft(1))
    assert services.cases.count(OFFICER) == 1
    services.close()
    (vault.keyslots_path).unlink()
    with pytest.raises(VaultError) as err:
        vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    assert err.value.code == "database_without_keyslots"


def test_encrypted_connections_use_wal_full_sync_and_memory_temp_store(plain_dir: Path) -> None:
    vault = Vault(plain_dir)
    vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    engine = vault.unlock(CHIEF).engine()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
        assert conn.exec_driver_sql("PRAGMA cipher_version").scalar().startswith("4.")
    engine.dispose()
    # Errors from the SQLCipher driver reach the unit of work as storage errors with codes.
    services = services_for(plain_dir, CHIEF)
    with pytest.raises(StorageError) as err, services.uow_factory() as uow:
        uow.session.connection().exec_driver_sql("INSERT INTO no_such_table VALUES (1)")
    assert err.value.code == "database_error"
    services.close()
