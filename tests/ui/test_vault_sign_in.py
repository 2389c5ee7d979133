"""Signing in on an encrypted data directory unlocks the database and checks the account."""

from __future__ import annotations

from pathlib import Path

import pytest

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.domain.actors import Role
from repatriation.domain.errors import DomainError
from repatriation.vault import PasswordCredentials, Vault, needs_credentials
from tests.vault.helpers import FAST_KDF
from ui.application import VaultSignIn

PASSWORD = "Correct-horse-9-battery"


def test_vault_sign_in_builds_services_only_with_the_right_password(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "desk")
    build_services(settings).close()  # a plain data dir first, as on a fresh install
    Vault(settings.data_dir).setup("chief", PASSWORD, kdf=FAST_KDF)
    services = build_services(settings, credentials=PasswordCredentials("chief", PASSWORD))
    services.accounts.create_first_supervisor("chief", PASSWORD)
    services.close()
    assert needs_credentials(settings)

    sign_in = VaultSignIn(settings, renderer=None, build=build_services)
    with pytest.raises(DomainError):
        sign_in.authenticate("chief", "wrong-password-1")
    assert sign_in.services is None
    actor = sign_in.authenticate("chief", PASSWORD)
    assert actor.role is Role.SUPERVISOR
    assert sign_in.services is not None and sign_in.services.cases.count(actor) == 0
    sign_in.services.close()
