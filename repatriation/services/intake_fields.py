"""The intake fields an officer may correct: where each lives in a case, its type and text form.

One table serves the desk's correction dialog, the CLI's ``cases edit --set field=value`` and the
history: a correction stores the old and new value as canonical JSON (:func:`to_text`), read back
with :func:`from_text`. Registered added fields (``domain/case_fields.py``) are correctable too
(:func:`correctable`), as plain text, numbers, yes/no or dates. A field's class (who may see and
edit it) is the class of its case path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import Enum
from typing import Any

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.codec import from_jsonable, to_jsonable
from repatriation.domain.corrections import Correction
from repatriation.domain.enums import (
    AgeConfidence,
    Corridor,
    DocumentKind,
    Literacy,
    PlaceKind,
    ReturnChannel,
    Sex,
)
from repatriation.domain.errors import NotFoundError, ValidationError
from repatriation.domain.events import DomainEvent, case_event
from repatriation.domain.fields import EXTRA_PREFIX, CaseField, extra_fields
from repatriation.domain.people import FamilyMember, IdentityDocument, Person
from repatriation.domain.permissions import Action
from repatriation.domain.sensitivity import CASE_FIELD_CLASSES, FieldClass
from repatriation.domain.text import nfc
from repatriation.services import access
from repatriation.services.ports import ReferenceLookup

_COUNTRY = re.compile(r"[A-Z]{2}")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
_YES, _NO = frozenset({"yes", "true", "1"}), frozenset({"no", "false", "0"})
Documents = tuple[IdentityDocument, ...]
Family = tuple[FamilyMember, ...]
# How a relative is related to the person (the forms print the same codes).
RELATIONS = ("mother", "father", "sibling", "spouse", "grandparent", "guardian", "other")


@dataclass(frozen=True)
class IntakeField:
    """One correctable field: ``kind`` tells the desk which editor and the history how to show it."""

    name: str
    path: str  # its key in CASE_FIELD_CLASSES
    kind: str  # the editor and the words: text, names, date, enum, gate, documents, family...
    value_type: Any
    get: Callable[[Case], Any]
    put: Callable[[Case, Any], Case]
    enum: type[Enum] | None = None

    @property
    def field_class(self) -> FieldClass:
        """Who may see and edit it: the class of its case path."""
        return CASE_FIELD_CLASSES[self.path]


def _person(name: str) -> tuple[Callable[[Case], Any], Callable[[Case, Any], Case]]:
    return (lambda c: getattr(c.person, name),
            lambda c, v: replace(c, person=replace(c.person, **{name: v})))


def _birth(name: str) -> tuple[Callable[[Case], Any], Callable[[Case, Any], Case]]:
    def put(case: Case, value: Any) -> Case:
        changes: dict[str, Any] = {name: value}
        if name == "estimated_age" and value is not None and case.person.birth.estimated_on is None:
            changes["estimated_on"] = case.received_on  # estimated at intake, by default
        birth = replace(case.person.birth, **changes)
        return replace(case, person=replace(case.person, birth=birth))

    return (lambda c: getattr(c.person.birth, name)), put


def _address_text() -> tuple[Callable[[Case], Any], Callable[[Case, Any], Case]]:
    # The wording only: province and commune codes (set by an import) stay as they were, since
    # the desk records an address as written and the codes feed statistics already released.
    def put(case: Case, value: Any) -> Case:
        address = replace(case.person.address, as_written=value)
        return replace(case, person=replace(case.person, address=address))

    return (lambda c: c.person.address.as_written), put


def _case(name: str) -> tuple[Callable[[Case], Any], Callable[[Case, Any], Case]]:
    return (lambda c: getattr(c, name)), (lambda c, v: replace(c, **{name: v}))


def _field(name: str, path: str, kind: str, value_type: Any,
           access: tuple[Callable[[Case], Any], Callable[[Case, Any], Case]],
           enum: type[Enum] | None = None) -> IntakeField:
    return IntakeField(name, path, kind, value_type, access[0], access[1], enum)


# In the order the desk's dialog shows them (and the order a correction applies them).
FIELDS: dict[str, IntakeField] = {f.name: f for f in (
    _field("family_name", "person.family_name", "text", str, _person("family_name")),
    _field("middle_name", "person.middle_name", "text", str, _person("middle_name")),
    _field("given_name", "person.given_name", "text", str, _person("given_name")),
    _field("aliases", "person.aliases", "names", tuple[str, ...], _person("aliases")),
    _field("sex", "person.sex", "enum", Sex, _person("sex"), Sex),
    _field("date_of_birth", "person.birth", "date", date | None, _birth("date_of_birth")),
    _field("estimated_age", "person.birth", "int", int | None, _birth("estimated_age")),
    _field("age_confidence", "person.birth", "enum", AgeConfidence, _birth("confidence"),
           AgeConfidence),
    _field("nationality", "person.nationality", "country", str, _person("nationality")),
    _field("preferred_language", "person.preferred_language", "language", str,
           _person("preferred_language")),
    _field("literacy", "person.literacy", "enum", Literacy, _person("literacy"), Literacy),
    _field("interpreter_needed", "person.interpreter_needed", "bool", bool,
           _person("interpreter_needed")),
    _field("interpreter_language", "person.interpreter_language", "language", str,
           _person("interpreter_language")),
    _field("place_of_birth", "person.place_of_birth", "text", str, _person("place_of_birth")),
    _field("address", "person.address", "text", str, _address_text()),
    _field("ethnic_code", "person.ethnic_code", "ethnic", str, _person("ethnic_code")),
    _field("received_on", "received_on", "date", date, _case("received_on")),
    _field("channel", "channel", "enum", ReturnChannel, _case("channel"), ReturnChannel),
    _field("corridor", "corridor", "enum", Corridor, _case("corridor"), Corridor),
    _field("place_kind", "place_kind", "enum", PlaceKind, _case("place_kind"), PlaceKind),
    _field("gate_code", "gate_code", "gate", str | None, _case("gate_code")),
    _field("place_detail", "place_detail", "text", str, _case("place_detail")),
    _field("documents", "person.documents", "documents", Documents, _person("documents")),
    _field("no_documents", "person.no_documents", "bool", bool, _person("no_documents")),
    _field("family", "person.family", "family", Family, _person("family")),
)}


_KINDS = {str: "text", int: "int", bool: "bool", date: "date"}


def _added(spec: CaseField) -> IntakeField:
    """A registered added field (``domain/case_fields.py``) as a correctable one."""
    def put(case: Case, value: Any) -> Case:
        value = None if value == "" else value  # blank text: no value
        return replace(case, extra_fields=case.extra_fields.with_value(spec.name, value))

    blank = "" if spec.value_type is str else None  # an absent text reads as the empty text
    return IntakeField(spec.name, spec.path, _KINDS[spec.value_type], spec.value_type | None,
                       lambda c: c.extra_fields.get(spec.name, blank), put)


def correctable() -> dict[str, IntakeField]:
    """The table's fields, then the registered added fields, by name."""
    return FIELDS | {spec.name: _added(spec) for spec in extra_fields()}


