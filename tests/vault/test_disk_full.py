"""Full disk (a 4 MiB tmpfs): a clear ``disk_full`` error, and the database and backups intact."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from repatriation.domain.clock import SystemClock
from repatriation.domain.errors import DomainError
from repatriation.services.backups import BackupService
from repatriation.storage import sqlcipher
from repatriation.storage.unit_of_work import StorageError
from repatriation.vault import PasswordCredentials, Vault, VaultBackupBackend
from tests.integration.fault_kit import tiny_disk
from tests.vault.helpers import FAST_KDF, OFFICER, PASSWORD, draft, services_for

CHIEF = PasswordCredentials("chief", PASSWORD)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tiny_disk(tmp_path / "small", "4m") as mount_point:
        yield mount_point


def _fill_until_full(data: Path) -> tuple[set[str], DomainError]:
    services = services_for(data, CHIEF)
    committed: set[str] = set()
    try:
        for n in range(10_000):
            try:
                # Batches of 10 (an import) keep the test fast; each batch is one transaction.
                batch = [draft(10 * n + i) for i in range(10)]
                cases = services.imports.store_drafts(OFFICER, batch, source="fill")
                committed.update(c.reference for c in cases)
            except DomainError as exc:
                return committed, exc
    finally:
        with contextlib.suppress(DomainError, OSError):
            services.close()
    raise AssertionError("the disk never filled up")


def test_a_full_disk_gives_disk_full_and_loses_no_committed_case(small_disk: Path) -> None:
    data = small_disk / "desk"
    vault = Vault(data)
    vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    services_for(data, CHIEF).close()  # schema in place
    # Ballast leaves about 1 MiB free, so the disk fills after a few hundred cases.
    free = os.statvfs(small_disk).f_bavail * os.statvfs(small_disk).f_frsize
    (small_disk / "ballast").write_bytes(b"\0" * (free - 1024 * 1024))
    committed, error = _fill_until_full(data)
    assert isinstance(error, StorageError) and error.code == "disk_full"
    assert len(committed) > 20
    unlocked = vault.unlock(CHIEF)
    counts = unlocked.check_database()  # cipher_integrity_check + integrity_check
    assert counts["cases"] == len(committed)
    with sqlcipher.opened(vault.db_path, unlocked.database_key()) as con:
        stored = {row[0] for row in con.execute("SELECT reference FROM cases")}
    assert stored == committed
    # Once space is freed the desk works again (reading a case writes its audit entry).
    (small_disk / "ballast").unlink()
    services = services_for(data, CHIEF)
    assert services.cases.get(OFFICER, sorted(committed)[0]).reference == sorted(committed)[0]
    services.close()


@pytest.mark.parametrize("room", [0.5, 1.5])  # the staged copy fails, or only the final file does
def test_a_backup_to_a_full_disk_fails_cleanly_and_keeps_the_previous_one(
    small_disk: Path, tmp_path: Path, room: float
) -> None:
    data = tmp_path / "desk"
    vault = Vault(data)
    vault.setup("chief", PASSWORD, kdf=FAST_KDF)
    services = services_for(data, CHIEF)
    services.imports.store_drafts(OFFICER, [draft(n) for n in range(300)], source="seed")
    services.close()
    service = BackupService(VaultBackupBackend(vault, vault.unlock(CHIEF), CHIEF), SystemClock(), data)
    target = small_disk / "desk.rdbak"
    first = service.create(target)
    previous = target.read_bytes()
    # Leave less room than one more backup needs (its staged copy plus the new file).
    stat = os.statvfs(small_disk)
    (small_disk / "ballast").write_bytes(b"\0" * (stat.f_bavail * stat.f_frsize - int(room * first.size)))
    with pytest.raises(DomainError) as err:
        service.create(target)
    assert err.value.code == "disk_full"
    assert target.read_bytes() == previous
    assert sorted(p.name for p in small_disk.iterdir()) == ["ballast", "desk.rdbak"]  # no temp files
    assert service.verify(target).counts["cases"] == 300
    assert vault.unlock(CHIEF).check_database()["cases"] == 300
