"""Age computed from birth data (never stored), text folding, working-day deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from repatriation.domain.deadlines import DayUnit, DeadlineRule, DeadlineRuleSet, WorkingCalendar
from repatriation.domain.enums import AgeConfidence, Corridor, VerificationKind
from repatriation.domain.errors import ValidationError
from repatriation.domain.people import BirthInfo, Person, years_between
from repatriation.domain.text import fold, nfc

TET_2026 = frozenset(date(2026, 2, d) for d in range(16, 21))
CAL = WorkingCalendar(TET_2026 | {date(2026, 4, 30), date(2026, 5, 1)})


def test_years_between_handles_birthdays_and_leap_days() -> None:
    assert years_between(date(2010, 3, 2), date(2026, 3, 1)) == 15
    assert years_between(date(2010, 3, 2), date(2026, 3, 2)) == 16
    assert years_between(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert years_between(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_age_from_estimate_grows_with_time() -> None:
    birth = BirthInfo(
        estimated_age=14, estimated_on=date(2024, 6, 1), confidence=AgeConfidence.ESTIMATED_HIGH
    )
    assert birth.age_on(date(2026, 6, 1)) == 16
    assert birth.age_range_on(date(2026, 6, 1)) == (15, 17)


def test_child_thresholds_differ_between_the_two_laws() -> None:
    person = Person(
        "Lò",
        "Mai",
        "Thị",
        birth=BirthInfo(date_of_birth=date(2009, 1, 10), confidence=AgeConfidence.DOCUMENTED),
    )
    on = date(2026, 3, 2)  # 17 years old
    assert person.is_minor_under_trafficking_law(on) is True  # under 18
    assert person.is_child_under_children_law(on) is False  # not under 16


def test_uncertain_age_presumes_minority() -> None:
    rough = BirthInfo(
        estimated_age=19, estimated_on=date(2026, 1, 1), confidence=AgeConfidence.ESTIMATED_LOW
    )
    assert rough.presumed_under(18, date(2026, 1, 1)) is True  # 19 +/- 3 may be 16
    sure = BirthInfo(date_of_birth=date(2006, 1, 1), confidence=AgeConfidence.DOCUMENTED)
    assert sure.presumed_under(18, date(2026, 1, 1)) is False
    assert BirthInfo().presumed_under(18, date(2026, 1, 1)) is True


def test_estimate_needs_its_date_and_a_sane_age() -> None:
    with pytest.raises(ValidationError, match="estimate_needs_date"):
        BirthInfo(estimated_age=12)
    with pytest.raises(ValidationError, match="age_out_of_range"):
        BirthInfo(estimated_age=130, estimated_on=date(2026, 1, 1))


def test_fold_removes_vietnamese_marks_including_d_bar_and_nfc_collapses() -> None:
    assert fold("Nguyễn Thị Hồng") == "nguyen thi hong"
    assert fold("ĐẶNG Văn Đức") == "dang van duc"
    nfd = "Nguye\u0302\u0303n"
    assert nfc(nfd) == "Nguyễn" and len(nfc(nfd)) == 6
    assert nfc("  Lò   Thị  ") == "Lò Thị"


def test_working_days_skip_weekends_and_tet() -> None:
    # Fri 13 Feb 2026 + 1 working day: the weekend and Tet (16-20 Feb) are skipped.
    assert CAL.add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert CAL.working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1
    # 30 Apr and 1 May (Thu/Fri) are holidays.
    assert CAL.add_working_days(date(2026, 4, 29), 1) == date(2026, 5, 4)
    assert CAL.subtract_working_days(date(2026, 5, 4), 1) == date(2026, 4, 29)


def test_deadline_rule_in_force_on_the_sending_day_and_corridor_specific_first() -> None:
    old = DeadlineRule(
        "police_old",
        VerificationKind.POLICE_IDENTITY,
        20,
        DayUnit.WORKING,
        "JC 03/2008",
        date(2008, 1, 1),
        date(2025, 6, 30),
    )
    new = DeadlineRule(
        "police_new",
        VerificationKind.POLICE_IDENTITY,
        15,
        DayUnit.WORKING,
        "Law 53/2024",
        date(2025, 7, 1),
    )
    lao = DeadlineRule(
        "police_lao",
        VerificationKind.POLICE_IDENTITY,
        30,
        DayUnit.CALENDAR,
        "VN-LA 2010",
        date(2011, 3, 19),
        corridor=Corridor.LAO,
    )
    rules = DeadlineRuleSet.of([old, new, lao])
    assert rules.find(VerificationKind.POLICE_IDENTITY, Corridor.CHINA, date(2025, 6, 30)) is old
    assert rules.find(VerificationKind.POLICE_IDENTITY, Corridor.CHINA, date(2025, 7, 1)) is new
    assert rules.find(VerificationKind.POLICE_IDENTITY, Corridor.LAO, date(2025, 7, 1)) is lao
    assert rules.find(VerificationKind.DNA_MATCH, Corridor.CHINA, date(2025, 7, 1)) is None
    assert old.due_date(date(2026, 2, 2), CAL) == date(2026, 3, 9)  # 20 wd, Tet week skipped
    notice = DeadlineRule(
        "n",
        VerificationKind.ENTRY_NOTICE,
        3,
        DayUnit.CALENDAR,
        "JC",
        date(2014, 1, 1),
        before_event=True,
    )
    assert notice.due_date(date(2026, 3, 10), CAL) == date(2026, 3, 7)
