"""Cross-entry checks the type-driven decoder cannot make: unique codes, links, dates, overlaps."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

from repatriation.domain.deadlines import DeadlineRule
from repatriation.reference.calendars import OVERRIDE_ACTIONS, HolidayFile, OverrideFile
from repatriation.reference.loader import (
    AGENCIES,
    ETHNIC,
    GATES,
    OVERRIDES,
    PROVINCES,
    RULES,
    RawFiles,
    ReferenceDataError,
)
from repatriation.reference.models import (
    AGENCY_KINDS,
    NEW_CODE_PREFIX,
    NEW_SCHEME,
    OLD_SCHEME,
    Agency,
    BorderGate,
    EthnicGroup,
    Province,
)

_ETHNIC_CODE = re.compile(r"^\d{2}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")


def check_all(files: RawFiles) -> None:
    """Raise :class:`ReferenceDataError` on the first inconsistency found."""
    _check_ethnic(files.ethnic.entries)
    provinces = {p.code: p for p in files.provinces.entries}
    _check_provinces(files.provinces.entries, provinces)
    _check_gates(files.gates.entries, provinces)
    _check_notes(GATES, files.gates.notes, (g.code for g in files.gates.entries))
    _check_agencies(files.agencies.entries)
    _check_notes(AGENCIES, files.agencies.notes, (a.code for a in files.agencies.entries))
    _check_rules(files.rules.entries)
    _check_notes(RULES, files.rules.notes, (r.code for r in files.rules.entries))
    for name, holidays in files.holidays.items():
        _check_holidays(f"holidays_{name.lower()}.json", name, holidays)
    _check_overrides(files.overrides, set(files.holidays))


def _unique(name: str, codes: Iterable[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ReferenceDataError(file=name, entry=code, reason="duplicate code")
        seen.add(code)


def _dates_ordered(name: str, code: str, start: date | None, end: date | None) -> None:
    if start is not None and end is not None and end < start:
        raise ReferenceDataError(file=name, entry=code, reason="ends before it starts")


def _check_ethnic(groups: tuple[EthnicGroup, ...]) -> None:
    _unique(ETHNIC, (g.code for g in groups))
    for group in groups:
        if not _ETHNIC_CODE.match(group.code) or not group.name_vi or not group.name_en:
            raise ReferenceDataError(file=ETHNIC, entry=group.code, reason="bad code or name")


def _check_provinces(entries: tuple[Province, ...], by_code: dict[str, Province]) -> None:
    _unique(PROVINCES, (p.code for p in entries))
    for prov in entries:
        is_new = prov.code.startswith(NEW_CODE_PREFIX)
        if prov.scheme not in (OLD_SCHEME, NEW_SCHEME) or is_new != (prov.scheme == NEW_SCHEME):
            raise ReferenceDataError(file=PROVINCES, entry=prov.code, reason="scheme/code mismatch")
        if prov.scheme == NEW_SCHEME and prov.successor_code is not None:
            raise ReferenceDataError(file=PROVINCES, entry=prov.code, reason="new unit has successor")
        if prov.scheme == OLD_SCHEME:
            successor = by_code.get(prov.successor_code or "")
            if successor is None or successor.scheme != NEW_SCHEME:
                raise ReferenceDataError(
                    file=PROVINCES, entry=prov.code, reason="successor is not a new-scheme unit"
                )


def _check_gates(entries: tuple[BorderGate, ...], provinces: dict[str, Province]) -> None:
    _unique(GATES, (g.code for g in entries))
    for gate in entries:
        old = provinces.get(gate.province_old or "")
        new = provinces.get(gate.province_new or "")
        if gate.province_old is not None and (old is None or old.scheme != OLD_SCHEME):
            raise ReferenceDataError(file=GATES, entry=gate.code, reason="unknown province_old")
        if gate.province_new is not None and (new is None or new.scheme != NEW_SCHEME):
            raise ReferenceDataError(file=GATES, entry=gate.code, reason="unknown province_new")
        if old is not None and new is not None and old.successor_code != new.code:
            raise ReferenceDataError(
                file=GATES, entry=gate.code, reason="province_new is not the successor of province_old"
            )
        _dates_ordered(GATES, gate.code, gate.valid_from, gate.valid_to)


def _check_agencies(entries: tuple[Agency, ...]) -> None:
    _unique(AGENCIES, (a.code for a in entries))
    for agency in entries:
        if agency.kind not in AGENCY_KINDS:
            raise ReferenceDataError(file=AGENCIES, entry=agency.code, reason="unknown kind")
        if not _COUNTRY.match(agency.country):
            raise ReferenceDataError(file=AGENCIES, entry=agency.code, reason="bad country code")
        _dates_ordered(AGENCIES, agency.code, agency.valid_from, agency.valid_to)


def _check_rules(entries: tuple[DeadlineRule, ...]) -> None:
    _unique(RULES, (r.code for r in entries))
    for rule in entries:
        if rule.amount < 0 or not rule.legal_reference:
            raise ReferenceDataError(file=RULES, entry=rule.code, reason="bad amount or reference")
        _dates_ordered(RULES, rule.code, rule.effective_from, rule.effective_to)
    # Two rules for the same kind and corridor in force on the same day would make the choice
    # depend on the order of the file: refuse the overlap instead.
    for i, first in enumerate(entries):
        for second in entries[i + 1 :]:
            if (first.kind, first.corridor) != (second.kind, second.corridor):
                continue
            first_end = first.effective_to or date.max
            second_end = second.effective_to or date.max
            if first.effective_from <= second_end and second.effective_from <= first_end:
                raise ReferenceDataError(
                    file=RULES, entry=second.code, reason=f"overlaps rule {first.code}"
                )


def _check_notes(name: str, notes: dict[str, str], codes: Iterable[str]) -> None:
    known = set(codes)
    for code in notes:
        if code not in known:
            raise ReferenceDataError(file=name, entry=code, reason="note for an unknown code")


def _check_holidays(name: str, country: str, holidays: HolidayFile) -> None:
    if holidays.country != country:
        raise ReferenceDataError(file=name, reason=f"country is {holidays.country}")
    for day in (*(h.date for h in holidays.holidays), *holidays.weekend_workdays):
        if not holidays.first_year <= day.year <= holidays.last_year:
            raise ReferenceDataError(file=name, entry=day.isoformat(), reason="outside years")
    for day in holidays.weekend_workdays:
        if day.weekday() < 5:
            raise ReferenceDataError(file=name, entry=day.isoformat(), reason="not a weekend day")


def _check_overrides(overrides: OverrideFile, countries: set[str]) -> None:
    for item in overrides.entries:
        label = f"{item.country} {item.date.isoformat()}"
        if item.country not in countries or item.action not in OVERRIDE_ACTIONS:
            raise ReferenceDataError(file=OVERRIDES, entry=label, reason="bad country or action")
        if item.action == "work" and item.date.weekday() < 5:
            raise ReferenceDataError(file=OVERRIDES, entry=label, reason="not a weekend day")
