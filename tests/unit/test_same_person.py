"""Possible same person: the labelled pair set meets its goal, and each reason is what it says."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from repatriation.domain.enums import AgeConfidence, DocumentKind, Sex
from repatriation.domain.name_readings import skeleton, split_pinyin
from repatriation.domain.people import BirthInfo, IdentityDocument, Person
from repatriation.domain.same_person import possible_same_person
from tests.unit.same_person_kit import load_pairs, score

ON = date(2026, 12, 7)
BORN = BirthInfo(date_of_birth=date(2012, 3, 4), confidence=AgeConfidence.DECLARED)


def person(family: str, given: str, middle: str = "", **kwargs: object) -> Person:
    """A fictitious girl born 2012-03-04 unless told otherwise."""
    values: dict[str, object] = {"sex": Sex.FEMALE, "birth": BORN, **kwargs}
    return Person(family_name=family, given_name=given, middle_name=middle, **values)  # type: ignore[arg-type]


def reasons(a: Person, b: Person) -> tuple[str, ...]:
    """The reasons given, or () when the pair is not flagged."""
    match = possible_same_person(a, b, ON)
    return match.reasons if match else ()


def test_labelled_set_meets_the_goal() -> None:
    pairs = load_pairs()
    cross = [p for p in pairs if p.cross_script]
    assert len(pairs) >= 300 and len(cross) * 3 >= len(pairs)
    result = score(pairs)
    assert result.recall >= 0.95, [(w.a.full_name, w.b.full_name) for w in result.wrong]
    assert result.precision >= 0.90, [(w.a.full_name, w.b.full_name) for w in result.wrong]
    cross_result = score(cross)
    assert cross_result.recall >= 0.95 and cross_result.precision >= 0.90


def test_hanzi_is_read_back_through_sino_vietnamese() -> None:
    assert "name_sino_vietnamese" in reasons(person("Trần", "Mai", "Thị"), person("陈", "梅", "氏"))
    assert "name_sino_vietnamese" in reasons(person("Trần", "Mai", "Thị"), person("陳氏梅", ""))
    # Pinyin of the same characters is a different word; it matches the Hanzi, not by sound alone.
    assert "name_pinyin" in reasons(person("陈", "梅", "氏"), person("Chen", "Shimei"))
    assert "name_pinyin" in reasons(person("Trần", "Mai", "Thị"), person("CHEN", "Mei", "Shi"))


def test_marks_order_and_left_out_middle_names() -> None:
    assert reasons(person("Nguyễn", "Hồng", "Thị"), person("Nguyen", "Hong", "Thi"))
    assert "name_part_missing" in reasons(person("Nguyễn", "Hồng", "Thị"), person("Nguyễn", "Hồng"))
    assert reasons(person("Vũ", "Lan", "Thị"), person("Võ", "Lan", "Thị"))  # one surname, two spellings


def test_khmer_and_lao_against_their_romanisation() -> None:
    assert "name_romanised" in reasons(person("សុខ", "ស្រីនាង"), person("Sok", "Sreyneang"))
    assert "name_romanised" in reasons(person("ແກ້ວມະນີ", "ສົມພອນ"), person("Keomany", "Somphone"))
    assert skeleton("sreinang") == skeleton("Sreyneang")


def test_aliases_count_and_are_named() -> None:
    written_in_china = person("Lò", "Sáu", "Thị", aliases=("王小花",))
    assert "alias" in reasons(written_in_china, person("Vương", "Tiểu Hoa"))


@pytest.mark.parametrize(
    ("other", "why"),
    [
        (person("Trần", "Lan", "Thị"), "another given name"),
        (person("Trần", "Mai", "Thị", sex=Sex.MALE), "another sex"),
        (person("Trần", "Mai", "Thị", birth=BirthInfo(date_of_birth=date(2008, 3, 4))), "born 4 years apart"),
        (person("陈", "兰", "氏"), "Hanzi that reads Trần Thị Lan"),
    ],
)
def test_look_alikes_are_not_flagged(other: Person, why: str) -> None:
    assert possible_same_person(person("Trần", "Mai", "Thị"), other, ON) is None, why


def test_without_an_age_only_an_exact_name_is_flagged() -> None:
    unknown = BirthInfo()
    assert reasons(person("Nguyễn", "Mai", "Thị", birth=unknown), person("Nguyen", "Mai", "Thi"))
    assert not reasons(person("Nguyễn", "Mai", "Thị", birth=unknown), person("Ngyuen", "Mai", "Thi"))
    assert reasons(person("Nguyễn", "Mai", "Thị"), person("Ngyuen", "Mai", "Thi"))


def test_birth_tolerance_and_estimates() -> None:
    swapped = BirthInfo(date_of_birth=date(2012, 4, 3))
    assert "birth_close" in reasons(person("Trần", "Mai", "Thị"), person("Tran", "Mai", "Thi", birth=swapped))
    estimate = BirthInfo(estimated_age=14, estimated_on=date(2026, 6, 1),
                         confidence=AgeConfidence.ESTIMATED_HIGH)
    assert "age_close" in reasons(person("Trần", "Mai", "Thị"), person("陈", "梅", "氏", birth=estimate))


def test_a_shared_document_number_is_enough() -> None:
    doc = (IdentityDocument(DocumentKind.CITIZEN_ID, "001 0123-45678"),)
    a = person("Trần", "Mai", "Thị", documents=doc)
    b = replace(person("Chen", "Xiaohua", sex=Sex.UNKNOWN),
                documents=(IdentityDocument(DocumentKind.CITIZEN_ID, "001012345678"),))
    assert reasons(a, b) == ("document_number",)


def test_joined_pinyin_splits_into_syllables() -> None:
    assert split_pinyin("xiaoming") == ("xiao", "ming")
    assert split_pinyin("nguyen") is None
