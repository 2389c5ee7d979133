"""The field registry on its own: declarations, added fields' values, codec, redaction, anonymisation."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import date
from enum import Enum

import pytest

from repatriation.domain import case_fields
from repatriation.domain.actors import Actor, Role
from repatriation.domain.anonymise import anonymise_case
from repatriation.domain.case import Case
from repatriation.domain.codec import from_jsonable, to_jsonable
from repatriation.domain.enums import Corridor, ReturnChannel
from repatriation.domain.errors import PermissionDenied, ValidationError
from repatriation.domain.fields import (
    Anonymise,
    CaseField,
    ExtraFields,
    FieldClass,
    Share,
    extra_field,
)
from repatriation.domain.key_directory import AgencyKind
from repatriation.domain.people import Person
from repatriation.domain.sensitivity import CASE_FIELD_CLASSES, changed_fields, redact_case
from repatriation.services import access
from repatriation.services.bundle_policy import merge_received, minimise_for_share, policy_for
from repatriation.services.case_changes import apply_changes, incoming_changes
from repatriation.services.form_context import extra_particulars

KEY = b"k" * 32


def _case(**extra: object) -> Case:
    return Case("LC-2026-000001", Person("Giàng", "Mỷ"), ReturnChannel.OFFICIAL_HANDOVER,
                Corridor.CHINA, date(2026, 3, 2), extra_fields=ExtraFields(extra))  # type: ignore[arg-type]


@pytest.fixture
def added() -> Iterator[tuple[CaseField, CaseField]]:
    """A sensitive text field dropped on anonymisation and a basic day kept."""
    health = extra_field("vaccinated_on", FieldClass.BASIC, "day vaccinated", Share.EVERYONE,
                         anonymise=Anonymise.KEEP, value_type=date)
    shelter = extra_field("shelter_phone", FieldClass.SENSITIVE, "shelter phone", Share.DOMESTIC)
    with case_fields.registered(health), case_fields.registered(shelter):
        yield health, shelter


def test_declarations_cover_the_class_table_and_the_import_columns() -> None:
    declared = {spec.path for spec in case_fields.DECLARED}
    assert declared <= set(CASE_FIELD_CLASSES)
    assert all(CASE_FIELD_CLASSES[s.path] is s.field_class for s in case_fields.DECLARED)
    assert case_fields.import_columns()[:3] == ("family_name", "middle_name", "given_name")
    assert len(set(case_fields.import_columns())) == len(case_fields.import_columns())


def test_a_declaration_breaking_the_recipient_rules_or_taking_a_name_is_refused() -> None:
    with pytest.raises(ValueError, match="foreign"):
        extra_field("x", FieldClass.SENSITIVE, "x", Share.EVERYONE)
    with pytest.raises(ValueError, match="on request"):
        extra_field("x", FieldClass.CHILD_PRIVATE, "x", Share.DOMESTIC)
    with pytest.raises(ValueError, match="taken"):
        case_fields.register(extra_field("notes", FieldClass.SENSITIVE, "x", Share.DOMESTIC))
    with pytest.raises(ValueError, match="taken"):  # an import column of a declared field
        case_fields.register(extra_field("province_old", FieldClass.SENSITIVE, "x", Share.DOMESTIC))
    with pytest.raises(ValueError, match="extra_fields"):
        case_fields.register(case_fields.DECLARED[0])
    assert "extra_fields.x" not in CASE_FIELD_CLASSES


def test_values_round_trip_and_a_case_without_any_keeps_its_document(
        added: tuple[CaseField, CaseField]) -> None:
    plain = _case()
    assert "extra_fields" not in to_jsonable(plain)  # older documents and their hashes unchanged
    case = _case(vaccinated_on=date(2026, 3, 1), shelter_phone="0214 3820 000")
    document = to_jsonable(case)
    assert document["extra_fields"] == {"shelter_phone": "0214 3820 000", "vaccinated_on": "2026-03-01"}
    assert from_jsonable(Case, json.loads(json.dumps(document))) == case
    assert hash(case) == hash(from_jsonable(Case, document))
    document["extra_fields"]["unknown"] = "x"
    with pytest.raises(ValidationError) as refused:
        from_jsonable(Case, document)
    assert refused.value.code == "unknown_field"
    document["extra_fields"] = {"vaccinated_on": "1 March"}
    with pytest.raises(ValidationError):
        from_jsonable(Case, document)


def test_redaction_blanks_an_added_field_by_its_class_and_a_blank_echo_keeps_it(
        added: tuple[CaseField, CaseField]) -> None:
    stored = _case(vaccinated_on=date(2026, 3, 1), shelter_phone="0214 3820 000")
    redacted = redact_case(stored, {FieldClass.SENSITIVE})
    assert dict(redacted.case.extra_fields) == {"vaccinated_on": date(2026, 3, 1)}
    assert "extra_fields.shelter_phone" in redacted.hidden
    liaison = Actor("liaison", Role.LIAISON)
    # The liaison's view saved back: the hidden value is kept, not erased.
    assert access.guard_change(liaison, stored, redacted.case) == stored
    with pytest.raises(PermissionDenied):
        access.guard_change(liaison, stored, dataclasses.replace(
            stored, extra_fields=stored.extra_fields.with_value("shelter_phone", "0000")))
    [change] = [c for c in changed_fields(stored, redacted.case) if c.path.startswith("extra")]
    assert change.class_path == "extra_fields.shelter_phone" and change.visible_blank


def test_bundles_carry_an_added_field_by_its_share_rule(added: tuple[CaseField, CaseField]) -> None:
    case = _case(vaccinated_on=date(2026, 3, 1), shelter_phone="0214 3820 000")
    abroad = minimise_for_share(case, policy_for(AgencyKind.FOREIGN_COUNTERPART))
    assert dict(abroad.extra_fields) == {"vaccinated_on": date(2026, 3, 1)}
    post = policy_for(AgencyKind.BORDER_POST)
    assert minimise_for_share(case, post).extra_fields == case.extra_fields
    # On import, what the sender did not carry stays as stored here.
    stored = _case(shelter_phone="ours")
    merged = merge_received(stored, abroad, policy_for(AgencyKind.FOREIGN_COUNTERPART))
    assert dict(merged.extra_fields) == {"vaccinated_on": date(2026, 3, 1), "shelter_phone": "ours"}


def test_anonymisation_keeps_or_drops_an_added_field_as_declared(
        added: tuple[CaseField, CaseField]) -> None:
    case = _case(vaccinated_on=date(2026, 3, 1), shelter_phone="0214 3820 000")
    assert dict(anonymise_case(case, KEY).extra_fields) == {"vaccinated_on": date(2026, 3, 1)}


def test_forms_get_added_fields_with_their_labels(added: tuple[CaseField, CaseField]) -> None:
    values = ExtraFields({"vaccinated_on": date(2026, 3, 1), "shelter_phone": "0214"})
    lines = extra_particulars(values, "zh_CN")
    assert [(p.label, p.value.vi) for p in lines] == [("day vaccinated", "01/03/2026"),
                                                       ("shelter phone", "0214")]


def _scalar(tp: object) -> bool:
    return tp in (str, int, bool, date) or (isinstance(tp, type) and issubclass(tp, Enum))


def test_anonymisation_of_the_declared_scalar_fields_follows_their_declarations() -> None:
    from tests.security.full_case import full_case  # every leaf filled

    case = full_case(variant=1)
    anonymised = anonymise_case(case, KEY)
    checked = 0
    for spec in case_fields.DECLARED:
        owner, name = (case.person, anonymised.person) if spec.path.startswith("person.") else (
            case, anonymised)
        attribute = spec.path.rsplit(".", 1)[-1]
        tp = type(getattr(owner, attribute))
        if not _scalar(tp):
            continue
        before, after = getattr(owner, attribute), getattr(name, attribute)
        assert (before == after) is (spec.anonymise is Anonymise.KEEP), spec.name
        checked += 1
    assert checked > 15


def test_a_received_added_field_is_one_inbox_change_applied_on_acceptance(
        added: tuple[CaseField, CaseField]) -> None:
    stored = _case(shelter_phone="ours")
    incoming = _case(shelter_phone="theirs", vaccinated_on=date(2026, 3, 1))
    keep = policy_for(AgencyKind.BORDER_POST).paths
    changes = incoming_changes(stored, incoming, keep)
    assert [(c.field, c.ours, c.theirs) for c in changes] == [
        ("extra_fields.shelter_phone", "ours", "theirs"),
        ("extra_fields.vaccinated_on", None, "2026-03-01")]
    applied = apply_changes(stored, incoming, changes[1:], keep, date(2026, 3, 5), "")
    assert dict(applied.extra_fields) == {"shelter_phone": "ours", "vaccinated_on": date(2026, 3, 1)}
    # Their blank removes nothing; a foreign counterpart may not change a domestic field.
    assert [(c.field, c.ours, c.theirs) for c in incoming_changes(incoming, stored, keep)] == [
        ("extra_fields.shelter_phone", "theirs", "ours")]
    foreign = policy_for(AgencyKind.FOREIGN_COUNTERPART).paths
    assert [c.field for c in incoming_changes(stored, incoming, foreign)] == [
        "extra_fields.vaccinated_on"]
