"""Possible same person across desks and scripts: names, birth, sex and documents, with reasons.

Never merges anything: it says that two records may describe one child and why, so that an
officer can look. Names are compared through their readings (:mod:`name_readings`): Vietnamese
with or without marks, Hanzi read back as Sino-Vietnamese, pinyin, Khmer and Lao romanised,
aliases. Birth dates or estimated ages must agree within a tolerance; a recorded sex that
differs rules a pair out; an identical document number is enough on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from rapidfuzz.distance import OSA

from repatriation.domain.enums import Sex
from repatriation.domain.name_readings import (
    Reading,
    ReadingKind,
    readings_of_all,
    sino_vietnamese_for_pinyin,
    skeleton,
    split_pinyin,
)
from repatriation.domain.people import Person

# Vietnamese middle particles a record may leave out ("Trần Mai" for "Trần Thị Mai").
_OMISSIBLE = frozenset({"thi", "van", "a"})
# Dates of birth this far apart are still one person (a day/month typed wrong, a year off by one).
_BIRTH_TOLERANCE_DAYS = 400
# Estimated ages are widened by this many years on top of their confidence spread.
_AGE_TOLERANCE_YEARS = 1
_DOCUMENT_CHARS = re.compile(r"[^0-9A-Z]")


@dataclass(frozen=True)
class SamePersonMatch:
    """Why two records may be one child; ``score`` in [0, 1] orders a list, it decides nothing."""

    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class _NameAgreement:
    quality: float  # 1.0 every token equal; lower when spelling or readings had to bend
    reasons: frozenset[str]


def _token_relation(a: str, kind_a: ReadingKind, b: str, kind_b: ReadingKind) -> tuple[float, str] | None:
    """How two tokens can be the same name part, best first; None when they cannot."""
    if a == b:
        return 1.0, ""
    if kind_a is ReadingKind.PINYIN_SPELLED and b in sino_vietnamese_for_pinyin().get(a, ()):
        return 0.9, "name_pinyin"
    if kind_b is ReadingKind.PINYIN_SPELLED and a in sino_vietnamese_for_pinyin().get(b, ()):
        return 0.9, "name_pinyin"
    shortest = min(len(a), len(b))
    distance = OSA.distance(a, b, score_cutoff=2)  # a swap of two letters counts once
    if (shortest >= 6 and distance <= 1) or (shortest >= 9 and distance <= 2):
        return 0.85, "name_spelling"
    if ReadingKind.ROMANISED in (kind_a, kind_b):
        skel_a, skel_b = skeleton(a), skeleton(b)
        if skel_a and skel_a == skel_b and (len(skel_a) >= 2 or len(a) <= 3):
            return 0.8, "name_romanised"
    return None


def _align(a: Reading, b: Reading) -> _NameAgreement | None:
    """Match every token of the shorter reading to a distinct token of the longer one."""
    short, long_ = (a, b) if len(a.tokens) <= len(b.tokens) else (b, a)
    free = list(range(len(long_.tokens)))
    quality = 0.0
    reasons: set[str] = set()
    for token in short.tokens:
        best: tuple[float, str, int] | None = None
        for index in free:
            relation = _token_relation(token, short.kind, long_.tokens[index], long_.kind)
            if relation and (best is None or relation[0] > best[0]):
                best = (relation[0], relation[1], index)
        if best is None:
            return None
        quality += best[0]
        if best[1]:
            reasons.add(best[1])
        free.remove(best[2])
    leftovers = [long_.tokens[i] for i in free]
    if len(short.tokens) < 2 and leftovers:
        return None  # one name against a fuller name says too little
    if len(leftovers) > 1 or any(t not in _OMISSIBLE and len(long_.tokens) < 3 for t in leftovers):
        return None
    if leftovers:
        reasons.add("name_part_missing")
    return _NameAgreement(quality / max(len(long_.tokens), 1), frozenset(reasons))


def _with_split_pinyin(readings: Sequence[Reading]) -> Iterator[Reading]:
    for reading in readings:
        yield reading
        if reading.kind is ReadingKind.LATIN:
            parts = [split_pinyin(t) for t in reading.tokens]
            if all(p is not None for p in parts):
                tokens = tuple(s for p in parts if p for s in p)
                yield Reading(tokens, ReadingKind.PINYIN_SPELLED, reading.from_alias)


def _kind_reason(kind: ReadingKind) -> str | None:
    return {
        ReadingKind.SINO_VIETNAMESE: "name_sino_vietnamese",
        ReadingKind.PINYIN: "name_pinyin",
        ReadingKind.PINYIN_SPELLED: "name_pinyin",
        ReadingKind.ROMANISED: "name_romanised",
    }.get(kind)


def compare_names(a: Sequence[Reading], b: Sequence[Reading]) -> _NameAgreement | None:
    """The best agreement between any reading of one name set and any of the other."""
    best: _NameAgreement | None = None
    for left in _with_split_pinyin(a):
        for right in _with_split_pinyin(b):
            agreement = _align(left, right)
            if agreement is None:
                continue
            reasons = set(agreement.reasons)
            for kind in (left.kind, right.kind):
                reason = _kind_reason(kind)
                if reason:
                    reasons.add(reason)
            if left.from_alias or right.from_alias:
                reasons.add("alias")
            if not reasons:
                reasons.add("name_folded")  # equal once marks, case and spacing are set aside
            found = _NameAgreement(agreement.quality, frozenset(reasons))
            if best is None or found.quality > best.quality:
                best = found
    return best


def names_of(person: Person) -> list[Reading]:
    """Every reading of the person's name and aliases."""
    written = [(person.full_name, False), *((alias, True) for alias in person.aliases)]
    return readings_of_all(written)