def editable(actor: Actor, *, added_only: bool = False) -> list[IntakeField]:
    """The correctable fields ``actor``'s role may edit (``added_only``: the registered added ones).

    The desk offers only these, in the correction dialog and at intake; the services refuse the
    others anyway (``access.guard_change``, ``access.guard_new``).
    """
    return [spec for spec in correctable().values()
            if (not added_only or spec.path.startswith(EXTRA_PREFIX))
            and access.can(actor, Action.EDIT, spec.field_class)]


def lookup(name: str) -> IntakeField | None:
    """The correctable field called ``name``, if there is one (history of a retired field: none)."""
    return correctable().get(name)


def field_named(name: str) -> IntakeField:
    """The field called ``name``; refused with the name when it cannot be corrected."""
    spec = lookup(name)
    if spec is None:
        raise ValidationError("not_correctable", field=name)
    return spec


def to_text(spec: IntakeField, value: Any) -> str:
    """A value as the canonical JSON text a correction keeps."""
    return json.dumps(to_jsonable(value), ensure_ascii=False, sort_keys=True)


def from_text(spec: IntakeField, text: str) -> Any:
    """The value a correction kept (see :func:`to_text`)."""
    return from_jsonable(spec.value_type, json.loads(text))


def parse_document(text: str) -> IdentityDocument:
    """``KIND:NUMBER[:COUNTRY]`` (e.g. ``passport:B1234567:CN``) as a document."""
    kind, _, rest = nfc(text).strip().partition(":")
    number, _, country = rest.partition(":")
    try:
        document_kind = DocumentKind(kind.strip())
    except ValueError:
        raise ValidationError("unknown_code", field="documents", value=kind.strip()) from None
    if not number.strip():
        raise ValidationError("missing_field", field="document_number")
    country = country.strip().upper()
    if country and not _COUNTRY.fullmatch(country):
        raise ValidationError("bad_value", field="issuing_country", value=country)
    return IdentityDocument(document_kind, number.strip(), issuer=country)


