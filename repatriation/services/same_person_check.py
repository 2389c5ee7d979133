"""Possible same person among the cases a desk holds, for an incoming or new person.

Candidates come from the store, not from a scan of every case: cases whose (estimated) birth
date falls in a window around the person's, cases with no age recorded, and cases found by the
folded name or a document number. Each candidate is then compared with
``domain.same_person.possible_same_person``; matches come back best first with their reasons.
Nothing is ever merged: an officer looks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from repatriation.domain.people import Person
from repatriation.domain.same_person import possible_same_person
from repatriation.domain.text import fold
from repatriation.services.ports import UnitOfWork
from repatriation.services.results import CaseQuery

# Wider than the matcher's own tolerances (400 days; estimated ages +-1 year over their spread).
_WINDOW = timedelta(days=5 * 366)
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class PossibleMatch:
    """A stored case that may be the same child, and why."""

    reference: str
    global_id: str
    score: float
    reasons: tuple[str, ...]


def _candidates(uow: UnitOfWork, person: Person, on: date) -> list[str]:
    bounds = person.birth.age_range_on(on)
    found: dict[str, None] = {}
    if bounds is not None:
        youngest, oldest = bounds
        centre = person.birth.date_of_birth or date(on.year - (youngest + oldest) // 2, 7, 1)
        found.update(dict.fromkeys(uow.cases.born_between(centre - _WINDOW, centre + _WINDOW,
                                                          MAX_CANDIDATES)))
    texts = [fold(person.full_name), *(fold(d.number) for d in person.documents if d.number)]
    for text in texts:
        if text.strip():
            rows = uow.queries.page(CaseQuery(text=text, limit=50), on).rows
            found.update(dict.fromkeys(row.reference for row in rows))
    return list(found)


def possible_matches(uow: UnitOfWork, person: Person, on: date, *,
                     exclude: str = "") -> list[PossibleMatch]:
    """Stored cases that may be ``person`` (``exclude``: the global id of the case itself)."""
    matches = []
    for reference in _candidates(uow, person, on):
        other = uow.cases.get(reference)
        if other.global_id == exclude:
            continue
        match = possible_same_person(person, other.person, on)
        if match is not None:
            matches.append(PossibleMatch(reference, other.global_id, match.score, match.reasons))
    return sorted(matches, key=lambda m: (-m.score, m.reference))
