"""Keys: Bech32, fingerprints (golden vector), words, key cards, the passphrase key store."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from repatriation.crypto import bech32
from repatriation.crypto.age_recipients import X25519Identity, X25519Recipient
from repatriation.crypto.keys import PostIdentity, PublicKeys, entry_from_card, entry_keys, parse_card
from repatriation.crypto.keystore import KdfParams, KeyStore, load_keystore, save_keystore
from repatriation.domain.bundle_errors import KeyFormatError, KeyStoreError
from repatriation.domain.key_directory import AgencyKind

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FAST_KDF = KdfParams(memory_kib=8 * 1024, iterations=1, lanes=1)  # tests only; floor is 64 MiB


def _fixed_keys() -> PublicKeys:
    x = X25519PrivateKey.from_private_bytes(bytes(range(32))).public_key().public_bytes_raw()
    e = Ed25519PrivateKey.from_private_bytes(bytes(range(32, 64))).public_key()
    return PublicKeys(X25519Recipient(x), e.public_bytes_raw())


def test_fingerprint_golden_vector() -> None:
    # Changing these values changes what officers compare on the phone: a format bump.
    keys = _fixed_keys()
    assert keys.key_id == "acbc8da48bb975e6452ede9fd4eff0d9ca7495981816fba98d96249b72269c15"
    assert keys.fingerprint() == (
        "94388 45558 09480 30265 75267 38234 05758 31747 93363 94746 21491 92290"
    )
    assert keys.words() == (
        "protect", "tongue", "hard", "blast", "nuclear", "veteran", "believe", "swift"
    )


def test_fingerprint_follows_the_libsignal_construction() -> None:
    keys = _fixed_keys()
    material = keys.x25519.public + keys.ed25519
    digest = hashlib.sha512(b"\x00\x00" + material + b"vn-ctp-key").digest()
    for _ in range(5200):
        digest = hashlib.sha512(digest + material).digest()
    groups = [int.from_bytes(digest[i:i + 5], "big") % 100000 for i in range(0, 60, 5)]
    assert keys.fingerprint().split() == [f"{g:05d}" for g in groups]


def test_fingerprints_differ_for_different_keys() -> None:
    a = PostIdentity.generate("A", NOW).public
    b = PostIdentity.generate("B", NOW).public
    assert a.fingerprint() != b.fingerprint()
    assert a.words() != b.words()
    assert a.words("chinese_simplified") != a.words()  # same indexes, other list
    assert len(a.words("chinese_simplified")) == 8


def test_key_card_round_trip_and_damage() -> None:
    identity = PostIdentity.generate("Công an tỉnh Lào Cai", NOW)
    card = identity.public.card(identity.agency, AgencyKind.BORDER_POST)
    parsed = parse_card(card)
    assert parsed.agency == "Công an tỉnh Lào Cai"
    assert parsed.kind is AgencyKind.BORDER_POST
    assert parsed.keys == identity.public
    assert card.isascii()
    other = PostIdentity.generate("x", NOW).public
    swapped = card.replace(str(identity.public.x25519), str(other.x25519))
    for damaged in (card.replace("kind=border_post", "kind=spy"), swapped,
                    card[:-1] + ("1" if card[-1] == "0" else "0"),
                    card.replace("vn-ctp-key:v2", "vn-ctp-key:v1"), card + ";extra=1",
                    card.replace("kind=border_post", "kind=reception_centre")):
        with pytest.raises(KeyFormatError):
            parse_card(damaged)


def test_directory_entry_from_card_checks_its_key_id() -> None:
    identity = PostIdentity.generate("Hekou", NOW)
    entry = entry_from_card(
        parse_card(identity.public.card("Hekou", AgencyKind.BORDER_POST)), NOW,
        AgencyKind.FOREIGN_COUNTERPART, "CN")
    assert entry_keys(entry) == identity.public
    assert (entry.kind, entry.country) == (AgencyKind.FOREIGN_COUNTERPART, "CN")  # ours, not the card's
    assert not entry.verified_out_of_band
    assert not entry.usable_for_sending(NOW)  # never to a key nobody verified
    entry = dataclasses.replace(entry, verified_out_of_band=True)
    assert entry.usable_for_sending(NOW)
    assert not dataclasses.replace(entry, revoked_at=NOW).usable_for_sending(NOW)
    assert not dataclasses.replace(entry, valid_until=NOW).usable_for_sending(
        NOW + timedelta(seconds=1))
    with pytest.raises(KeyFormatError):
        entry_keys(dataclasses.replace(entry, key_id="0" * 64))


@given(st.binary(min_size=0, max_size=80))
@settings(max_examples=200)
def test_bech32_round_trip(data: bytes) -> None:
    text = bech32.encode("age", data)
    assert bech32.decode(text) == ("age", data)
    assert bech32.decode(text.upper()) == ("age", data)


def test_bech32_refusals() -> None:
    good = str(X25519Identity.generate().recipient)
    for bad in (good[:-1] + ("q" if good[-1] != "q" else "p"), good[:5] + good[5:].upper(),
                good.replace("1", "", 1), good + "b"):
        with pytest.raises(KeyFormatError):
            bech32.decode(bad)
    # BIP 173 valid test strings (no length limit here, so the 90-char one also passes).
    assert bech32.decode("A12UEL5L") == ("a", b"")
    assert bech32.decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw")[0] == "abcdef"


def test_keystore_round_trip_rotation_and_pruning(tmp_path: Path) -> None:
    first = PostIdentity.generate("Lao Cai post", NOW)
    store = KeyStore((first,))
    path = tmp_path / "keys.json"
    save_keystore(path, store, "mật khẩu dài", FAST_KDF)
    assert os.listdir(tmp_path) == ["keys.json"]  # atomic: no temp file left behind
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    loaded = load_keystore(path, "mật khẩu dài")
    assert loaded.current.key_id == first.key_id
    assert loaded.current.sign(b"m") == first.sign(b"m")  # Ed25519 is deterministic
    second = PostIdentity.generate("Lao Cai post", NOW + timedelta(days=1))
    rotated = loaded.with_new_identity(second, NOW + timedelta(days=1), timedelta(days=30))
    assert rotated.current.key_id == second.key_id
    assert [i.key_id for i in rotated.decrypting(NOW + timedelta(days=2))] == [
        second.key_id, first.key_id]
    later = NOW + timedelta(days=40)
    assert [i.key_id for i in rotated.decrypting(later)] == [second.key_id]
    save_keystore(path, rotated.pruned(later), "mật khẩu dài", FAST_KDF)
    assert [i.key_id for i in load_keystore(path, "mật khẩu dài").identities] == [second.key_id]


def test_keystore_refusals(tmp_path: Path) -> None:
    path = tmp_path / "keys.json"
    save_keystore(path, KeyStore((PostIdentity.generate("P", NOW),)), "pw", FAST_KDF)
    with pytest.raises(KeyStoreError) as caught:
        load_keystore(path, "wrong")
    assert caught.value.code == "wrong_passphrase"
    document = json.loads(path.read_bytes())
    document["kdf"]["iterations"] = 2  # parameters are authenticated: changing them fails
    path.write_text(json.dumps(document))
    with pytest.raises(KeyStoreError) as caught:
        load_keystore(path, "pw")
    assert caught.value.code == "wrong_passphrase"
    path.write_text("{not json")
    with pytest.raises(KeyStoreError) as caught:
        load_keystore(path, "pw")
    assert caught.value.code == "keystore_damaged"
    with pytest.raises(KeyStoreError):
        KdfParams(memory_kib=1024).check()


def test_keystore_default_parameters_meet_the_floor(tmp_path: Path) -> None:
    params = KdfParams()
    assert params.memory_kib >= 64 * 1024 and params.iterations >= 3
    save_keystore(tmp_path / "k.json", KeyStore((PostIdentity.generate("P", NOW),)), "pw")
    assert json.loads((tmp_path / "k.json").read_bytes())["kdf"]["memory_kib"] == 65536
    assert load_keystore(tmp_path / "k.json", "pw").current.agency == "P"
