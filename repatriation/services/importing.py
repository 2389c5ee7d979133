"""Import cases from CSV or JSON: every row validated first, then all written in one transaction.

A malformed row stops the import with its row number and column; nothing is written.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, TypeVar

from repatriation.domain.actors import Actor
from repatriation.domain.case import Case
from repatriation.domain.enums import AgeConfidence, Corridor, PlaceKind, ReturnChannel, Route, Sex
from repatriation.domain.errors import DomainError, ImportRowError, ValidationError
from repatriation.domain.people import Address, BirthInfo, Person
from repatriation.domain.text import nfc
from repatriation.services import access
from repatriation.services.audit import record_action
from repatriation.services.cases import CaseDraft, case_from_draft, validate_codes
from repatriation.services.ports import Clock, ReferenceLookup, UnitOfWorkFactory
from repatriation.services.results import Changes, ImportReport

E = TypeVar("E", bound=Enum)

COLUMNS: tuple[str, ...] = (
    "family_name",
    "middle_name",
    "given_name",
    "aliases",
    "sex",
    "date_of_birth",
    "estimated_age",
    "estimated_on",
    "age_confidence",
    "ethnic_code",
    "nationality",
    "preferred_language",
    "channel",
    "corridor",
    "received_on",
    "place_kind",
    "gate_code",
    "place_detail",
    "address",
    "province_old",
    "province_new",
    "notes",
    "trafficked_on",
    "age_at_trafficking",
    "route",
)
REQUIRED: tuple[str, ...] = ("channel", "corridor", "received_on")
MAX_ROWS = 200_000
MAX_FILE_BYTES = 256 * 1024 * 1024


def _text(record: Mapping[str, Any], column: str, row: int) -> str:
    value = record.get(column)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise ImportRowError(row=row, column=column, reason="not_text")
    return nfc(str(value))


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
        if not raw_age.isdigit():
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


def draft_from_record(record: Mapping[str, Any], row: int) -> CaseDraft:
    """Validate one flat record (CSV row or JSON object) into a draft; errors name the column."""
    unknown = sorted(set(record) - set(COLUMNS))
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
        )
    except ImportRowError:
        raise
    except DomainError as exc:
        raise ImportRowError(
            row=row, column=str(exc.params.get("field", "")), reason=exc.code
        ) from None


def read_records(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], str]:
    """Read (row number, record) pairs from a .csv or .json file, plus the file's SHA-256."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValidationError("file_too_large", path=str(path))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("not_utf8", path=str(path)) from None
    if path.suffix.lower() == ".json":
        return _json_records(text), digest
    if path.suffix.lower() == ".csv":
        return _csv_records(text), digest
    raise ValidationError("unsupported_format", path=str(path), suffix=path.suffix)


def _csv_records(text: str) -> list[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    if reader.fieldnames is None:
        raise ValidationError("empty_file")
    records: list[tuple[int, dict[str, Any]]] = []
    try:
        for record in reader:
            row = reader.line_num
            if None in record or any(v is None for v in record.values()):
                raise ImportRowError(row=row, column="*", reason="wrong_column_count")
            records.append((row, dict(record)))
            if len(records) > MAX_ROWS:
                raise ValidationError("too_many_rows", limit=MAX_ROWS)
    except csv.Error as exc:
        raise ImportRowError(
            row=reader.line_num, column="*", reason="csv_syntax", value=str(exc)[:60]
        ) from None
    return records


def _json_records(text: str) -> list[tuple[int, dict[str, Any]]]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        if len(keys) != len(set(keys)):
            raise ValidationError("duplicate_key")
        return dict(pairs)

    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise ValidationError("json_syntax", line=exc.lineno, column=exc.colno) from None
    if isinstance(data, dict):
        data = data.get("cases")
    if not isinstance(data, list):
        raise ValidationError("json_not_a_list")
    if len(data) > MAX_ROWS:
        raise ValidationError("too_many_rows", limit=MAX_ROWS)
    records = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise ImportRowError(row=index, column="*", reason="not_an_object")
        records.append((index, item))
    return records


@dataclass(frozen=True)
class _Prepared:
    drafts: list[CaseDraft]
    digest: str


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

    def _prepare(self, path: Path) -> _Prepared:
        records, digest = read_records(path)
        drafts = []
        for row, record in records:
            draft = draft_from_record(record, row)
            try:
                validate_codes(self._reference, draft)
            except ValidationError as exc:
                raise ImportRowError(
                    row=row,
                    column=str(exc.params["field"]),
                    reason="unknown_code",
                    value=str(exc.params.get("value", "")),
                ) from None
            drafts.append(draft)
        return _Prepared(drafts, digest)

    def import_file(
        self, actor: Actor, path: Path, progress: Callable[[int, int, str], None] | None = None
    ) -> ImportReport:
        """Validate every row, then write all cases and one audit entry in one transaction."""
        prepared = self._prepare(path)
        if progress:
            progress(0, len(prepared.drafts), "import_validated")
        cases = self.store_drafts(actor, prepared.drafts, source=path.name, digest=prepared.digest)
        if progress:
            progress(len(cases), len(cases), "import_done")
        refs = tuple(c.reference for c in cases)
        return ImportReport(
            created=len(cases), references=refs, changes=Changes(cases=frozenset(refs))
        )

    def store_drafts(
        self, actor: Actor, drafts: Iterable[CaseDraft], *, source: str, digest: str = ""
    ) -> list[Case]:
        """Allocate references and insert drafts as new cases in one unit of work."""
        drafts = list(drafts)
        with self._uow_factory() as uow:
            counters: dict[int, int] = {}
            cases = []
            for draft in drafts:
                year = draft.received_on.year
                if year not in counters:
                    first = uow.cases.next_reference(self.post_code, year)
                    counters[year] = int(first.rsplit("-", 1)[1])
                ref = f"{self.post_code}-{year}-{counters[year]:06d}"
                counters[year] += 1
                # Refuses a row setting a field the role may not edit (one refusal: nothing stored).
                cases.append(access.guard_new(actor, case_from_draft(draft, ref, self.post_code)))
            uow.cases.add_many(cases)
            record_action(
                uow,
                actor,
                self._clock.now(),
                "cases_imported",
                "import",
                source[:64],
                count=len(cases),
                sha256=digest,
                first=cases[0].reference if cases else "",
                last=cases[-1].reference if cases else "",
            )
            uow.commit()
        return cases
