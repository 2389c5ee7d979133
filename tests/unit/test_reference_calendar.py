"""Working-day arithmetic on the shipped holiday files and the dated deadline rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from repatriation.domain.deadlines import DayUnit
from repatriation.domain.enums import Corridor, VerificationKind
from repatriation.domain.errors import NotFoundError
from repatriation.reference import ReferenceData, load_reference_data


@pytest.fixture(scope="module")
def ref() -> ReferenceData:
    return load_reference_data()


def test_tet_2026_is_five_days_off(ref: ReferenceData):
    cal = ref.calendar
    tet = [date(2026, 2, d) for d in range(16, 21)]
    assert not any(cal.is_working_day(d) for d in tet)
    # Friday before Tet + 1 working day skips the whole week to Monday 23 Feb.
    assert cal.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert cal.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_30_april_and_1_may_and_hung_kings_observed(ref: ReferenceData):
    cal = ref.calendar
    assert not cal.is_working_day(date(2026, 4, 30)) and not cal.is_working_day(date(2026, 5, 1))
    assert cal.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    # Hung Kings' day falls on Sunday 26 Apr 2026 and is observed on Monday 27 Apr.
    assert cal.add_working_days(date(2026, 4, 24), 1) == date(2026, 4, 28)
    assert cal.subtract_working_days(date(2026, 5, 4), 2) == date(2026, 4, 28)


def test_bridged_saturday_is_a_working_day(ref: ReferenceData):
    # 31 Aug 2026 is given off in exchange for Saturday 22 Aug.
    assert not ref.calendar.is_working_day(date(2026, 8, 31))
    assert ref.calendar.is_working_day(date(2026, 8, 22))
    assert not ref.calendar.is_working_day(date(2026, 8, 29))


def test_police_verification_over_tet_counts_twenty_working_days(ref: ReferenceData):
    rule = ref.deadline_rules.find(VerificationKind.POLICE_IDENTITY, Corridor.CHINA,
                                   date(2026, 2, 10))
    assert rule is not None and rule.amount == 20 and rule.unit is DayUnit.WORKING
    due = rule.due_date(date(2026, 2, 10), ref.calendar)
    # Independent count: weekdays after 10 Feb, minus the five Tet days.
    day, counted = date(2026, 2, 10), 0
    tet = {date(2026, 2, d) for d in range(16, 21)}
    while counted < 20:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in tet:
            counted += 1
    assert due == day == date(2026, 3, 17)


def test_entry_notice_falls_three_calendar_days_before(ref: ReferenceData):
    rule = ref.deadline_rules.find(VerificationKind.ENTRY_NOTICE, Corridor.LAO, date(2026, 2, 20))
    assert rule is not None and rule.before_event and rule.unit is DayUnit.CALENDAR
    assert rule.due_date(date(2026, 2, 20), ref.calendar) == date(2026, 2, 17)


@pytest.mark.parametrize(
    ("kind", "day", "code"),
    [
        (VerificationKind.VICTIM_STATUS, date(2025, 6, 30), "self_report_jc01_2014"),
        (VerificationKind.VICTIM_STATUS, date(2025, 7, 1), "self_report_law53_2024"),
        (VerificationKind.POLICE_IDENTITY, date(2014, 3, 24), "police_verification_jc03_2008"),
        (VerificationKind.POLICE_IDENTITY, date(2014, 3, 25), "police_verification_jc01_2014"),
        (VerificationKind.POLICE_IDENTITY, date(2025, 7, 1), "police_verification_jc01_2014"),
        (VerificationKind.IMMIGRATION_IDENTITY, date(2012, 1, 1),
         "immigration_verification_jc03_2008"),
        (VerificationKind.TRAVEL_DOCUMENT, date(2026, 1, 5), "travel_document_mofa"),
    ],
)
def test_rule_in_force_is_chosen_by_date(ref: ReferenceData, kind: VerificationKind, day: date,
                                         code: str):
    for corridor in (Corridor.CHINA, Corridor.CAMBODIA, Corridor.LAO):
        rule = ref.deadline_rules.find(kind, corridor, day)
        assert rule is not None and rule.code == code
        assert rule.legal_reference


def test_unknown_limits_have_no_rule(ref: ReferenceData):
    on = date(2026, 1, 5)
    for kind in (VerificationKind.NATIONALITY, VerificationKind.FAMILY_TRACING,
                 VerificationKind.DNA_MATCH):
        assert ref.deadline_rules.find(kind, Corridor.CHINA, on) is None
    assert ref.deadline_rules.find(VerificationKind.POLICE_IDENTITY, Corridor.CHINA,
                                   date(2008, 6, 1)) is None


def test_exit_visa_rule_waits_for_its_verification_kind(ref: ReferenceData):
    codes = {r.code for r in ref.deadline_rules.rules}
    if "exit_visa" in {k.value for k in VerificationKind}:
        rule = ref.deadline_rules.find(VerificationKind("exit_visa"), Corridor.CAMBODIA,
                                       date(2026, 1, 5))
        assert rule is not None and rule.amount == 5 and rule.unit is DayUnit.CALENDAR
    else:
        assert "exit_visa_jc01_2014" not in codes
    assert "travel_document_mofa" in codes


def test_counterpart_calendars(ref: ReferenceData):
    china = ref.counterpart_calendar(Corridor.CHINA)
    # Golden week 2026: 1-7 Oct off, Saturday 10 Oct worked in exchange.
    assert china.add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)
    assert china.is_working_day(date(2026, 10, 10))
    cambodia = ref.counterpart_calendar(Corridor.CAMBODIA)
    assert cambodia.add_working_days(date(2026, 4, 13), 1) == date(2026, 4, 17)  # Khmer New Year
    lao = ref.counterpart_calendar(Corridor.LAO)
    assert not lao.is_working_day(date(2026, 12, 2))  # Lao National Day
    assert lao.is_working_day(date(2026, 9, 2))  # a Vietnamese holiday only
    assert not ref.calendar.is_working_day(date(2026, 9, 2))
    with pytest.raises(NotFoundError):
        ref.counterpart_calendar(Corridor.OTHER)


def test_calendars_cover_2010_to_2035(ref: ReferenceData):
    for cal in (ref.calendar, ref.counterpart_calendar(Corridor.LAO)):
        assert "holidays 0.109" in cal.source
        assert cal.covers(date(2010, 1, 1)) and cal.covers(date(2035, 12, 31))
        assert not cal.covers(date(2036, 1, 1))
    vn_years = {d.year for d in ref.calendar.holidays}
    assert vn_years == set(range(2010, 2036))
