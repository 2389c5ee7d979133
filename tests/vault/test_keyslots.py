"""Key-slot crypto: recovery key format, KDF bounds, sealing bound to its context."""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pytest

from repatriation.crypto.keyslots import (
    KdfParams,
    VaultError,
    format_recovery_key,
    new_recovery_secret,
    parse_recovery_key,
    password_slot_key,
    random_key,
    random_salt,
    recovery_slot_key,
    seal,
)
from repatriation.vault.slots import password_slot
from tests.vault.helpers import FAST_KDF


def test_recovery_key_round_trips_and_forgives_case_spaces_and_lookalikes() -> None:
    secret = new_recovery_secret()
    text = format_recovery_key(secret)
    groups = text.split("-")
    assert len(groups) == 9 and all(len(g) == 4 for g in groups)
    assert parse_recovery_key(text) == secret
    assert parse_recovery_key(" " + text.lower().replace("-", " ") + "\n") == secret
    assert parse_recovery_key(text.replace("O", "0").replace("I", "1").replace("B", "8")) == secret


def test_every_single_character_typo_is_caught() -> None:
    rng = random.Random(7)
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    for _ in range(200):
        text = format_recovery_key(new_recovery_secret()).replace("-", "")
        pos = rng.randrange(len(text))
        wrong = rng.choice([c for c in alphabet if c != text[pos]])
        with pytest.raises(VaultError) as err:
            parse_recovery_key(text[:pos] + wrong + text[pos + 1 :])
        assert err.value.code == "bad_recovery_key"
    with pytest.raises(VaultError):
        parse_recovery_key(text[:-1])


def test_kdf_parameters_from_a_tampered_file_are_bounded_before_any_work() -> None:
    four_gib = 4 * 1024 * 1024
    for params in (
        KdfParams(memory_kib=four_gib),
        KdfParams(memory_kib=64 * 1024 * 1024),
        KdfParams(iterations=10_000),
        KdfParams(memory_kib=512 * 1024, iterations=8),  # each bound alone is fine, the work is not
        KdfParams(lanes=0),
    ):
        with pytest.raises(VaultError) as err:
            password_slot_key("password", random_salt(), params)
        assert err.value.code == "kdf_out_of_range"


def test_no_slot_is_written_below_the_floor() -> None:
    weak_slots = (KdfParams(memory_kib=19 * 1024 - 1, iterations=2), KdfParams(iterations=1))
    for weak in weak_slots:
        with pytest.raises(VaultError) as err:
            password_slot("chief", "correct horse battery", {1: random_key()}, "0" * 32, weak)
        assert err.value.code == "kdf_too_weak"
    KdfParams(memory_kib=19 * 1024, iterations=2, lanes=1).check_for_write()


def test_sealed_key_opens_only_with_the_same_secret_and_context() -> None:
    salt = random_salt()
    slot = password_slot_key("Mật khẩu dài", salt, FAST_KDF)
    key = random_key()
    sealed = seal(key, slot.public_bytes, b"db|1|password|tuan")
    # NFD input (another keyboard) derives the same slot: passwords are NFC-normalised.
    nfd = password_slot_key(unicodedata.normalize("NFD", "Mật khẩu dài"), salt, FAST_KDF)
    assert nfd.public_bytes == slot.public_bytes
    assert slot.unseal(sealed, b"db|1|password|tuan") == key
    for context in (b"db|2|password|tuan", b"db|1|password|lan"):
        with pytest.raises(VaultError):
            slot.unseal(sealed, context)
    other = password_slot_key("another password", salt, FAST_KDF)
    with pytest.raises(VaultError) as err:
        other.unseal(sealed, b"db|1|password|tuan")
    assert err.value.code == "wrong_credentials"
    recovery = recovery_slot_key(new_recovery_secret(), salt)
    with pytest.raises(VaultError):
        recovery.unseal(sealed, b"db|1|password|tuan")


def test_mutated_key_files_and_backup_headers_raise_only_their_own_errors(tmp_path: Path) -> None:
    from repatriation.services.backup_ports import BackupError
    from repatriation.services.backups import BackupService
    from repatriation.vault import Vault
    from repatriation.vault.keyfile import parse

    vault = Vault(tmp_path / "desk")
    vault.setup("chief", "correct horse battery", kdf=FAST_KDF)
    good = vault.keyslots_path.read_bytes()
    rng = random.Random(11)
    extra = [b'{"a":' * 5000, b"[" * 100_000, good.replace(b'"1"', b'"' + b"9" * 5000 + b'"'), b"\xff\xfe"]
    refused = 0
    for sample in extra + [_mutate(good, rng) for _ in range(400)]:
        try:
            parse(sample)
        except VaultError:  # anything else (ValueError, RecursionError...) fails the test
            refused += 1
    assert refused > 300
    service = BackupService(None, None, tmp_path)  # type: ignore[arg-type]
    overflow = b'{"format":"repatriation-desk/backup","version":1,"key_epoch":1e999}'
    for body in [b"", b"{", overflow, b"[" * 5000]:
        path = tmp_path / "h.rdbak"
        path.write_bytes(b"RDESKBK1" + len(body).to_bytes(4, "big") + body)
        with pytest.raises(BackupError):
            service.read_info(path)


def _mutate(data: bytes, rng: random.Random) -> bytes:
    blob = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        pos = rng.randrange(len(blob))
        if op < 0.5:
            blob[pos] = rng.randrange(256)
        elif op < 0.75:
            del blob[pos : pos + rng.randint(1, 20)]
        else:
            blob[pos:pos] = rng.choice([b"0", b"9" * 12, b'"', b"{", b"]", b"-1", b"null"])
    return bytes(blob)
