"""First-run steps on real services in a temp data directory: validation, set-up, resuming a retry."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from repatriation import first_run as fr
from repatriation.config import SETTINGS_FILE, Settings, load_settings
from repatriation.crypto.keys import parse_card
from repatriation.domain.actors import Role
from repatriation.domain.errors import DomainError, ValidationError
from repatriation.services import first_run_answers as fa
from repatriation.storage import sqlcipher
from repatriation.vault import PasswordCredentials, RecoveryCredentials, Vault
from tests.installer.kit import answers, cheap_build, cheap_first_run, cheap_keys


@pytest.mark.parametrize(
    ("call", "code"),
    [
        (lambda: fa.validate_language("fr"), "unsupported_language"),
        (lambda: fa.validate_profile(fa.PostProfile("  ", "LC", "CN")), "missing"),
        (lambda: fa.validate_profile(fa.PostProfile("Post", "L1", "CN")), "bad_post_code"),
        (lambda: fa.validate_profile(fa.PostProfile("Post", "LCABCDE", "CN")), "bad_post_code"),
        (lambda: fa.validate_profile(fa.PostProfile("Post", "LC", "FR")), "bad_corridor"),
        (
            lambda: fa.validate_profile(
                fa.PostProfile("Post", "LC", "CN", "KH-MOCBAI"), lambda c: {"CN-MONGCAI"}
            ),
            "unknown_gate",
        ),
        (lambda: fa.validate_supervisor("a b", "long enough pw", "long enough pw"), "bad_username"),
        (lambda: fa.validate_supervisor("chief", "long enough pw", "long enough pX"), "password_mismatch"),
        (lambda: fa.validate_supervisor("chief", "short", "short"), "password_too_short"),
        (
            lambda: fa.validate_supervisor("chief", "chief-is-me-2026", "chief-is-me-2026"),
            "password_contains_username",
        ),
        (lambda: fa.validate_key_passphrase("twelve chars", "twelve charz"), "passphrase_mismatch"),
        (lambda: fa.validate_key_passphrase("short", "short"), "passphrase_too_short"),
    ],
)
def test_each_step_refuses_bad_answers(call, code):
    with pytest.raises(DomainError) as caught:
        call()
    assert caught.value.code == code


def test_valid_answers_are_cleaned():
    nfd = unicodedata.normalize("NFD", " Đồn Lào Cai ")
    profile = fa.validate_profile(fa.PostProfile(nfd, " lc ", "LA", " "))
    assert profile == fa.PostProfile("Đồn Lào Cai", "LC", "LA", None)
    assert unicodedata.is_normalized("NFC", profile.post_name)
    assert fa.validate_supervisor(" Chi.Huy ", "a long password", "a long password") == "chi.huy"
    assert fa.validate_language("zh_CN") == "zh_CN"
    assert len(fr.suggested_key_passphrase().split("-")) == 12


def test_complete_sets_up_everything(tmp_path: Path):
    data_dir = tmp_path / "data"
    assert fr.needs_first_run(Settings(data_dir=data_dir))
    given = answers()
    result = cheap_first_run(data_dir).complete(given)

    settings = load_settings(data_dir)
    assert not fr.needs_first_run(settings)
    assert (settings.language, settings.post_code, settings.corridor, settings.gate_code) == (
        "km",
        "TN",
        "KH",
        "KH-MOCBAI",
    )
    assert settings.post_name == "Đồn Biên phòng Thử Nghiệm"
    assert result.settings == settings
    # The vault: the database is encrypted; the password and the recovery key both open it.
    assert sqlcipher.file_kind(data_dir / "repatriation.sqlite3") == "encrypted"
    vault = Vault(data_dir)
    assert vault.users() == ("chi.huy",)
    assert result.recovery_key
    by_recovery = vault.unlock(RecoveryCredentials(result.recovery_key))
    by_password = vault.unlock(PasswordCredentials("chi.huy", given.password))
    assert by_recovery.database_key() == by_password.database_key()
    # The supervisor account exists in the encrypted database and signs in.
    services = cheap_build(settings, engine=by_password.engine())
    try:
        actor = services.accounts.authenticate("chi.huy", given.password)
        assert actor.role is Role.SUPERVISOR
        keys = cheap_keys(services)
        store = keys.unlock(given.key_passphrase)
        card = parse_card(keys.card())
    finally:
        services.close()
    # The fingerprint shown is the one of the stored key pair, whose card names the post.
    assert store.current.key_id == result.key_id == card.keys.key_id
    assert result.fingerprint == card.keys.fingerprint()
    assert len(result.fingerprint.split()) == 12
    assert card.agency == "Đồn Biên phòng Thử Nghiệm"
    assert result.locations.data_dir == data_dir
    assert result.locations.keys_dir == data_dir / "keys"
    # The recovery key is never written into the settings or anywhere in the data folder.
    secret = result.recovery_key.encode()
    assert all(secret not in p.read_bytes() for p in data_dir.rglob("*") if p.is_file())


def test_an_interrupted_set_up_can_be_finished(tmp_path: Path):
    data_dir = tmp_path / "data"
    calls = []

    def failing_keys(services):
        calls.append(1)
        raise OSError("power cut")

    with pytest.raises(OSError):
        cheap_first_run(data_dir, keys_for=failing_keys).complete(answers())
    # Nothing marks the post as set up yet; the vault and account exist already.
    assert fr.needs_first_run(Settings(data_dir=data_dir))
    assert not (data_dir / SETTINGS_FILE).exists()
    assert Vault(data_dir).is_set_up

    with pytest.raises(DomainError):  # another password cannot take the half-set-up post over
        cheap_first_run(data_dir).complete(answers(password="someone else's pw"))

    result = cheap_first_run(data_dir).complete(answers())
    assert calls == [1]
    assert not fr.needs_first_run(load_settings(data_dir))
    # The recovery key issued on the retry is the one that works, and the result says so.
    Vault(data_dir).unlock(RecoveryCredentials(result.recovery_key))
    assert result.recovery_key_replaced
    stored = json.loads((data_dir / SETTINGS_FILE).read_text(encoding="utf-8"))
    assert stored["post_code"] == "TN"


def test_complete_rechecks_the_answers_before_touching_disk(tmp_path: Path):
    data_dir = tmp_path / "data"
    with pytest.raises(ValidationError):
        cheap_first_run(data_dir).complete(answers(key_passphrase="short"))
    assert not Vault(data_dir).is_set_up


def test_server_password_is_not_shown(tmp_path: Path):
    settings = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://desk:s3cret@db.local/desk")
    where = fr.data_locations(settings)
    assert "s3cret" not in where.database
    assert where.database == "postgresql+psycopg://desk:***@db.local/desk"
    assert fr.data_locations(Settings(data_dir=tmp_path)).database == str(tmp_path / "repatriation.sqlite3")


def test_an_install_from_before_the_wizard_is_not_set_up_again(tmp_path: Path):
    data_dir = tmp_path / "data"
    services = cheap_build(Settings(data_dir=data_dir))  # a plain database, no settings file
    services.close()
    assert not fr.needs_first_run(Settings(data_dir=data_dir))
    (data_dir / "repatriation.sqlite3").unlink()
    assert fr.needs_first_run(Settings(data_dir=data_dir))


def test_a_desk_set_up_from_the_command_line_is_told_its_old_recovery_key_is_void(tmp_path: Path):
    from tests.cli_kit import run_cli

    data_dir = tmp_path / "data"
    password = "mật khẩu rất dài 2026"
    code, out, err = run_cli("--data-dir", str(data_dir), "--lang", "en", "setup", "--user", "chi.huy",
                             "--kdf-memory-mib", "19", "--kdf-iterations", "2", password=password)
    assert code == 0, err
    printed = out.strip()  # the key the command line showed, to be written on paper
    Vault(data_dir).unlock(RecoveryCredentials(printed))
    assert fr.needs_first_run(Settings(data_dir=data_dir))  # no post profile yet: the wizard runs

    result = cheap_first_run(data_dir).complete(answers(username="chi.huy", password=password))
    assert result.recovery_key_replaced and result.recovery_key != printed
    Vault(data_dir).unlock(RecoveryCredentials(result.recovery_key))
    with pytest.raises(DomainError):
        Vault(data_dir).unlock(RecoveryCredentials(printed))
    fresh = cheap_first_run(tmp_path / "fresh").complete(answers())
    assert not fresh.recovery_key_replaced
