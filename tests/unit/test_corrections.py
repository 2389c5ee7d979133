"""Correcting intake fields: a reason is mandatory, each field keeps its history, roles see their part."""

from __future__ import annotations

from datetime import date

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.anonymise import anonymise_case
from repatriation.domain.clock import FixedClock
from repatriation.domain.enums import DocumentKind, Sex
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.people import IdentityDocument
from repatriation.services import intake_fields
from repatriation.services.cases import CaseService
from tests.fakes import FakeDatabase, FakeReference
from tests.unit.test_services import draft

OFFICER = Actor("officer.lan", Role.BORDER_GUARD)
LIAISON = Actor("liaison.hai", Role.LIAISON)


@pytest.fixture
def cases(fake_db: FakeDatabase, fake_reference: FakeReference, clock: FixedClock) -> CaseService:
    return CaseService(fake_db.uow, fake_reference, clock, "LC")


def test_a_correction_keeps_old_value_new_value_who_when_and_why(
    cases: CaseService, fake_db: FakeDatabase, clock: FixedClock
) -> None:
    ref = cases.open_case(OFFICER, draft()).reference
    case = cases.correct(OFFICER, ref, {"family_name": " Vàng ", "given_name": "Mỹ",
                                        "sex": Sex.FEMALE, "ethnic_code": "09"},
                         "Spelling checked against the birth certificate")
    assert case.person.given_name == "Mỹ" and case.person.ethnic_code == "09"
    history = case.corrections.all()
    # Unchanged fields (the family name, the sex) leave no entry.
    assert [(c.field, c.before, c.after) for c in history] == [
        ("ethnic_code", '"08"', '"09"'), ("given_name", '"Mỷ"', '"Mỹ"')]
    assert {(c.by, c.at, c.reason) for c in history} == {
        ("officer.lan", clock.now(), "Spelling checked against the birth certificate")}
    assert [c.field for c in case.corrections.basic] == ["given_name"]
    assert [c.field for c in case.corrections.sensitive] == ["ethnic_code"]
    entry = fake_db.audit[-1]
    assert entry.action == "case_corrected" and "Mỹ" not in entry.details
    assert "given_name" in entry.details and "birth certificate" not in entry.details
    again = cases.correct(OFFICER, ref, {"given_name": "Mỷ"}, "Back as first written")
    assert [c.after for c in again.corrections.basic] == ['"Mỹ"', '"Mỷ"']


@pytest.mark.parametrize(
    ("values", "reason", "code", "field"),
    [
        ({"given_name": "Mỹ"}, "  ", "missing_field", "reason"),
        ({"shoe_size": "40"}, "why", "not_correctable", "shoe_size"),
        ({"ethnic_code": "77"}, "why", "unknown_code", "ethnic_code"),
        ({"gate_code": "NOWHERE"}, "why", "unknown_code", "gate_code"),
        ({"nationality": "Viet"}, "why", "bad_value", "nationality"),
        ({"family_name": "", "given_name": ""}, "why", "missing_field", "name"),
        ({"documents": (IdentityDocument(DocumentKind.PASSPORT, "B1"),), "no_documents": True},
         "why", "documents_and_none", "documents"),
    ],
)
def test_bad_corrections_are_refused_naming_the_field_and_nothing_is_written(
    cases: CaseService, fake_db: FakeDatabase, values: dict[str, object], reason: str,
    code: str, field: str,
) -> None:
    ref = cases.open_case(OFFICER, draft()).reference
    commits, stored = fake_db.commits, fake_db.cases[ref]
    with pytest.raises(ValidationError) as info:
        cases.correct(OFFICER, ref, values, reason)
    assert (info.value.code, info.value.params.get("field")) == (code, field)
    assert fake_db.commits == commits and fake_db.cases[ref] == stored


def test_nothing_to_change_is_refused(cases: CaseService, fake_db: FakeDatabase) -> None:
    ref = cases.open_case(OFFICER, draft()).reference
    with pytest.raises(ValidationError) as info:
        cases.correct(OFFICER, ref, {"given_name": "Mỷ"}, "no change")
    assert info.value.code == "nothing_changed"


def test_a_role_that_may_not_see_a_field_sees_neither_it_nor_its_history(
    cases: CaseService,
) -> None:
    ref = cases.open_case(OFFICER, draft()).reference
    cases.correct(OFFICER, ref, {"ethnic_code": "09", "given_name": "Mỹ"}, "checked")
    seen = cases.get(LIAISON, ref)
    assert [c.field for c in seen.corrections.all()] == ["given_name"]
    assert seen.corrections.sensitive == () and seen.person.ethnic_code != "08"
    with pytest.raises(PermissionDenied):
        cases.correct(LIAISON, ref, {"ethnic_code": "01"}, "not theirs to change")
    assert cases.correct(LIAISON, ref, {"given_name": "Mỷ"}, "liaison checked").person.given_name == "Mỷ"
    full = cases.get(OFFICER, ref).corrections
    assert [c.field for c in full.sensitive] == ["ethnic_code"]  # the liaison's save kept it


