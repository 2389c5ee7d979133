"""One Argon2id check per sign-in on an encrypted desk: the unsealed key slot proves the password."""

from __future__ import annotations

import pytest

from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.crypto.passwords import Argon2PasswordHasher
from repatriation.domain.actors import Role
from repatriation.domain.errors import DomainError
from repatriation.vault import PasswordCredentials
from repatriation.vault.proof import UnlockProof
from tests.cli_kit import Desk, encrypted_desk


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return encrypted_desk(tmp_path_factory.mktemp("desk"))


@pytest.fixture
def hash_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every account-hash check the desk makes, by user name (the check itself still runs)."""
    seen: list[str] = []
    original = Argon2PasswordHasher.verify

    def counted(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        seen.append(password)
        return original(self, password, encoded)

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counted)
    return seen


def test_a_cli_command_signs_in_without_hashing_the_password_twice(
        desk: Desk, hash_checks: list[str]) -> None:
    code, _, err = desk.run(Role.BORDER_GUARD, "cases", "list")
    assert code == 0, err
    assert hash_checks == []
    officer = desk.users[Role.BORDER_GUARD]
    # A wrong password never gets as far as the account: the key slot refuses it first.
    stranger = Desk(desk.data, dict(desk.users), {officer: "not the officer's passphrase"})
    code, _, err = stranger.run(Role.BORDER_GUARD, "cases", "list")
    assert code != 0 and "password" in err.lower()
    assert hash_checks == []


def test_a_later_check_in_the_same_session_hashes_again(desk: Desk, hash_checks: list[str]) -> None:
    officer = desk.users[Role.BORDER_GUARD]
    password = desk.passwords[officer]
    services = build_services(Settings(data_dir=desk.data),
                              credentials=PasswordCredentials(officer, password))
    try:
        hash_checks.clear()
        assert services.accounts.authenticate(officer, password).username == officer
        assert hash_checks == []
        # The idle lock signs in again on the open desk: the account's own hash decides now.
        assert services.accounts.authenticate(officer, password).username == officer
        assert hash_checks == [password]
        with pytest.raises(DomainError):
            services.accounts.authenticate(officer, "an old or guessed password")
    finally:
        services.close()


def test_the_proof_answers_once_and_only_for_that_name_and_password() -> None:
    assert UnlockProof("An.Officer", "secret one").opened_by("an.officer", "secret one")
    proof = UnlockProof("an.officer", "secret one")
    assert not proof.opened_by("an.officer", "secret two")
    assert not proof.opened_by("an.officer", "secret one")  # spent by the first question
    assert not UnlockProof("an.officer", "secret one").opened_by("chief", "secret one")
    assert not UnlockProof("", None).opened_by("", "")
