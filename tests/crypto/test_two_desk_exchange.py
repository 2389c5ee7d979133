"""A border post and a reception centre exchange bundles both ways, repeatedly, with edits.

Each desk is set up separately through the real first-run path (encrypted data directory,
supervisor, real key pair); they swap key cards and compare safety numbers. After every
exchange: no case lost or replaced, every incoming change to a case the receiver holds is
either applied by an officer's decision or still pending (never applied silently), reordered
lists change nothing, and a reply lands on its own request. All people are fictitious.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from repatriation.domain.care import Reception, SupportDelivered
from repatriation.domain.case import Case
from repatriation.domain.enums import (
    CaseStatus,
    Sex,
    SupportKind,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.key_directory import AgencyKind
from repatriation.domain.verification import VerificationRequest
from tests.crypto.two_desks import Desk, introduce, set_up_desk


@pytest.fixture
def desks(tmp_path: Path) -> Iterator[tuple[Desk, Desk]]:
    post = set_up_desk(tmp_path, "post", "BPLC", "border_post")
    centre = set_up_desk(tmp_path, "centre", "TTBT", "reception_centre")
    introduce(post, centre, AgencyKind.RECEPTION_CENTRE)
    introduce(centre, post, AgencyKind.BORDER_POST)
    yield post, centre
    post.close()
    centre.close()


def _edit(desk: Desk, reference: str, change: Callable[[Case], Case]) -> None:
    with desk.services.uow_factory() as uow:
        uow.cases.save(change(uow.cases.get(reference)))
        uow.commit()


def _names(desk: Desk) -> dict[str, str]:
    return {gid: case.person.full_name for gid, case in desk.cases().items()}


def _holds(desk: Desk, expected: dict[str, str]) -> None:
    """Every case the desk ever held is there, under the same child's name."""
    names = _names(desk)
    for global_id, name in expected.items():
        assert names.get(global_id) == name, (desk.name, global_id)


def _pending(desk: Desk, reference: str) -> dict[tuple[str, str | None], int]:
    return {(c.field, c.item_key): c.id
            for c in desk.bundles.inbox.changes(desk.actor, reference=reference)}


