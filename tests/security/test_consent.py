"""Consent gating: the representative, the child aged 7 or more, withdrawal, and the exemption.

Every combination is compared with the rule as the law states it (Decree 56/2017 art. 33,
PDPL 91/2025 art. 24: both the child aged 7+ and the representative; silence is not consent;
consent can be withdrawn; law-enforcement processing needs none), written out here on its own.
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

import pytest

from repatriation.domain.actors import Actor, Role
from repatriation.domain.care import ConsentRecord
from repatriation.domain.enums import ConsentScope, ConsentSubject
from repatriation.domain.errors import PermissionDenied
from repatriation.domain.people import BirthInfo
from repatriation.services.retention import consent_decision, may_share, require_share
from tests.security.full_case import full_case

ON = date(2026, 3, 2)
SCOPE = ConsentScope.SHARE_ABROAD
OTHER_SCOPE = ConsentScope.PHOTOS
# Ages on ON; None is an unknown age (the child is then asked too). 6 turns 7 the day after.
AGES = (5, 6, 7, 12, None)
# State of one subject's consent for SCOPE on ON.
STATES = ("none", "given", "refused", "withdrawn", "withdrawn_later", "recorded_later", "other_scope")
EXEMPTIONS = ("none", "before", "after", "other_scope")


def birth(age: int | None) -> BirthInfo:
    if age is None:
        return BirthInfo()
    if age == 6:  # the seventh birthday is tomorrow
        return BirthInfo(date_of_birth=date(ON.year - 7, ON.month, ON.day) + timedelta(days=1))
    return BirthInfo(date_of_birth=date(ON.year - age, ON.month, ON.day))


def record(subject: ConsentSubject, state: str) -> list[ConsentRecord]:
    day = ON - timedelta(days=30)
    if state == "none":
        return []
    if state == "given":
        return [ConsentRecord(subject, SCOPE, True, day)]
    if state == "refused":
        return [ConsentRecord(subject, SCOPE, False, day)]
    if state == "withdrawn":
        return [ConsentRecord(subject, SCOPE, True, day, withdrawn_on=ON - timedelta(days=1))]
    if state == "withdrawn_later":
        return [ConsentRecord(subject, SCOPE, True, day, withdrawn_on=ON + timedelta(days=1))]
    if state == "recorded_later":
        return [ConsentRecord(subject, SCOPE, True, ON + timedelta(days=1))]
    return [ConsentRecord(subject, OTHER_SCOPE, True, day)]


def exemption(kind: str) -> list[ConsentRecord]:
    subject = ConsentSubject.REPRESENTATIVE
    if kind == "before":
        return [ConsentRecord(subject, SCOPE, False, ON, law_enforcement_exemption=True)]
    if kind == "after":
        return [ConsentRecord(subject, SCOPE, False, ON + timedelta(days=1), law_enforcement_exemption=True)]
    if kind == "other_scope":
        return [ConsentRecord(subject, OTHER_SCOPE, False, ON, law_enforcement_exemption=True)]
    return []


def the_law(age: int | None, child: str, representative: str, exempt: str) -> bool:
    if exempt == "before":
        return True
    active = {"given", "withdrawn_later"}
    child_needed = age is None or age >= 7
    return representative in active and (child in active or not child_needed)


COMBINATIONS = list(itertools.product(AGES, STATES, STATES, EXEMPTIONS))
SHARER = Actor("liaison.an", Role.LIAISON)


def test_the_age_fixture_is_what_it_claims() -> None:
    for age in AGES:
        assert full_case(person=replace(full_case().person, birth=birth(age))).person.age_on(ON) == age


@pytest.mark.parametrize("age", AGES)
def test_every_combination_follows_the_law(age: int | None) -> None:
    base = full_case()
    person = replace(base.person, birth=birth(age))
    checked = 0
    for _, child, representative, exempt in (c for c in COMBINATIONS if c[0] == age):
        consents = (
            record(ConsentSubject.CHILD, child)
            + record(ConsentSubject.REPRESENTATIVE, representative)
            + exemption(exempt)
        )
        case = replace(base, person=person, consents=tuple(consents))
        want = the_law(age, child, representative, exempt)
        label = (age, child, representative, exempt)
        assert may_share(case, SCOPE, ON) is want, label
        decision = consent_decision(case, SCOPE, ON)
        assert decision.allowed is want, label
        if want:
            assert decision.missing == () and decision.basis in ("consent", "law_enforcement"), label
            require_share(SHARER, case, SCOPE, ON)
        else:
            assert decision.basis == "" and decision.missing, label
            if representative not in ("given", "withdrawn_later"):
                assert ConsentSubject.REPRESENTATIVE in decision.missing, label
            with pytest.raises(PermissionDenied) as info:
                require_share(SHARER, case, SCOPE, ON)
            assert info.value.code == "consent_missing", label
            assert info.value.params["missing"] == ",".join(str(s) for s in decision.missing)
        checked += 1
    assert checked == len(STATES) ** 2 * len(EXEMPTIONS)


def test_a_role_without_the_share_right_is_refused_even_with_consent() -> None:
    case = replace(full_case(), consents=tuple(
        record(ConsentSubject.CHILD, "given") + record(ConsentSubject.REPRESENTATIVE, "given")))
    assert may_share(case, SCOPE, ON)
    with pytest.raises(PermissionDenied) as info:
        require_share(Actor("stat.hoa", Role.STATISTICIAN), case, SCOPE, ON)
    assert info.value.code == "permission_denied"
