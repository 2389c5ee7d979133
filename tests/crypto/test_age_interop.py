"""Interoperability both ways with the Debian ``age`` 1.1.1 CLI and with pyrage (rage)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pyrage
import pytest

from repatriation.crypto.age_armor import armor
from repatriation.crypto.age_header import Stanza
from repatriation.crypto.age_recipients import (
    ScryptIdentity,
    ScryptRecipient,
    X25519Identity,
    X25519Recipient,
)
from tests.crypto.age_helpers import decrypt_bytes, decrypt_file, encrypt_bytes, encrypt_file

AGE = shutil.which("age")
if AGE is None and os.environ.get("REQUIRE_AGE") == "1":
    raise RuntimeError("REQUIRE_AGE=1 but the age CLI is not installed")
AGE_KEYGEN = shutil.which("age-keygen")
needs_age = pytest.mark.skipif(
    AGE is None, reason="the age CLI is not installed (apt-get install age; .ci/run installs it)"
)
SIZES = [0, 1, 65535, 65536, 65537, 5_000_000]


@pytest.fixture(scope="module")
def identity() -> X25519Identity:
    return X25519Identity.generate()


@pytest.fixture
def identity_file(tmp_path: Path, identity: X25519Identity) -> Path:
    path = tmp_path / "identity.txt"
    path.write_text(f"# test identity\n{identity.to_string()}\n")
    return path


@needs_age
@pytest.mark.parametrize("size", SIZES)
def test_age_cli_decrypts_what_we_encrypt(size: int, tmp_path: Path, identity: X25519Identity,
                                          identity_file: Path) -> None:
    data = os.urandom(size)
    other = X25519Identity.generate()
    # Two recipients and our grease-style bundle stanza: the CLI must ignore the stanza.
    sealed = encrypt_bytes(data, [other.recipient, identity.recipient],
                           [Stanza("vn-ctp-bundle", ("1", str(size)), b"")])
    (tmp_path / "f.age").write_bytes(sealed)
    result = subprocess.run([AGE, "-d", "-i", str(identity_file), str(tmp_path / "f.age")],
                            capture_output=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == data


@needs_age
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("armored", [False, True], ids=["binary", "armored"])
def test_we_decrypt_what_age_cli_encrypts(size: int, armored: bool, tmp_path: Path,
                                          identity: X25519Identity) -> None:
    data = os.urandom(size)
    (tmp_path / "p.bin").write_bytes(data)
    flags = ["-a"] if armored else []
    subprocess.run([AGE, *flags, "-r", str(identity.recipient), "-o", str(tmp_path / "f.age"),
                    str(tmp_path / "p.bin")], check=True, timeout=60)
    decrypt_file(tmp_path / "f.age", tmp_path / "out.bin", [identity])
    assert (tmp_path / "out.bin").read_bytes() == data


@needs_age
def test_files_on_disk_both_ways(tmp_path: Path, identity: X25519Identity,
                                 identity_file: Path) -> None:
    data = os.urandom(3 * 65536 + 17)
    (tmp_path / "p.bin").write_bytes(data)
    encrypt_file(tmp_path / "p.bin", tmp_path / "ours.age", [identity.recipient])
    out = subprocess.run([AGE, "-d", "-i", str(identity_file), str(tmp_path / "ours.age")],
                         capture_output=True, check=True, timeout=60)
    assert out.stdout == data


@pytest.mark.skipif(AGE_KEYGEN is None, reason="age-keygen is not installed")
def test_keys_from_age_keygen_parse_and_match(tmp_path: Path) -> None:
    assert AGE_KEYGEN is not None
    text = subprocess.run([AGE_KEYGEN], capture_output=True, text=True, check=True).stdout
    secret = next(line for line in text.splitlines() if line.startswith("AGE-SECRET-KEY-1"))
    public = next(line for line in text.splitlines() if "public key:" in line).split(": ")[1]
    identity = X25519Identity.from_string(secret)
    assert str(identity.recipient) == public
    assert identity.to_string() == secret
    assert str(X25519Recipient.from_string(public)) == public


@pytest.mark.parametrize("size", SIZES)
def test_pyrage_both_ways(size: int, identity: X25519Identity) -> None:
    data = os.urandom(size)
    rage_identity = pyrage.x25519.Identity.from_str(identity.to_string())
    rage_recipient = pyrage.x25519.Recipient.from_str(str(identity.recipient))
    assert pyrage.decrypt(encrypt_bytes(data, [identity.recipient]), [rage_identity]) == data
    assert decrypt_bytes(pyrage.encrypt(data, [rage_recipient]), [identity]) == data


def test_passphrase_both_ways_with_pyrage() -> None:
    data = os.urandom(70_000)
    sealed = encrypt_bytes(data, [ScryptRecipient("correct horse", log_n=12)])
    assert pyrage.passphrase.decrypt(sealed, "correct horse") == data
    theirs = pyrage.passphrase.encrypt(data, "correct horse")  # rage's own work factor
    assert decrypt_bytes(theirs, [ScryptIdentity("correct horse")]) == data


def test_armor_writer_is_read_by_pyrage_and_us(identity: X25519Identity) -> None:
    data = os.urandom(1000)
    armored = armor(encrypt_bytes(data, [identity.recipient]))
    assert decrypt_bytes(armored, [identity]) == data
    rage_identity = pyrage.x25519.Identity.from_str(identity.to_string())
    assert pyrage.decrypt(armored, [rage_identity]) == data
