"""Import cases from CSV or JSON: every row validated and written in one transaction.

A malformed row stops the import with its row number and column; nothing is kept. The columns
are the field registry's (``domain/case_fields.py``), added fields included.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.case_fields import import_columns
from repatriation.domain.enums import AgeConfidence, Corridor, PlaceKind, ReturnChannel, Route, Sex
from repatriation.domain.errors import DomainError, ImportRowError, ValidationError
from repatriation.domain.fields import ExtraFields, Scalar, extra_fields, parse_text
from repatriation.domain.people import Address, BirthInfo, Person
from repatriation.domain.text import nfc
from repatriation.services import access
from repatriation.services.audit import record_action
from repatriation.services.cases import CaseDraft, case_from_draft, validate_codes
from repatriation.services.import_readers import (
    MAX_FILE_BYTES,
    HashingReader,
    check_value,
    csv_records,
    json_records,
)
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWork, UnitOfWorkFactory
from repatriation.services.results import Changes, ImportReport

E = TypeVar("E", bound=Enum)

REQUIRED: tuple[str, ...] = ("channel", "corridor", "received_on")
_CHUNK = 500  # cases validated and inserted at a time (memory stays flat)


def _text(record: Mapping[str, Any], column: str, row: int) -> str:
    # JSON is held to CSV's rules: text only (a whole number for the age), no controls, capped.
    value = check_value(record.get(column), column, row, number_allowed=column == "estimated_age")
    return nfc(value) if value else ""


def _date(record: Mapping[str, Any], column: str, row: int) -> date | None:
    value = _text(record, column, row)
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ImportRowError(row=row, column=column, reason="bad_date", value=value[:40]) from None


def _code(record: Mapping[str, Any], column: str, row: int, kind: type[E], default: E | None) -> E:
    value = _text(record, column, row)
    if not value:
        if default is None:
            raise ImportRowError(row=row, column=column, reason="missing")
        return default
    try:
        return kind(value)
    except ValueError:
        raise ImportRowError(
            row=row, column=column, reason="unknown_code", value=value[:40]
        ) from None


def _age(record: Mapping[str, Any], column: str, row: int) -> int | None:
    raw = _text(record, column, row)
    if not raw:
        return None
    if not raw.isdigit():
        raise ImportRowError(row=row, column=column, reason="not_a_number", value=raw[:10])
    if int(raw) > 30:
        raise ImportRowError(row=row, column=column, reason="age_out_of_range", value=raw[:10])
    return int(raw)


def _birth(record: Mapping[str, Any], row: int) -> BirthInfo:
    raw_age = _text(record, "estimated_age", row)
    age: int | None = None
    if raw_age:
        if not (raw_age.isascii() and raw_age.isdigit()):
            raise ImportRowError(
                row=row, column="estimated_age", reason="not_a_number", value=raw_age[:10]
            )
        age = int(raw_age)
    dob = _date(record, "date_of_birth", row)
    default_confidence = AgeConfidence.DOCUMENTED if dob else AgeConfidence.ESTIMATED_LOW
    confidence = _code(record, "age_confidence", row, AgeConfidence, default_confidence)
    estimated_on = _date(record, "estimated_on", row) or (
        _date(record, "received_on", row) if age is not None else None
    )
    try:
        return BirthInfo(
            date_of_birth=dob, estimated_age=age, estimated_on=estimated_on, confidence=confidence
        )
    except ValidationError as exc:
        raise ImportRowError(row=row, column="estimated_age", reason=exc.code) from None


# Why an added field's cell was refused, by the field's value type.
_EXTRA_REASONS = {int: "not_a_number", date: "bad_date", bool: "not_yes_no"}


def _extras(record: Mapping[str, Any], row: int) -> ExtraFields:
    """The values of the registered added fields (``domain/case_fields.py``) in the record."""
    values: dict[str, Scalar] = {}
    for spec in extra_fields():
        for column in spec.columns:
            text = _text(record, column, row)
            try:
                value = parse_text(spec, text)
            except ValidationError:
                reason = _EXTRA_REASONS.get(spec.value_type, "bad_value")
                raise ImportRowError(row=row, column=column, reason=reason, value=text[:40]) from None
            if value is not None:
                values[spec.name] = value
    return ExtraFields(values)


def draft_from_record(record: Mapping[str, Any], row: int,
                      known: frozenset[str] | None = None) -> CaseDraft:
    """Validate one flat record (CSV row or JSON object) into a draft; errors name the column.

    ``known``: the registry's import columns (computed once per file by the caller).
    """
    unknown = sorted(set(record) - (known if known is not None else set(import_columns())))
    if unknown:
        raise ImportRowError(row=row, column=unknown[0], reason="unknown_column")
    route = _code(record, "route", row, Route, Route.CROSS_BORDER) if record.get("route") else None
    inside = route is Route.INSIDE_VIET_NAM
    for column in REQUIRED:
        if column == "corridor" and inside:
            continue  # trafficked within Viet Nam: no country on the other side
        if not _text(record, column, row):
            raise ImportRowError(row=row, column=column, reason="missing")
    received_on = _date(record, "received_on", row)
    assert received_on is not None
    aliases = tuple(a for a in (nfc(x) for x in _text(record, "aliases", row).split(";")) if a)
    try:
        person = Person(
            family_name=_text(record, "family_name", row),
            given_name=_text(record, "given_name", row),
            middle_name=_text(record, "middle_name", row),
            aliases=aliases,
            sex=_code(record, "sex", row, Sex, Sex.UNKNOWN),
            birth=_birth(record, row),
            ethnic_code=_text(record, "ethnic_code", row) or "99",
            nationality=(_text(record, "nationality", row) or "VN").upper(),
            preferred_language=_text(record, "preferred_language", row) or "vi",
            address=Address(
                as_written=_text(record, "address", row),
                province_old=_text(record, "province_old", row) or None,
                province_new=_text(record, "province_new", row) or None,
            ),
        )
    except ImportRowError:
        raise
    except ValidationError as exc:
        raise ImportRowError(
            row=row, column=str(exc.params.get("field", "family_name")), reason=exc.code
        ) from None
    try:
        return CaseDraft(
            person=person,
            channel=_code(record, "channel", row, ReturnChannel, None),
            corridor=_code(record, "corridor", row, Corridor, Corridor.OTHER if inside else None),
            received_on=received_on,
            place_kind=_code(record, "place_kind", row, PlaceKind, PlaceKind.GATE),
            gate_code=_text(record, "gate_code", row) or None,
            place_detail=_text(record, "place_detail", row),
            notes=_text(record, "notes", row),
            trafficked_on=_date(record, "trafficked_on", row),
            age_at_trafficking=_age(record, "age_at_trafficking", row),
            route=route,
            extra_fields=_extras(record, row),
        )
    except ImportRowError:
        raise
    except DomainError as exc:
        raise ImportRowError(
            row=row, column=str(exc.params.get("field", "")), reason=exc.code
        ) from None


@contextlib.contextmanager
def open_records(path: Path) -> Iterator[tuple[Iterator[tuple[int, dict[str, Any]]], HashingReader]]:
    """(row number, record) pairs streamed from a .csv or .json file, and the hashing reader.

    The reader's ``sha256`` is the file's digest once the records are exhausted.
    """
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValidationError("unsupported_format", path=str(path), suffix=path.suffix)
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size > MAX_FILE_BYTES:
            raise ValidationError("file_too_large", path=str(path))
        source = HashingReader(handle, path)
        records = (json_records(source) if suffix == ".json"
                   else csv_records(source, import_columns()))
        yield records, source


class ImportService:
    """Case imports from files, all-or-nothing."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        reference: ReferenceLookup,
        clock: Clock,
        post_code: str,
    ) -> None:
        self._uow_factory = uow_factory
        self._reference = reference
        self._clock = clock
        self.post_code = post_code

    def _draft(self, row: int, record: Mapping[str, Any], known: frozenset[str]) -> CaseDraft:
        draft = draft_from_record(record, row, known)
        try:
            validate_codes(self._reference, draft)
        except ValidationError as exc:
            raise ImportRowError(
                row=row,
                column=str(exc.params["field"]),
                reason="unknown_code",
                value=str(exc.params.get("value", ""))[:40],
            ) from None
        return draft

    def import_file(
        self, actor: Actor, path: Path, progress: Callable[[int, int, str], None] | None = None
    ) -> ImportReport:
        """Validate and write every row in one transaction: any bad row and nothing is kept.

        Rows are read, checked and inserted in chunks, so memory stays flat however long the
        file is; the transaction (and the audit entry with the file's SHA-256) spans them all.
        """
        with open_records(path) as (records, source):
            known = frozenset(import_columns())
            drafts = (self._draft(row, record, known) for row, record in records)
            references = self._store(actor, drafts, source=path.name,
                                     digest=lambda: source.sha256.hexdigest(), progress=progress)
        if progress:
            progress(len(references), len(references), "import_done")
        refs = tuple(references)
        return ImportReport(
            created=len(refs), references=refs, changes=Changes(cases=frozenset(refs))
        )

    def store_drafts(
        self, actor: Actor, drafts: Iterable[CaseDraft], *, source: str, digest: str = ""
    ) -> list[Case]:
        """Allocate references and insert drafts as new cases in one unit of work."""
        stored: list[Case] = []
        self._store(actor, drafts, source=source, digest=lambda: digest, keep=stored)
        return stored

    def _store(
        self,
        actor: Actor,
        drafts: Iterable[CaseDraft],
        *,
        source: str,
        digest: Callable[[], str],
        progress: Callable[[int, int, str], None] | None = None,
        keep: list[Case] | None = None,
    ) -> list[str]:
        references: list[str] = []
        with self._uow_factory() as uow:
            counters: dict[int, int] = {}
            chunk: list[Case] = []
            for draft in drafts:
                year = draft.received_on.year
                if year not in counters:
                    first = uow.cases.next_reference(self.post_code, year)
                    counters[year] = int(first.rsplit("-", 1)[1])
                ref = f"{self.post_code}-{year}-{counters[year]:06d}"
                counters[year] += 1
                # Refuses a row setting a field the role may not edit (one refusal: nothing stored).
                chunk.append(access.guard_new(actor, case_from_draft(draft, ref, self.post_code)))
                references.append(ref)
                if len(chunk) == _CHUNK:
                    self._insert(uow, chunk, keep, progress, len(references))
                    chunk = []
            self._insert(uow, chunk, keep, progress, len(references))
            record_action(
                uow,
                actor,
                self._clock.now(),
                "cases_imported",
                "import",
                source[:64],
                count=len(references),
                sha256=digest(),
                first=references[0] if references else "",
                last=references[-1] if references else "",
            )
            uow.commit()
        return references

    @staticmethod
    def _insert(
        uow: UnitOfWork,
        chunk: list[Case],
        keep: list[Case] | None,
        progress: Callable[[int, int, str], None] | None,
        done: int,
    ) -> None:
        uow.cases.add_many(chunk)
        if keep is not None:
            keep.extend(chunk)
        if progress:
            progress(done, 0, "import_validated")  # the total is known only at the end
