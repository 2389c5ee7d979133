"""Anonymisation for the retention job: drop identity and narratives, keep every statistic dimension.

What stays: codes and dates the reports count by (corridor, channel, gate, sex, ethnicity,
province, status, screening and forms of exploitation, support kinds, outcome, follow-ups), the
ages at return and at trafficking (the birth date is generalised so both stay exact), and a
pseudonym so the same person is still counted once. What goes: names, aliases, documents,
photos, family, residence below province, the names of officers, every free-text note.
Institutional text stays (agencies asked, facility, providers, referral bodies, legal citations,
place of handover): it is what the reports count by, not who the child is. A registered added
field (``domain/case_fields.py``) is kept or dropped as its declaration's ``anonymise`` says.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import replace
from datetime import date, timedelta

from repatriation.domain.care import (
    Closure,
    ConsentRecord,
    FamilyAssessment,
    FollowUp,
    Reception,
    Referral,
    Screening,
    SupportDelivered,
)
from repatriation.domain.case import Case
from repatriation.domain.corrections import CorrectionLog
from repatriation.domain.fields import Anonymise, ExtraFields, extra_named
from repatriation.domain.handover import BatchMember, HandoverBatch
from repatriation.domain.people import Address, BirthInfo, Person, years_between
from repatriation.domain.text import fold
from repatriation.domain.verification import VerificationRequest

# An anonymised person has no family name and this prefix before the pseudonym as given name.
ANONYMISED_PREFIX = "anon-"


def person_pseudonym(case: Case, key: bytes) -> str:
    """Pseudonym of the person: HMAC-SHA-256 of folded name, birth date (or age) and sex.

    Keyed with the desk's pseudonym key (``storage.statistics_tables.pseudonym_key``, kept in
    the encrypted database): without it, a list of likely names and birth dates cannot be
    hashed to confirm a suspected child. ``storage.statistics_tables.person_key`` uses it too,
    so an anonymised case keeps the key its statistics row had (tests check the two agree).
    """
    person = case.person
    birth = person.birth.date_of_birth
    born = birth.isoformat() if birth else str(person.age_on(case.received_on))
    material = "|".join((fold(person.full_name), born, str(person.sex)))
    return hmac.new(key, material.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def is_anonymised(case: Case) -> bool:
    """Whether the retention job already anonymised ``case``."""
    person = case.person
    return not person.family_name and person.given_name.startswith(ANONYMISED_PREFIX)


def generalise_birth(birth: BirthInfo, keep_ages_on: tuple[date, ...]) -> BirthInfo:
    """Replace a birth date by the earliest date giving the same completed ages on given days.

    The real date lies in a one-year window that every such day narrows; the earliest date of
    the window reveals the ages on those days and nothing more.
    """
    born = birth.date_of_birth
    if born is None or not keep_ages_on:
        return birth
    wanted = [years_between(born, day) for day in keep_ages_on]
    candidate = born - timedelta(days=366)
    while candidate < born:
        if all(years_between(candidate, d) == a for d, a in zip(keep_ages_on, wanted, strict=True)):
            return replace(birth, date_of_birth=candidate)
        candidate += timedelta(days=1)
    return birth


def _person(case: Case, key: bytes) -> Person:
    person = case.person
    days = tuple(d for d in (case.received_on, case.trafficked_on) if d is not None)
    return Person(
        family_name="",
        given_name=ANONYMISED_PREFIX + person_pseudonym(case, key),
        sex=person.sex,
        birth=generalise_birth(person.birth, days),
        ethnic_code=person.ethnic_code,
        nationality=person.nationality,
        preferred_language=person.preferred_language,
        literacy=person.literacy,
        interpreter_needed=person.interpreter_needed,
        interpreter_language=person.interpreter_language,
        address=Address(
            province_old=person.address.province_old,
            province_new=person.address.province_new,
            reference_version=person.address.reference_version,
        ),
    )


def _screening(screening: Screening) -> Screening:
    return replace(screening, decided_by="")


def _reception(reception: Reception | None) -> Reception | None:
    return None if reception is None else replace(reception, received_by="")


def _verification(request: VerificationRequest) -> VerificationRequest:
    return replace(request, subject="", reply="")


def _consent(consent: ConsentRecord) -> ConsentRecord:
    return replace(consent, given_by="")


def _support(item: SupportDelivered) -> SupportDelivered:
    return replace(item, notes="")


def _assessment(assessment: FamilyAssessment | None) -> FamilyAssessment | None:
    return None if assessment is None else replace(assessment, notes="")


def _referral(referral: Referral) -> Referral:
    return replace(referral, reason="")


def _follow_up(follow_up: FollowUp) -> FollowUp:
    return replace(follow_up, notes="")


def _closure(closure: Closure | None) -> Closure | None:
    return None if closure is None else replace(closure, notes="")


def anonymise_case(case: Case, key: bytes) -> Case:
    """The case with identity and free text removed and every statistic dimension kept.

    Args:
        case: a stored case (normally closed and past its retention period).
        key: the desk's pseudonym key (``RetentionStore.pseudonym_key``).

    Returns:
        A new frozen Case; ``case`` itself when it was already anonymised.
    """
    if is_anonymised(case):
        return case
    return replace(
        case,
        person=_person(case, key),
        screening=_screening(case.screening),
        reception=_reception(case.reception),
        verifications=tuple(_verification(v) for v in case.verifications),
        consents=tuple(_consent(c) for c in case.consents),
        support=tuple(_support(s) for s in case.support),
        family_assessment=_assessment(case.family_assessment),
        referrals=tuple(_referral(r) for r in case.referrals),
        follow_ups=tuple(_follow_up(f) for f in case.follow_ups),
        closure=_closure(case.closure),
        health_notes="",
        exploitation_narrative="",
        notes="",
        corrections=CorrectionLog(),  # old values are identity too
        extra_fields=_extras(case.extra_fields),
    )


def _extras(values: ExtraFields) -> ExtraFields:
    """Added fields as their registry declaration says: kept (a statistic dimension) or dropped."""
    kept = {}
    for name, value in values.items():
        spec = extra_named(name)
        if spec is not None and spec.anonymise is Anonymise.KEEP:
            kept[name] = value
    return ExtraFields(kept)


def released_attachments(case: Case) -> tuple[str, ...]:
    """Content hashes of the photos an anonymisation drops (the attachment store shreds them)."""
    return tuple(sorted({p.sha256 for p in case.person.photos}))


def _member(member: BatchMember) -> BatchMember:
    return replace(member, belongings="", documents="", health_state="", witnessed_by="")


def anonymise_batch(batch: HandoverBatch) -> HandoverBatch:
    """A handover batch without the per-person free text (belongings, health, witnesses, remarks).

    The case references, the officials, the place and the dates stay: they are the record of the
    handover itself, not of the child.
    """
    return replace(
        batch,
        members=tuple(_member(m) for m in batch.members),
        interpreter="",
        remarks="",
    )


def batch_is_anonymised(batch: HandoverBatch) -> bool:
    """Whether ``batch`` carries no per-person free text any more."""
    return anonymise_batch(batch) == batch