def parse_member(text: str) -> FamilyMember:
    """``RELATION:NAME[:BIRTH_YEAR[:PHONE[:guardian]]]`` (e.g. ``mother:Giàng Thị Mai:1985``)."""
    parts = [p.strip() for p in nfc(text).split(":")]
    relation, name = parts[0], parts[1] if len(parts) > 1 else ""
    if relation not in RELATIONS:
        raise ValidationError("unknown_code", field="family", value=relation)
    if not name:
        raise ValidationError("missing_field", field="relative_name")
    year = parts[2] if len(parts) > 2 else ""
    if year and not (year.isdigit() and 1900 <= int(year) <= 2100):
        raise ValidationError("bad_value", field="birth_year", value=year)
    flag = parts[4] if len(parts) > 4 else ""
    if flag not in ("", "guardian"):
        raise ValidationError("bad_value", field="family", value=flag)
    return FamilyMember(relation, name, int(year) if year else None,
                        phone=parts[3] if len(parts) > 3 else "", is_guardian=flag == "guardian")


def _scalar(spec: IntakeField, text: str) -> Any:  # noqa: C901 - one branch per kind
    if spec.kind in ("text", "ethnic", "country", "language", "gate"):
        value = text.upper() if spec.kind == "country" else text
        return None if spec.kind == "gate" and not value else value
    if spec.kind == "names":
        return tuple(n.strip() for n in text.split(";") if n.strip())
    if spec.kind == "documents":
        return tuple(parse_document(d) for d in text.split(";") if d.strip())
    if spec.kind == "family":
        return tuple(parse_member(m) for m in text.split(";") if m.strip())
    if spec.kind == "bool":
        if text.lower() in _YES | _NO:
            return text.lower() in _YES
    elif spec.kind == "enum" and spec.enum is not None:
        try:
            return spec.enum(text)
        except ValueError:
            raise ValidationError("unknown_code", field=spec.name, value=text) from None
    elif not text and spec.value_type in (date | None, int | None):
        return None
    elif spec.kind == "date":
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    elif spec.kind == "int" and text.isdigit():
        return int(text)
    raise ValidationError("bad_value", field=spec.name, value=text)


def parse(name: str, text: str) -> Any:
    """The value of ``name`` typed as text (the CLI's ``--set name=value``)."""
    return _scalar(field_named(name), nfc(text).strip())


def normalise(value: Any) -> Any:
    """Text as every input stores it: NFC, without surrounding spaces (names in lists too)."""
    if isinstance(value, str):
        return nfc(value).strip()
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(n for n in (nfc(v).strip() for v in value) if n)
    return value


def check_value(reference: ReferenceLookup, spec: IntakeField, value: Any) -> None:
    """Refuse a code the reference data does not know, or a malformed one, naming the field."""
    try:
        if spec.kind == "ethnic":
            reference.ethnic(value)
        elif spec.kind == "gate" and value is not None:
            reference.gate(value)
    except NotFoundError:
        raise ValidationError("unknown_code", field=spec.name, value=str(value)) from None
    if spec.kind == "country" and not _COUNTRY.fullmatch(value):
        raise ValidationError("bad_value", field=spec.name, value=value)
    if spec.kind == "language" and value and not _LANGUAGE.fullmatch(value):
        raise ValidationError("bad_value", field=spec.name, value=value)


def check_person(person: Person) -> None:
    """A person recorded with no papers has no document listed."""
    if person.no_documents and person.documents:
        raise ValidationError("documents_and_none", field="documents")


def checked(reference: ReferenceLookup, values: Mapping[str, Any], reason: str) -> dict[str, Any]:
    """The wanted values, normalised and checked, before anything is read or written.

    Raises:
        ValidationError: no reason, a field that cannot be corrected, an unknown code.
    """
    if not nfc(reason).strip():
        raise ValidationError("missing_field", field="reason")
    wanted = {field_named(name).name: normalise(value) for name, value in values.items()}
    for name, value in wanted.items():
        check_value(reference, field_named(name), value)
    return wanted


def corrected(case: Case, wanted: Mapping[str, Any], by: str, at: datetime,
              reason: str) -> tuple[Case, DomainEvent]:
    """``case`` with the fields that change set and one correction kept per field changed.

    Fields are applied in the table's order (documents before "no papers"); each correction
    goes into the list of its field's class. The event names the fields only.

    Raises:
        ValidationError: ``nothing_changed``, or a person left inconsistent or nameless.
    """
    changed, log, names = case, case.corrections, []
    for name, spec in correctable().items():
        if name not in wanted or spec.get(changed) == wanted[name]:
            continue
        item = Correction(name, to_text(spec, spec.get(changed)), to_text(spec, wanted[name]), by, at,
                          nfc(reason).strip())
        changed = spec.put(changed, wanted[name])
        kind = str(spec.field_class)
        log = replace(log, **{kind: (*getattr(log, kind), item)})
        names.append(name)
    if not names:
        raise ValidationError("nothing_changed", reference=case.reference)
    check_person(changed.person)
    return replace(changed, corrections=log), case_event("case_corrected", case.reference,
                                                         fields=sorted(names))