def test_documents_and_no_papers_parse_from_text_and_anonymising_drops_the_history(
    cases: CaseService,
) -> None:
    ref = cases.open_case(OFFICER, draft()).reference
    docs = intake_fields.parse("documents", "passport:B1234567:cn; citizen_id:001206000123")
    assert docs == (IdentityDocument(DocumentKind.PASSPORT, "B1234567", "CN"),
                    IdentityDocument(DocumentKind.CITIZEN_ID, "001206000123"))
    case = cases.correct(OFFICER, ref, {"documents": docs}, "papers found in the bag")
    spec = intake_fields.FIELDS["documents"]
    assert intake_fields.from_text(spec, case.corrections.basic[-1].after) == docs
    none = cases.correct(OFFICER, ref, {"documents": intake_fields.parse("documents", ""),
                                        "no_documents": intake_fields.parse("no_documents", "yes")},
                         "the papers were the sister's")
    assert none.person.no_documents and none.person.documents == ()
    assert anonymise_case(none, b"k" * 32).corrections.all() == ()
    for name, text in (("documents", "visa:1"), ("documents", "passport:"), ("sex", "x"),
                       ("date_of_birth", "2026-13-01"), ("estimated_age", "twelve"),
                       ("documents", "passport:B1:China")):
        with pytest.raises(ValidationError):
            intake_fields.parse(name, text)
    assert intake_fields.parse("date_of_birth", "") is None
    estimated = cases.correct(OFFICER, ref, {"estimated_age": 13}, "told by the child")
    assert estimated.person.birth.estimated_on == date(2026, 2, 27)


def test_a_received_case_adds_its_corrections_without_removing_ours(
    cases: CaseService, fake_db: FakeDatabase
) -> None:
    from dataclasses import replace

    from repatriation.domain.sensitivity import CASE_FIELD_CLASSES
    from repatriation.services.case_changes import apply_changes, incoming_changes

    ref = cases.open_case(OFFICER, draft()).reference
    ours = cases.correct(OFFICER, ref, {"given_name": "Mỹ"}, "ours")
    theirs = cases.correct(LIAISON, ref, {"given_name": "My", "nationality": "CN"}, "theirs")
    stored = replace(fake_db.cases[ref], corrections=ours.corrections)
    keep = frozenset(CASE_FIELD_CLASSES)
    changes = [c for c in incoming_changes(stored, theirs, keep) if c.field.startswith("corrections")]
    assert [(c.field, c.theirs["field"]) for c in changes] == [
        ("corrections.basic", "given_name"), ("corrections.basic", "nationality")]
    merged = apply_changes(stored, theirs, changes, keep, date(2026, 3, 2), "")
    assert [c.reason for c in merged.corrections.basic] == ["ours", "theirs", "theirs"]


def test_the_address_as_written_is_corrected_and_its_codes_stay(
    cases: CaseService, fake_db: FakeDatabase
) -> None:
    from dataclasses import replace

    ref = cases.open_case(OFFICER, draft()).reference
    stored = fake_db.cases[ref]
    address = replace(stored.person.address, as_written="Xã Bản Lầu, tỉnh Lào Cai",
                      province_old="10", province_new="N10")  # as an import fills them
    fake_db.cases[ref] = replace(stored, person=replace(stored.person, address=address))
    case = cases.correct(OFFICER, ref, {"address": " Thôn 5, xã Bản Lầu, tỉnh Lào Cai "},
                         "The mother gave the hamlet")
    assert case.person.address == replace(address, as_written="Thôn 5, xã Bản Lầu, tỉnh Lào Cai")
    assert [(c.field, c.before, c.after) for c in case.corrections.sensitive] == [
        ("address", '"Xã Bản Lầu, tỉnh Lào Cai"', '"Thôn 5, xã Bản Lầu, tỉnh Lào Cai"')]
    with pytest.raises(PermissionDenied):  # the address is sensitive: not the liaison's to edit
        cases.correct(LIAISON, ref, {"address": "Somewhere else"}, "why")
    assert fake_db.cases[ref].person.address.as_written == "Thôn 5, xã Bản Lầu, tỉnh Lào Cai"
