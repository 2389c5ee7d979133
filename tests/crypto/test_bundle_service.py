"""Bundle use cases between two posts: round trip, minimisation, preview, replay, rollback,
and the hostile corpus leaving the database byte-for-byte unchanged."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.bundle_errors import BundleError
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import DomainError, PermissionDenied
from repatriation.domain.key_directory import AgencyKind
from repatriation.services.bundle_keys import aware
from repatriation.services.bundles import ExportRequest
from repatriation.storage.bundle_tables import KeyDirectoryRow
from tests.crypto.service_kit import OFFICER, Post, make_post, now, sample_case, two_posts


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(now())


@pytest.fixture
def posts(tmp_path: Path, clock: FixedClock) -> tuple[Post, Post]:
    return two_posts(tmp_path, clock)


def _to(a: Post, b: Post, *refs: str, **options: object) -> ExportRequest:
    b_id = next(e.key_id for e in a.keys.directory())
    return ExportRequest(references=refs, recipients=(b_id,), **options)  # type: ignore[arg-type]


def _everything(a: Post, b: Post, *refs: str) -> ExportRequest:
    return _to(a, b, *refs, include_health=True, include_narrative=True)


def test_round_trip_reproduces_the_cases_exactly(posts: tuple[Post, Post], tmp_path: Path) -> None:
    a, b = posts
    photo = os.urandom(200_000)
    originals = [sample_case("LC-2026-000001", a, photo),
                 sample_case("LC-2026-000002", a, family_name="Other")]
    for case in originals:
        a.add_case(case)
    out = tmp_path / "out.vnbundle"
    result = a.bundles.export_bundle(OFFICER, _everything(a, b, "LC-2026-000001",
                                                          "LC-2026-000002"),
                                     keystore=a.keystore, out_path=out)
    assert result.passphrase is None
    report = b.bundles.import_bundle(OFFICER, out, keystore=b.keystore)
    assert set(report.created) == {"LC-2026-000001", "LC-2026-000002"}
    for original in originals:
        assert b.case(original.reference) == a.case(original.reference)
    assert b.attachments.files == a.attachments.files
    with pytest.raises(BundleError) as caught:
        b.bundles.import_bundle(OFFICER, out, keystore=b.keystore)
    assert caught.value.code == "replayed"
    actions = [e.action for e in b.services.uow_factory().__enter__().audit.entries()]
    assert "bundle_imported" in actions and actions.count("case_imported") == 2


def test_minimisation_for_a_foreign_counterpart(posts: tuple[Post, Post], tmp_path: Path) -> None:
    a, b = posts
    a.add_case(sample_case("LC-2026-000003", a, b"fictitious photo"))
    entry = a.keys.directory()[0]
    with a.services.uow_factory() as uow:
        uow.bundle_store.put_entry(
            dataclasses.replace(entry, kind=AgencyKind.FOREIGN_COUNTERPART))
        uow.commit()
    request = ExportRequest(("LC-2026-000003",), (entry.key_id,))
    preview = a.bundles.preview_export(OFFICER, request)
    assert "health_notes" in preview.excluded_paths
    assert "exploitation_narrative" in preview.excluded_paths
    assert "person.address" in preview.excluded_paths
    assert "person.documents" in preview.included_paths
    assert preview.files[0][0] == "cases.json"
    out = tmp_path / "foreign.vnbundle"
    a.bundles.export_bundle(OFFICER, request, keystore=a.keystore, out_path=out)
    with a.services.uow_factory() as uow:  # the export records what it left out, by path
        exported = [e for e in uow.audit.entries() if e.action == "bundle_exported"][-1]
    assert json.loads(exported.details)["excluded"] == sorted(preview.excluded_paths)
    b.bundles.import_bundle(OFFICER, out, keystore=b.keystore)
    received = b.case("LC-2026-000003")
    assert received.health_notes == "" and received.exploitation_narrative == ""
    assert received.person.ethnic_code != "01" and received.reception is None
    assert received.person.documents == a.case("LC-2026-000003").person.documents
    with pytest.raises(DomainError):
        a.bundles.preview_export(OFFICER, dataclasses.replace(request, include_narrative=True))


def test_update_keeps_fields_the_bundle_did_not_carry(posts: tuple[Post, Post],
                                                      tmp_path: Path) -> None:
    a, b = posts
    a.add_case(sample_case("LC-2026-000004", a))
    first = tmp_path / "1.vnbundle"
    a.bundles.export_bundle(OFFICER, _everything(a, b, "LC-2026-000004"), keystore=a.keystore,
                            out_path=first)
    b.bundles.import_bundle(OFFICER, first, keystore=b.keystore)
    with a.services.uow_factory() as uow:
        case = uow.cases.get("LC-2026-000004")
        uow.cases.save(dataclasses.replace(case, notes="changed at the sender"))
        uow.commit()
    second = tmp_path / "2.vnbundle"
    a.bundles.export_bundle(OFFICER, _to(a, b, "LC-2026-000004"), keystore=a.keystore,
                            out_path=second)  # border post default: no health notes
    preview = b.bundles.preview_import(OFFICER, second, keystore=b.keystore)
    assert preview.updated_cases == (("LC-2026-000004", 1),) and not preview.new_cases
    report = b.bundles.import_bundle(OFFICER, second, keystore=b.keystore)
    assert report.updated == ("LC-2026-000004",) and report.pending == 1
    assert b.case("LC-2026-000004").notes == "fictitious note"  # waits for a decision
    (change,) = b.bundles.inbox.changes(OFFICER)
    assert (change.field, change.theirs) == ("notes", '"changed at the sender"')
    b.bundles.inbox.accept(OFFICER, [change.id])
    merged = b.case("LC-2026-000004")
    assert merged.notes == "changed at the sender"
    assert merged.health_notes == "fictitious health note"  # kept: not in this bundle
    # Replaying the older bundle's content under a new id is a rollback.
    third = tmp_path / "3.vnbundle"
    with a.services.uow_factory() as uow:
        stale = dataclasses.replace(uow.cases.get("LC-2026-000004"), revision=1)
    from repatriation.crypto.bundle_writer import Delivery, write_bundle
    from repatriation.services.bundle_cases import encode_cases
    from repatriation.services.bundle_policy import policy_for
    from repatriation.services.bundle_ports import BundleFile

    policy = policy_for(AgencyKind.BORDER_POST)
    write_bundle(third, sender=a.keystore.current,
                 delivery=Delivery(keys=(b.keystore.current.public,)), purpose="border_post",
                 sequence=99, created_at=clock_aware(),
                 files=[BundleFile.from_bytes("cases.json", encode_cases([stale], policy))])
    before = b.database_fingerprint()
    with pytest.raises(BundleError) as caught:
        b.bundles.import_bundle(OFFICER, third, keystore=b.keystore)
    assert caught.value.code == "rollback"
    assert b.database_fingerprint() == before


def clock_aware() -> datetime:
    return aware(now())


def test_possible_duplicates_are_previewed(posts: tuple[Post, Post], tmp_path: Path) -> None:
    a, b = posts
    a.add_case(sample_case("LC-2026-000005", a))
    b.add_case(sample_case("HK-2026-000001", b))  # same fictitious person, other reference
    out = tmp_path / "d.vnbundle"
    a.bundles.export_bundle(OFFICER, _to(a, b, "LC-2026-000005"), keystore=a.keystore,
                            out_path=out)
    preview = b.bundles.preview_import(OFFICER, out, keystore=b.keystore)
    assert preview.new_cases == ("LC-2026-000005",)
    assert preview.possible_duplicates == (("LC-2026-000005", "HK-2026-000001"),)


def test_consent_and_rights_are_checked(posts: tuple[Post, Post], tmp_path: Path) -> None:
    a, b = posts
    case = dataclasses.replace(sample_case("LC-2026-000006", a), consents=())
    a.add_case(case)
    with pytest.raises(PermissionDenied) as caught:
        a.bundles.preview_export(OFFICER, _to(a, b, "LC-2026-000006"))
    assert caught.value.code == "consent_missing"
    a.add_case(sample_case("LC-2026-000007", a))
    with pytest.raises(PermissionDenied):
        a.bundles.preview_export(Actor("stat", Role.STATISTICIAN), _to(a, b, "LC-2026-000007"))


def test_passphrase_export_and_inspect(posts: tuple[Post, Post], tmp_path: Path) -> None:
    a, b = posts
    a.add_case(sample_case("LC-2026-000008", a))
    out = tmp_path / "p.vnbundle"
    result = a.bundles.export_bundle(
        OFFICER, ExportRequest(("LC-2026-000008",), passphrase=True,
                               kind=AgencyKind.RECEPTION_CENTRE),
        keystore=a.keystore, out_path=out)
    assert result.passphrase is not None and len(result.passphrase.split("-")) == 12
    before = b.bundles.inspect_bundle(out)
    assert before.header is not None and before.header.stanza_types == ("scrypt",)
    assert before.manifest is None
    after = b.bundles.inspect_bundle(out, passphrase=result.passphrase)
    assert after.manifest is not None and after.manifest.purpose == "reception_centre"
    report = b.bundles.import_bundle(OFFICER, out, keystore=None, passphrase=result.passphrase)
    assert report.created == ("LC-2026-000008",)


HOSTILE = ["header_flip", "body_flip", "last_chunk_flip", "truncated", "wrong_recipient",
           "unknown_sender", "revoked_sender", "unverified_sender", "replay", "not_a_bundle",
           "deep_cases_json", "bad_cases_schema"]


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_bundles_leave_the_database_unchanged(case: str, posts: tuple[Post, Post],
                                                      tmp_path: Path, clock: FixedClock) -> None:
    a, b = posts
    a.add_case(sample_case("LC-2026-000010", a, os.urandom(150_000)))
    good = tmp_path / "good.vnbundle"
    a.bundles.export_bundle(OFFICER, _everything(a, b, "LC-2026-000010"), keystore=a.keystore,
                            out_path=good)
    data = bytearray(good.read_bytes())
    rng = random.Random(case)
    path = tmp_path / "hostile.vnbundle"
    receiver_keys = b.keystore
    header_end = data.index(b"\n---") + 49
    if case == "header_flip":
        data[rng.randrange(header_end)] ^= 1
    elif case == "body_flip":
        data[rng.randrange(header_end + 20, len(data) - 70_000)] ^= 4
    elif case == "last_chunk_flip":
        data[len(data) - 5] ^= 0x10
    elif case == "truncated":
        data = data[: rng.randrange(header_end, len(data))]
    elif case == "wrong_recipient":
        receiver_keys = make_post(tmp_path, "eve", clock).keystore
    elif case == "unknown_sender":
        _drop_directory(b)
    elif case == "revoked_sender":
        b.keys.revoke(OFFICER, b.keys.directory()[0].key_id)
    elif case == "unverified_sender":
        _unverify(b)
    elif case == "replay":
        b.bundles.import_bundle(OFFICER, good, keystore=b.keystore)
    elif case == "not_a_bundle":
        data = bytearray(b"\x89PNG\r\n" + os.urandom(3000))
    elif case in ("deep_cases_json", "bad_cases_schema"):
        _write_custom_cases(a, b, path, deep=case == "deep_cases_json")
    if case not in ("deep_cases_json", "bad_cases_schema"):
        path.write_bytes(bytes(data))
    before = b.database_fingerprint()
    files_before = dict(b.attachments.files)
    with pytest.raises(BundleError) as caught:
        b.bundles.import_bundle(OFFICER, path, keystore=receiver_keys)
    expected = {"header_flip": {"tampered", "wrong_key", "not_a_bundle", "unsupported_version"},
                "body_flip": {"tampered"}, "last_chunk_flip": {"tampered"},
                "truncated": {"truncated"}, "wrong_recipient": {"wrong_key"},
                "unknown_sender": {"unknown_sender"}, "revoked_sender": {"revoked_sender"},
                "unverified_sender": {"unverified_sender"}, "replay": {"replayed"},
                "not_a_bundle": {"not_a_bundle"}, "deep_cases_json": {"too_deep"},
                "bad_cases_schema": {"schema"}}[case]
    assert caught.value.code in expected, str(caught.value)
    assert b.database_fingerprint() == before
    assert b.attachments.files == files_before
    assert [p.name for p in b.data_dir.iterdir() if p.name.startswith(".bundle-staging")] == []


def _drop_directory(post: Post) -> None:
    with post.services.uow_factory() as uow:
        session = uow.session  # type: ignore[attr-defined]
        for row in session.query(KeyDirectoryRow).all():
            session.delete(row)
        uow.commit()


def _unverify(post: Post) -> None:
    with post.services.uow_factory() as uow:
        store = uow.bundle_store
        for entry in store.directory():
            store.put_entry(dataclasses.replace(entry, verified_out_of_band=False))
        uow.commit()


def _write_custom_cases(a: Post, b: Post, path: Path, deep: bool) -> None:
    from repatriation.crypto.bundle_writer import Delivery, write_bundle
    from repatriation.services.bundle_ports import BundleFile

    body = (b'{"schema_version":1,"policy":' + b"[" * 40 + b"]" * 40 + b',"cases":[]}' if deep
            else b'{"schema_version":1,"policy":{"kind":"border_post","paths":["reference"]},'
                 b'"cases":[{"reference":"X","person":{"family_name":1}}]}')
    write_bundle(path, sender=a.keystore.current,
                 delivery=Delivery(keys=(b.keystore.current.public,)), purpose="border_post",
                 sequence=50, created_at=clock_aware(),
                 files=[BundleFile.from_bytes("cases.json", body)])


def test_staging_directory_is_removed_after_success(posts: tuple[Post, Post],
                                                    tmp_path: Path) -> None:
    a, b = posts
    a.add_case(sample_case("LC-2026-000011", a, b"photo"))
    out = tmp_path / "s.vnbundle"
    a.bundles.export_bundle(OFFICER, _everything(a, b, "LC-2026-000011"), keystore=a.keystore,
                            out_path=out)
    b.bundles.import_bundle(OFFICER, out, keystore=b.keystore)
    assert not [p for p in b.data_dir.iterdir() if p.name.startswith(".bundle-staging")]
    shutil.rmtree(tmp_path / "lc", ignore_errors=True)
