"""The builder takes back a vault the front ends opened through the port, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from repatriation import bootstrap as bootstrap_module
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.credentials import PasswordCredentials
from repatriation.first_run import first_supervisor_step
from repatriation.vault import Vault
from repatriation.vault.front import FrontVaults
from tests.vault.helpers import FAST_KDF, PASSWORD


@pytest.fixture
def desk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    floor = Argon2Params(19 * 1024, 2, 1)
    monkeypatch.setattr(bootstrap_module, "password_hasher", lambda: Argon2PasswordHasher(floor))
    data = tmp_path / "desk"
    prepare = first_supervisor_step(Settings(data_dir=data), "chief", PASSWORD, build=build_services)
    Vault(data).setup("chief", PASSWORD, kdf=FAST_KDF, prepare=prepare)
    return data


def test_services_on_a_vault_opened_through_the_port_read_its_database(desk: Path) -> None:
    opened = FrontVaults().unlock(desk, PasswordCredentials("chief", PASSWORD))
    services = build_services(Settings(data_dir=desk), vault=opened)
    try:
        assert services.accounts.authenticate("chief", PASSWORD).username == "chief"
    finally:
        services.close()


class _LookAlike:
    """Has the port's methods but was not opened by it: the builder cannot know its database."""

    database_id = "not-a-database"

    def slot_users(self) -> tuple[str, ...]:
        return ("chief",)


def test_a_vault_not_opened_through_the_port_is_refused(desk: Path) -> None:
    with pytest.raises(TypeError, match="_LookAlike"):
        build_services(Settings(data_dir=desk), vault=_LookAlike())  # type: ignore[arg-type]
