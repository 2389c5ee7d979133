"""``cases edit`` and ``cases history`` through main.py on a demo desk: reason, refusals, redaction."""

from __future__ import annotations

import csv
import io
import json

import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import Desk, demo_desk


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Desk:
    return demo_desk(tmp_path_factory.mktemp("corrections") / "desk", cases=3)


def _ref(desk: Desk) -> str:
    return str(json.loads(desk.ok(Role.SUPERVISOR, "cases", "list"))[0]["reference"])


def test_edit_with_a_reason_keeps_each_field_history(desk: Desk) -> None:
    ref = _ref(desk)
    before = json.loads(desk.ok(Role.SUPERVISOR, "cases", "show", ref))["person"]
    case = json.loads(desk.ok(Role.BORDER_GUARD, "cases", "edit", ref, "--set", "given_name=Sùng Mỷ",
                              "--set", "ethnic_code=09", "--document", "passport:B7654321:cn",
                              "--reason", "Hộ chiếu do gia đình gửi"))
    assert case["person"]["given_name"] == "Sùng Mỷ"
    assert case["person"]["documents"] == [{"kind": "passport", "number": "B7654321", "issuer": "CN",
                                            "issued_on": None, "expires_on": None}]
    history = json.loads(desk.ok(Role.SUPERVISOR, "cases", "history", ref))
    rows = {row["field"]: row for row in history}
    assert rows["given_name"]["before"] == before["given_name"]
    assert rows["given_name"]["after"] == "Sùng Mỷ"
    assert rows["documents"]["after"][0]["number"] == "B7654321"
    assert {(r["by"], r["reason"]) for r in history} == {
        (desk.users[Role.BORDER_GUARD], "Hộ chiếu do gia đình gửi")}
    # The liaison officer may not see ethnicity: neither the value nor its old values.
    liaison = {row["field"] for row in json.loads(desk.ok(Role.LIAISON, "cases", "history", ref))}
    assert "given_name" in liaison and "ethnic_code" not in liaison
    table = list(csv.DictReader(io.StringIO(
        desk.ok(Role.SUPERVISOR, "cases", "history", ref, "--format", "csv"))))
    assert {r["field"] for r in table} == set(rows)
    none = json.loads(desk.ok(Role.BORDER_GUARD, "cases", "edit", ref, "--no-documents",
                              "--reason", "the passport was the sister's"))
    assert none["person"]["no_documents"] is True and none["person"]["documents"] == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--set", "given_name=X"), "mandatory field is missing: reason"),
        (("--set", "shoe_size=40", "--reason", "r"), "'shoe_size' is not a field that can be corrected"),
        (("--set", "sex=x", "--reason", "r"), "Unknown code 'x' in sex"),
        (("--set", "date_of_birth=2012-13-01", "--reason", "r"), "'2012-13-01' is not a valid value"),
        (("--document", "visa:1", "--reason", "r"), "Unknown code 'visa' in documents"),
        (("--document", "passport:B1", "--no-documents", "--reason", "r"), "no papers"),
        (("--reason", "r"), "Nothing to correct"),
    ],
)
def test_bad_edits_are_refused_in_words_and_nothing_is_written(
    desk: Desk, args: tuple[str, ...], words: str
) -> None:
    ref = _ref(desk)
    stored = desk.ok(Role.SUPERVISOR, "cases", "show", ref)
    code, _, err = desk.run(Role.BORDER_GUARD, "cases", "edit", ref, *args)
    assert code != 0 and words in err, err
    assert desk.ok(Role.SUPERVISOR, "cases", "show", ref) == stored


def test_a_liaison_officer_cannot_correct_a_sensitive_field(desk: Desk) -> None:
    ref = _ref(desk)
    stored = desk.ok(Role.SUPERVISOR, "cases", "show", ref)
    code, _, err = desk.run(Role.LIAISON, "cases", "edit", ref, "--set", "ethnic_code=01",
                            "--reason", "not theirs")
    assert code != 0 and "liaison" in err, err
    assert desk.ok(Role.SUPERVISOR, "cases", "show", ref) == stored


def test_family_members_from_the_command_line(desk: Desk) -> None:
    ref = _ref(desk)
    case = json.loads(desk.ok(Role.RECEPTION, "cases", "edit", ref, "--family",
                              "mother:Giàng Thị Mai:1985:0912345678:guardian", "--family",
                              "sibling:Giàng A Páo", "--reason", "Mẹ đến trung tâm"))
    mother, brother = case["person"]["family"]
    assert (mother["relation"], mother["birth_year"], mother["is_guardian"]) == ("mother", 1985, True)
    assert brother["full_name"] == "Giàng A Páo" and brother["birth_year"] is None
    for bad, words in (("aunt:X", "Unknown code 'aunt' in family"),
                       ("mother:X:85", "'85' is not a valid value for birth_year")):
        code, _, err = desk.run(Role.RECEPTION, "cases", "edit", ref, "--family", bad, "--reason", "r")
        assert code != 0 and words in err, err
    history = json.loads(desk.ok(Role.LIAISON, "cases", "history", ref))
    assert "family" not in {row["field"] for row in history}  # sensitive: not the liaison's
