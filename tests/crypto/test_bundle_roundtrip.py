"""Property: any set of members survives write_bundle -> open_bundle byte for byte."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repatriation.crypto.bundle_reader import open_bundle
from repatriation.crypto.bundle_writer import Delivery, write_bundle
from repatriation.services.bundle_ports import BundleFile
from tests.crypto.bundle_kit import NOW, FakeDirectory, post

ALICE = post("Sender post")
BOB = post("Receiver post")
NAME = st.from_regex(r"(attachments|forms)/[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True).filter(
    lambda n: ".." not in n)  # the writer refuses dot-dot names (tested in the hostile corpus)
MEMBERS = st.dictionaries(NAME, st.binary(max_size=70_000), max_size=3)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(members=MEMBERS, cases=st.binary(max_size=2000), passphrase=st.booleans(),
       sequence=st.integers(0, 2**40))
def test_members_round_trip(members: dict[str, bytes], cases: bytes, passphrase: bool,
                            sequence: int) -> None:
    directory = FakeDirectory()
    directory.trust(ALICE)
    delivery = (Delivery(passphrase="pw", scrypt_log_n=10) if passphrase
                else Delivery(keys=(BOB.public,)))
    files = [BundleFile.from_bytes("cases.json", cases),
             *(BundleFile.from_bytes(n, d) for n, d in members.items())]
    with tempfile.TemporaryDirectory() as name:
        work = Path(name)
        manifest = write_bundle(work / "b.vnbundle", sender=ALICE, delivery=delivery,
                                purpose="border_post", sequence=sequence, files=files,
                                created_at=NOW)
        with open_bundle(work / "b.vnbundle", directory=directory, now=NOW,
                         staging_parent=work, identities=(BOB,),
                         passphrase="pw" if passphrase else None) as opened:
            assert opened.manifest == manifest
            assert opened.cases_json == cases
            assert {n: f.read() for n, f in opened.files.items()} == members
        assert sorted(p.name for p in work.iterdir()) == ["b.vnbundle"]