def _documents(person: Person) -> set[str]:
    numbers = {_DOCUMENT_CHARS.sub("", d.number.upper()) for d in person.documents}
    return {n for n in numbers if len(n) >= 5}


def birth_relation(a: Person, b: Person, on: date) -> str | None:
    """"birth_same", "birth_close", "age_close", "age_unknown"; None when they contradict."""
    born_a, born_b = a.birth.date_of_birth, b.birth.date_of_birth
    if born_a and born_b:
        if born_a == born_b:
            return "birth_same"
        swapped = born_a.year == born_b.year and (born_a.month, born_a.day) == (born_b.day, born_b.month)
        close = abs((born_a - born_b).days) <= _BIRTH_TOLERANCE_DAYS
        return "birth_close" if swapped or close else None
    range_a, range_b = a.birth.age_range_on(on), b.birth.age_range_on(on)
    if range_a is None or range_b is None:
        return "age_unknown"
    slack = _AGE_TOLERANCE_YEARS
    overlap = range_a[0] - slack <= range_b[1] and range_b[0] - slack <= range_a[1]
    return "age_close" if overlap else None


def possible_same_person(a: Person, b: Person, on: date) -> SamePersonMatch | None:
    """Whether ``a`` and ``b`` may be one child, with the reasons; None when nothing suggests it."""
    if _documents(a) & _documents(b):
        return SamePersonMatch(1.0, ("document_number",))
    if Sex.UNKNOWN not in (a.sex, b.sex) and a.sex != b.sex:
        return None
    birth = birth_relation(a, b, on)
    if birth is None:
        return None
    names = compare_names(names_of(a), names_of(b))
    if names is None:
        return None
    if birth == "age_unknown" and names.quality < 1.0:
        return None  # with no age to lean on, only an exact name is worth an officer's look
    birth_weight = {"birth_same": 0.3, "birth_close": 0.2, "age_close": 0.15}.get(birth, 0.0)
    score = round(min(1.0, 0.7 * names.quality + birth_weight), 3)
    return SamePersonMatch(score, (*sorted(names.reasons), birth))