def test_two_desks_exchange_both_ways_without_losing_or_mixing_a_child(
        desks: tuple[Desk, Desk], tmp_path: Path) -> None:
    post, centre = desks
    # One girl written in Hanzi at the post (from the Chinese handover list) and in Vietnamese
    # at the centre; one boy with and without diacritics.
    mai_post = post.open_case("陈", "氏", "梅", date(2012, 5, 1))
    hung_post = post.open_case("Nguyễn", "Văn", "Hùng", date(2010, 1, 9), Sex.MALE)
    mai_centre = centre.open_case("Trần", "Thị", "Mai", date(2012, 5, 1))
    hung_centre = centre.open_case("Nguyen", "Van", "Hung", date(2010, 1, 9), Sex.MALE)
    assert mai_post.reference.startswith("BPLC-2026-") and mai_centre.reference.startswith(
        "TTBT-2026-")
    at_post, at_centre = _names(post), _names(centre)

    # 1. Post -> centre: two new cases; nothing of the centre's is touched.
    first = post.send(centre, tmp_path / "1.rdbundle", mai_post.reference, hung_post.reference)
    preview = centre.bundles.preview_import(centre.actor, first, keystore=centre.keystore)
    assert set(preview.new_cases) == {mai_post.reference, hung_post.reference}
    flagged = dict(zip(preview.possible_duplicates, preview.duplicate_reasons, strict=True))
    assert "name_sino_vietnamese" in flagged[(mai_post.reference, mai_centre.reference)]
    assert "name_folded" in flagged[(hung_post.reference, hung_centre.reference)]
    assert preview.sender_kind == "border_post" and preview.sender_verified
    report = centre.receive(first)
    assert set(report.created) == {mai_post.reference, hung_post.reference}
    assert report.possible_same_person == 2  # shown in the inbox with reasons, never merged
    flags = {c.item_key: c for c in centre.bundles.inbox.changes(centre.actor)
             if c.field == "possible_same_person"}
    assert flags[mai_centre.global_id].reference == mai_post.reference
    assert "name_sino_vietnamese" in flags[mai_centre.global_id].theirs
    assert flags[hung_centre.global_id].reference == hung_post.reference
    at_centre |= {mai_post.global_id: "陈 氏 梅", hung_post.global_id: "Nguyễn Văn Hùng"}
    _holds(centre, at_centre)
    _holds(post, at_post)

    # 2. The centre receives the girl, gives support, reorders her consents; sends her back
    #    with its own case of the same child.
    def in_care(case: Case) -> Case:
        case, _ = case.record_reception(Reception("Fictitious centre", date(2026, 2, 21)))
        case, _ = case.add_support(SupportDelivered(SupportKind.MEDICAL, date(2026, 2, 22)))
        case, _ = case.transition(CaseStatus.IN_CARE, date(2026, 2, 22))
        return dataclasses.replace(case, consents=tuple(reversed(case.consents)),
                                   notes="arrived tired (fictitious)")

    _edit(centre, mai_post.reference, in_care)
    second = centre.send(post, tmp_path / "2.rdbundle", mai_post.reference, mai_centre.reference)
    report = post.receive(second)
    assert report.created == (mai_centre.reference,) and report.updated == (mai_post.reference,)
    assert report.possible_same_person == 1  # the centre's girl against the post's 陈氏梅
    at_post[mai_centre.global_id] = "Trần Thị Mai"
    _holds(post, at_post)
    pending = _pending(post, mai_post.reference)
    assert {f for f, _ in pending} == {"reception", "support", "status", "notes"}
    unchanged = post.case(mai_post.reference)
    assert (unchanged.status, unchanged.reception, unchanged.notes) == (
        CaseStatus.RECEIVED, None, "")  # nothing applied before a decision
    declined = pending[("notes", None)]
    post.bundles.inbox.decline(post.actor, [declined])
    post.bundles.inbox.accept(post.actor, [i for k, i in pending.items() if k[0] != "notes"])
    applied = post.case(mai_post.reference)
    assert applied.status is CaseStatus.IN_CARE and applied.reception is not None
    assert len(applied.support) == 1 and applied.notes == ""
    on_record = post.bundles.inbox.changes(post.actor, states=("declined",))
    assert [(c.id, c.bundle_id) for c in on_record] == [(declined, report.bundle_id)]
    assert not _pending(post, mai_post.reference)

    # 3. The post asks for two verifications and sends the girl again.
    def requests(case: Case) -> Case:
        for number, kind in ((1, VerificationKind.POLICE_IDENTITY), (2, VerificationKind.DNA_MATCH)):
            case, _ = case.add_verification(VerificationRequest(
                f"V{number}", kind, "BPLC", f"Fictitious office {number}",
                sent_on=date(2026, 2, 23)))
        return case

    _edit(post, mai_post.reference, requests)
    third = post.send(centre, tmp_path / "3.rdbundle", mai_post.reference)
    centre.receive(third)
    incoming = _pending(centre, mai_post.reference)
    assert sorted(k for f, k in incoming if f == "verifications") == sorted(
        f"V{n}|{kind}|Fictitious office {n}|2026-02-23" for n, kind in
        ((1, "police_identity"), (2, "dna_match")))
    centre.bundles.inbox.decide_case(centre.actor, mai_post.reference, True)
    _holds(centre, at_centre)

    # 4. The DNA reply arrives at the centre, which also reorders the requests: the reply
    #    lands on V2 at the post, V1 stays open.
    def reply(case: Case) -> Case:
        dna = next(v for v in case.verifications if v.request_id == "V2")
        case, _ = case.replace_verification(dna.with_reply(
            date(2026, 2, 27), VerificationOutcome.CONFIRMED, "match (fictitious)"))
        return dataclasses.replace(case, verifications=tuple(reversed(case.verifications)))

    _edit(centre, mai_post.reference, reply)
    fourth = centre.send(post, tmp_path / "4.rdbundle", mai_post.reference)
    post.receive(fourth)
    only = _pending(post, mai_post.reference)
    assert [f for f, _ in only] == ["verifications"]
    post.bundles.inbox.accept(post.actor, list(only.values()))
    replied = {v.request_id: v.outcome for v in post.case(mai_post.reference).verifications}
    assert replied == {"V1": VerificationOutcome.PENDING, "V2": VerificationOutcome.CONFIRMED}

    # 5. Again, with nothing changed: no new change; then the post's boy goes once more.
    fifth = centre.send(post, tmp_path / "5.rdbundle", mai_post.reference, mai_centre.reference)
    assert post.receive(fifth).pending == 0
    sixth = post.send(centre, tmp_path / "6.rdbundle", hung_post.reference)
    assert centre.receive(sixth).pending == 0
    _holds(post, at_post)
    _holds(centre, at_centre)
    assert len(post.cases()) == 3 and len(centre.cases()) == 4
