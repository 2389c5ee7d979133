"""Backups: round trip, verified after writing, damaged/foreign/older-key backups, the reminder."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from repatriation.domain.clock import FixedClock
from repatriation.services.backup_ports import BackupError
from repatriation.services.backups import BackupService, backup_due
from repatriation.storage import sqlcipher
from repatriation.vault import (
    PasswordCredentials,
    RecoveryCredentials,
    UnlockedVault,
    Vault,
    VaultBackupBackend,
)
from tests.vault.helpers import CANARY, FAST_KDF, OFFICER, PASSWORD, canary_hits, draft, services_for

CHIEF = PasswordCredentials("chief", PASSWORD)
NOW = datetime(2026, 3, 2, 9, 30)


@pytest.fixture(scope="module")
def vault_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    data = tmp_path_factory.mktemp("template") / "desk"
    recovery = Vault(data).setup("chief", PASSWORD, kdf=FAST_KDF).recovery_key
    services = services_for(data, CHIEF)
    for n in range(8):
        services.cases.open_case(OFFICER, draft(n))
    services.close()
    return data, recovery


@pytest.fixture
def desk(vault_template: tuple[Path, str], tmp_path: Path) -> Path:
    return Path(shutil.copytree(vault_template[0], tmp_path / "desk"))


def _service(unlocked: UnlockedVault | None, vault: Vault, credentials: object = None) -> BackupService:
    backend = VaultBackupBackend(vault, unlocked, credentials)  # type: ignore[arg-type]
    return BackupService(backend, FixedClock(NOW), vault.data_dir)


def _cases(data: Path) -> int:
    services = services_for(data, CHIEF)
    try:
        return services.cases.count(OFFICER)
    finally:
        services.close()


def test_backup_round_trip_restores_the_state_at_backup_time(desk: Path, tmp_path: Path) -> None:
    vault = Vault(desk)
    unlocked = vault.unlock(CHIEF)
    service = _service(unlocked, vault)
    assert service.last_backup_at() is None and service.is_due()
    (tmp_path / "out").mkdir()
    report = service.create(tmp_path / "out" / "desk.rdbak")
    assert report.counts["cases"] == 8 and report.size == report.path.stat().st_size
    assert service.last_backup_at() == NOW and not service.is_due()
    assert canary_hits([report.path]) == []
    assert [p.name for p in report.path.parent.iterdir()] == ["desk.rdbak"]  # no temp files
    services = services_for(desk, CHIEF)
    services.cases.open_case(OFFICER, draft(100))
    services.close()
    assert _cases(desk) == 9
    service.restore(report.path)
    assert _cases(desk) == 8
    assert unlocked.check_database()["cases"] == 8
    assert not any(p.name.startswith(".restore-") for p in desk.iterdir())


@pytest.mark.parametrize(
    "where", ["magic", "header", "mac", "database_start", "database_end", "truncate", "append"]
)
def test_a_damaged_backup_is_refused_and_the_live_database_untouched(
    desk: Path, tmp_path: Path, where: str
) -> None:
    vault = Vault(desk)
    unlocked = vault.unlock(CHIEF)
    service = _service(unlocked, vault)
    path = service.create(tmp_path / "b.rdbak").path
    data = bytearray(path.read_bytes())
    header_end = 12 + int.from_bytes(data[8:12], "big")
    offsets = {"magic": 0, "header": 30, "mac": header_end + 5, "database_start": header_end + 32 + 100,
               "database_end": len(data) - 10}
    if where == "truncate":
        data = data[: len(data) - 4096]
    elif where == "append":
        data += b"\0" * 16
    else:
        data[offsets[where]] ^= 0x40
    path.write_bytes(bytes(data))
    before = sqlcipher.check_file(vault.db_path, unlocked.database_key())
    with pytest.raises(BackupError) as err:
        service.restore(path)
    assert err.value.code == ("not_a_backup" if where == "magic" else "backup_damaged")
    assert sqlcipher.check_file(vault.db_path, unlocked.database_key()) == before


def test_a_foreign_backup_is_refused(desk: Path, tmp_path: Path) -> None:
    other = Vault(tmp_path / "other")
    other.setup("chief", PASSWORD, kdf=FAST_KDF)
    foreign = _service(other.unlock(CHIEF), other).create(tmp_path / "foreign.rdbak").path
    vault = Vault(desk)
    with pytest.raises(BackupError) as err:
        _service(vault.unlock(CHIEF), vault, CHIEF).restore(foreign)
    assert err.value.code == "backup_foreign"
    assert _cases(desk) == 8
    (tmp_path / "not.rdbak").write_bytes(b"SQLite format 3\x00" + os.urandom(100))
    with pytest.raises(BackupError) as err:
        _service(vault.unlock(CHIEF), vault).restore(tmp_path / "not.rdbak")
    assert err.value.code == "not_a_backup"


def test_a_backup_from_before_a_key_rotation_still_restores(desk: Path, tmp_path: Path) -> None:
    vault = Vault(desk)
    unlocked = vault.unlock(CHIEF)
    old = _service(unlocked, vault).create(tmp_path / "old.rdbak").path
    unlocked.rotate_key()
    unlocked = vault.unlock(CHIEF)
    # Without credentials the old key cannot be recovered from the backup's own key slots.
    with pytest.raises(BackupError) as err:
        _service(unlocked, vault).restore(old)
    assert err.value.code == "backup_key_unavailable"
    with pytest.raises(BackupError) as err:
        _service(unlocked, vault, PasswordCredentials("chief", "not the password")).restore(old)
    assert err.value.code == "backup_key_unavailable"
    _service(unlocked, vault, CHIEF).restore(old)
    # The restored pages were re-encrypted under the current key: the current slots open them.
    assert vault.unlock(CHIEF).epoch == 2 and _cases(desk) == 8


def test_restore_on_a_new_machine_with_the_recovery_key(vault_template: tuple[Path, str], desk: Path,
                                                        tmp_path: Path) -> None:
    vault = Vault(desk)
    backup = _service(vault.unlock(CHIEF), vault).create(tmp_path / "b.rdbak").path
    new_machine = Vault(tmp_path / "new-laptop")
    with pytest.raises(BackupError):
        _service(None, new_machine, None).restore(backup)
    _service(None, new_machine, RecoveryCredentials(vault_template[1])).restore(backup)
    assert _cases(new_machine.data_dir) == 8
    # A data directory that already has a database is never overwritten by this path.
    plain = tmp_path / "plain"
    services_for(plain, None).close()
    with pytest.raises(BackupError) as err:
        _service(None, Vault(plain), CHIEF).restore(backup)
    assert err.value.code == "restore_target_not_empty"


def test_backups_need_encryption_set_up(tmp_path: Path) -> None:
    services_for(tmp_path / "plain", None).close()
    vault = Vault(tmp_path / "plain")
    with pytest.raises(Exception) as err:
        _service(None, vault).create(tmp_path / "b.rdbak")
    assert getattr(err.value, "code", None) == "not_set_up"
    assert not (tmp_path / "b.rdbak").exists()


def test_backup_reminder_policy() -> None:
    assert backup_due(None, NOW)
    assert not backup_due(NOW - timedelta(days=6, hours=23), NOW)
    assert backup_due(NOW - timedelta(days=7), NOW)
    assert not backup_due(NOW - timedelta(days=1), NOW, interval=timedelta(days=2))
    assert backup_due(NOW + timedelta(days=1), NOW)  # a backup "from the future": clock was wrong


def test_no_canary_in_any_backup_byte_even_with_a_big_wal(desk: Path, tmp_path: Path) -> None:
    services = services_for(desk, CHIEF)
    for n in range(30):
        services.cases.open_case(OFFICER, draft(200 + n, family=CANARY + str(n)))
    vault = Vault(desk)
    report = _service(vault.unlock(CHIEF), vault).create(tmp_path / "b.rdbak")
    services.close()
    assert report.counts["cases"] == 38
    assert canary_hits([report.path]) == []
