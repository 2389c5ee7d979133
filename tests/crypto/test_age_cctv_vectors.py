"""The CCTV age corpus gates the age layer: expected result, our error codes, no plaintext left."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from repatriation.crypto.age_recipients import Identity, ScryptIdentity, X25519Identity
from repatriation.domain.bundle_errors import BundleError
from tests.crypto.age_helpers import decrypt_bytes, decrypt_file
from tests.crypto.cctv import Vector, all_vectors, applicable

# Which of our codes each CCTV outcome may map to (the "what"/"where" name the detail).
ALLOWED = {
    "no match": {"wrong_key"},
    "HMAC failure": {"tampered"},
    "header failure": {"tampered", "truncated", "not_a_bundle", "unsupported_version",
                       "too_large"},
    "armor failure": {"tampered", "truncated", "not_a_bundle"},
    "payload failure": {"tampered", "truncated"},
}
VECTORS = applicable()


def _identities(vector: Vector) -> list[Identity]:
    keys: list[Identity] = [X25519Identity.from_string(i) for i in vector.identities]
    return keys + [ScryptIdentity(p) for p in vector.passphrases]


def test_corpus_has_the_expected_size() -> None:
    assert len(all_vectors()) == 143
    assert len(VECTORS) == 124
    assert {v.expect for v in VECTORS} == {"success", *ALLOWED}


@pytest.mark.parametrize("vector", VECTORS, ids=lambda v: v.name)
def test_vector(vector: Vector, tmp_path: Path) -> None:
    source = tmp_path / "in.age"
    source.write_bytes(vector.body)
    destination = tmp_path / "out.bin"
    if vector.expect == "success":
        size = decrypt_file(source, destination, _identities(vector))
        plaintext = destination.read_bytes()
        assert size == len(plaintext)
        assert hashlib.sha256(plaintext).hexdigest() == vector.payload_sha256
        assert decrypt_bytes(vector.body, _identities(vector)) == plaintext
        return
    with pytest.raises(BundleError) as caught:
        decrypt_file(source, destination, _identities(vector))
    assert caught.value.code in ALLOWED[vector.expect], str(caught.value)
    assert caught.value.params["what"]  # every refusal names the part that failed
    # No plaintext released: neither the destination nor a staging file survives.
    assert sorted(os.listdir(tmp_path)) == ["in.age"]


def test_specific_codes_for_well_known_vectors() -> None:
    by_name = {v.name: v for v in VECTORS}

    def code(name: str) -> str:
        with pytest.raises(BundleError) as caught:
            decrypt_bytes(by_name[name].body, _identities(by_name[name]))
        return caught.value.code

    assert code("hmac_bad") == "tampered"
    assert code("x25519_no_match") == "wrong_key"
    assert code("scrypt_work_factor_23") == "too_large"
    assert code("version_unsupported") == "unsupported_version"
    assert code("stream_no_final_full") == "truncated"
    assert code("stream_bad_tag") == "tampered"
    assert code("empty") == "not_a_bundle"
