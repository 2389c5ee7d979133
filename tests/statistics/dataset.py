"""A known, fictitious data set for the statistics tests, and an oracle computed from the cases.

The oracle reads the domain objects directly (never the facts table or its SQL), so the SQL
path is checked against an independent computation.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from repatriation.domain.care import Closure, FollowUp, Screening, SupportDelivered
from repatriation.domain.case import Case, new_global_id
from repatriation.domain.enums import (
    AgeConfidence,
    CaseStatus,
    Corridor,
    ExploitationForm,
    FollowUpStatus,
    Outcome,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    SupportKind,
)
from repatriation.domain.people import Address, BirthInfo, Person
from repatriation.domain.statistics_bands import AgeBands
from repatriation.domain.statistics_spec import Dimension, Measure, StatisticsSpec

GATES = {Corridor.CHINA: ("CN-LAOCAI", "CN-MONGCAI"), Corridor.CAMBODIA: ("KH-MOCBAI",),
         Corridor.LAO: ("LA-CAUTREO",), Corridor.OTHER: (None,)}
FAMILY = ("Nguyễn", "Giàng", "Lò", "Trần", "Sùng", "Vàng", "Lê", "Hà")
GIVEN = ("Hồng", "Mỷ", "Pàng", "Lan", "Sua", "Dợ", "Nam", "Páo", "Chi", "Vân")


def make_cases(count: int = 90, seed: int = 7) -> list[Case]:
    """Fictitious cases covering every dimension, with repeat returns of a few persons."""
    rng = random.Random(seed)
    cases: list[Case] = []
    for n in range(count):
        corridor = rng.choice(list(Corridor))
        received = date(2025, 1, 1) + timedelta(days=rng.randrange(0, 540))
        dob = None if n % 11 == 0 else received - timedelta(days=rng.randrange(3 * 365, 20 * 365))
        person = Person(
            family_name=rng.choice(FAMILY),
            given_name=f"{rng.choice(GIVEN)} {n}",  # distinct persons, apart from the repeats below
            sex=rng.choice(list(Sex)),
            ethnic_code=rng.choice(("01", "08", "09", "03", "99")),
            birth=BirthInfo(date_of_birth=dob, confidence=AgeConfidence.DOCUMENTED),
            address=Address("Xã (demo)", province_old=rng.choice(("02", "10", None)),
                            province_new=rng.choice(("N08", "N15", None))),
        )
        forms = tuple(rng.sample(list(ExploitationForm), rng.choice((0, 1, 1, 2))))
        status = rng.choice(list(ScreeningStatus))
        case = Case(
            reference=f"ST-2025-{n:06d}",
            person=person,
            channel=rng.choice(list(ReturnChannel)),
            corridor=corridor,
            received_on=received,
            gate_code=rng.choice(GATES[corridor]),
            trafficked_on=None if n % 5 == 0 else received - timedelta(days=rng.randrange(30, 1500)),
            screening=Screening(status=status, exploitation_forms=forms,
                                decided_on=received if status is ScreeningStatus.IDENTIFIED_VICTIM else None),
            support=tuple(SupportDelivered(kind, received) for kind in
                          rng.sample(list(SupportKind), rng.choice((0, 1, 2, 3)))),
        )
        if n % 4 == 0:
            follow = tuple(FollowUp(m, received + timedelta(days=30 * m),
                                    rng.choice(list(FollowUpStatus))) for m in (3, 6, 12))
            case = replace(case, status=CaseStatus.REINTEGRATION, follow_ups=follow)
        if n % 3 == 0:
            case = replace(case, status=CaseStatus.CLOSED,
                           closure=Closure(received + timedelta(days=40), rng.choice(list(Outcome))))
        cases.append(case)
    # Three persons come back a second time, later (same name, birth date and sex).
    for n, source in enumerate(cases[1:4]):
        cases.append(replace(source, reference=f"ST-2025-9{n:05d}", global_id=new_global_id(),
                             received_on=source.received_on + timedelta(days=200)))
    return cases


def _period(dimension: Dimension, day: date) -> str:
    if dimension is Dimension.YEAR:
        return str(day.year)
    if dimension is Dimension.HALF:
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if dimension is Dimension.QUARTER:
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def codes(case: Case, dimension: Dimension, bands: AgeBands) -> list[str]:
    """The code(s) a case counts under (several for multi-response dimensions)."""
    person = case.person
    if dimension in (Dimension.YEAR, Dimension.HALF, Dimension.QUARTER, Dimension.MONTH):
        return [_period(dimension, case.received_on)]
    if dimension is Dimension.AGE_AT_RETURN:
        return [bands.code_for(person.age_on(case.received_on))]
    if dimension is Dimension.AGE_AT_TRAFFICKING:
        on = case.trafficked_on
        return [bands.code_for(person.age_on(on) if on else None)]
    if dimension is Dimension.EXPLOITATION:
        return sorted({str(f) for f in case.screening.exploitation_forms}) or ["none"]
    if dimension is Dimension.SERVICES:
        return sorted({str(s.kind) for s in case.support}) or ["none"]
    if dimension is Dimension.FOLLOW_UP:
        statuses = {f.status for f in case.follow_ups}
        if not statuses:
            return ["none"]
        if FollowUpStatus.MISSED in statuses:
            return ["missed"]
        return ["done" if statuses == {FollowUpStatus.DONE} else "due"]
    simple = {
        Dimension.CORRIDOR: "none" if str(case.route) == "inside_viet_nam" else str(case.corridor),
        Dimension.GATE: case.gate_code or "none",
        Dimension.CHANNEL: str(case.channel),
        Dimension.ROUTE: str(case.route or "cross_border"),
        Dimension.SEX: str(person.sex),
        Dimension.ETHNIC_GROUP: person.ethnic_code,
        Dimension.PROVINCE_OLD: person.address.province_old or "unknown",
        Dimension.PROVINCE_NEW: person.address.province_new or "unknown",
        Dimension.SCREENING: str(case.screening.status),
        Dimension.OUTCOME: str(case.closure.outcome) if case.closure else "open",
        Dimension.STATUS: str(case.status),
    }
    return [simple[dimension]]


def oracle(cases: list[Case], spec: StatisticsSpec) -> Counter[tuple[str, ...]]:
    """Expected counts, straight from the cases."""
    chosen = [c for c in cases
              if (spec.date_from is None or c.received_on >= spec.date_from)
              and (spec.date_to is None or c.received_on <= spec.date_to)]
    if spec.measure is Measure.PERSONS:
        first: dict[tuple[str, object, str], Case] = {}
        for case in sorted(chosen, key=lambda c: c.received_on):
            p = case.person
            first.setdefault((p.full_name, p.birth.date_of_birth, str(p.sex)), case)
        chosen = list(first.values())
    counts: Counter[tuple[str, ...]] = Counter()
    for case in chosen:
        axes = [codes(case, d, spec.age_bands) for d in spec.dimensions]
        keys: list[tuple[str, ...]] = [()]
        for axis in axes:
            keys = [(*k, code) for k in keys for code in axis]
        counts.update(keys)
    return counts
