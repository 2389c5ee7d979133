"""Load the labelled same-person pair set and score the matcher on it."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from repatriation.domain.enums import AgeConfidence, DocumentKind, Sex
from repatriation.domain.people import BirthInfo, IdentityDocument, Person
from repatriation.domain.same_person import possible_same_person

PAIRS = Path(__file__).resolve().parents[1] / "data" / "same_person_pairs.csv"
ON = date(2026, 12, 7)


@dataclass(frozen=True)
class Pair:
    """One labelled pair."""

    same: bool
    variant: str
    cross_script: bool
    a: Person
    b: Person


def _person(row: dict[str, str], side: str) -> Person:
    def get(name: str) -> str:
        return row[f"{side}_{name}"]

    birth = BirthInfo()
    if get("dob"):
        birth = BirthInfo(date_of_birth=date.fromisoformat(get("dob")), confidence=AgeConfidence.DECLARED)
    elif get("estimated_age"):
        birth = BirthInfo(estimated_age=int(get("estimated_age")),
                          estimated_on=date.fromisoformat(get("estimated_on")),
                          confidence=AgeConfidence.ESTIMATED_HIGH)
    documents = (IdentityDocument(DocumentKind.CITIZEN_ID, get("document")),) if get("document") else ()
    return Person(family_name=get("family"), middle_name=get("middle"), given_name=get("given"),
                  sex=Sex(get("sex")), birth=birth, documents=documents,
                  aliases=tuple(a for a in get("aliases").split(";") if a))


def load_pairs() -> list[Pair]:
    """Every pair of the committed set."""
    with PAIRS.open(encoding="utf-8", newline="") as handle:
        return [Pair(row["label"] == "same", row["variant"], row["cross_script"] == "1",
                     _person(row, "a"), _person(row, "b")) for row in csv.DictReader(handle)]


@dataclass(frozen=True)
class Score:
    """Precision and recall with the raw counts and the pairs got wrong."""

    true_positive: int
    false_positive: int
    false_negative: int
    wrong: tuple[Pair, ...]

    @property
    def precision(self) -> float:
        """Of the pairs flagged, how many are one child."""
        flagged = self.true_positive + self.false_positive
        return self.true_positive / flagged if flagged else 0.0

    @property
    def recall(self) -> float:
        """Of the pairs that are one child, how many were flagged."""
        real = self.true_positive + self.false_negative
        return self.true_positive / real if real else 0.0


def score(pairs: list[Pair]) -> Score:
    """Run the matcher in both directions' order on every pair."""
    tp = fp = fn = 0
    wrong: list[Pair] = []
    for pair in pairs:
        flagged = possible_same_person(pair.a, pair.b, ON) is not None
        if flagged and pair.same:
            tp += 1
        elif flagged:
            fp += 1
            wrong.append(pair)
        elif pair.same:
            fn += 1
            wrong.append(pair)
    return Score(tp, fp, fn, tuple(wrong))
