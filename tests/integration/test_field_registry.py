"""A field declared once in the registry, in this test only, reaches import, redaction, bundles and forms.

Everything goes through ``main.py`` on separately set-up demo desks: ``cases import`` of a CSV
with the new column, ``cases show`` as a role that may see the field's class and as one that may
not, ``bundle export``/``bundle import`` to another post (carried) and to a foreign counterpart
(left out, as the field's share rule says), a printed reception record read back with
``pdftotext``, and ``cases edit``/``cases history`` for a correction of it. All names are
fictitious.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from repatriation.domain import case_fields
from repatriation.domain.actors import Role
from repatriation.domain.case import Case
from repatriation.domain.codec import from_jsonable
from repatriation.domain.fields import CaseField, FieldClass, Share, extra_field, extra_named
from repatriation.domain.sensitivity import CASE_FIELD_CLASSES
from tests.cli_kit import Desk, demo_desk

NAME = "preferred_language_of_interview"
LABEL = "preferred language of interview"
VALUE = "Hmông Lềnh, với phiên dịch nữ"  # what the child asked for, in the officer's words
CSV_HEADER = "family_name,given_name,sex,channel,corridor,received_on," + NAME


@pytest.fixture
def interview_language() -> Iterator[CaseField]:
    """The new field, registered for this test only (undone afterwards)."""
    spec = extra_field(NAME, FieldClass.SENSITIVE, LABEL, Share.DOMESTIC)
    with case_fields.registered(spec):
        yield spec
    assert extra_named(NAME) is None and f"extra_fields.{NAME}" not in CASE_FIELD_CLASSES


def _show(desk: Desk, role: Role, reference: str) -> dict[str, object]:
    shown: dict[str, object] = json.loads(desk.ok(role, "cases", "show", reference))
    return shown


def _introduce(sender: Desk, receiver: Desk, card: str) -> str:
    added = json.loads(sender.ok(Role.LIAISON, "keys", "add", card, "--kind", "border_post"))
    sender.ok(Role.LIAISON, "keys", "verify", added["key_id"][:12])
    return str(added["key_id"][:12])


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_a_field_registered_in_a_test_reaches_import_redaction_bundles_and_a_form(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interview_language: CaseField) -> None:
    monkeypatch.setenv("REPATRIATION_KEY_PASSPHRASE", "registry test passphrase")
    a, b = demo_desk(tmp_path / "a", cases=0), demo_desk(tmp_path / "b", cases=0)

    # Import: the registry's column is accepted and its value stored with the case.
    rows = tmp_path / "intake.csv"
    rows.write_text(f"{CSV_HEADER}\nGiàng,Mỷ,F,official_handover,CN,2026-03-02,\"{VALUE}\"\n",
                    encoding="utf-8")
    a.ok(Role.BORDER_GUARD, "cases", "import", str(rows))
    [row] = json.loads(a.ok(Role.BORDER_GUARD, "cases", "list", "--format", "json"))
    reference = row["reference"]

    # Redaction: a class the role may view shows it; liaison (basic only) gets no trace of it.
    shown = _show(a, Role.BORDER_GUARD, reference)
    assert shown["extra_fields"] == {NAME: VALUE}
    liaison = a.ok(Role.LIAISON, "cases", "show", reference)
    assert "extra_fields" not in json.loads(liaison) and "Hmông" not in liaison
    # ... and a role that may not edit the class may not set it by import either.
    code, _, err = a.run(Role.LIAISON, "cases", "import", str(rows))
    assert code != 0 and "sensitive" in err
    assert len(json.loads(a.ok(Role.BORDER_GUARD, "cases", "list", "--format", "json"))) == 1

    # Bundle to another Vietnamese post: carried, and stored on the second desk.
    card_a = a.ok(Role.SUPERVISOR, "keys", "generate", "--agency", "Post A").strip()
    card_b = b.ok(Role.SUPERVISOR, "keys", "generate", "--agency", "Post B").strip()
    to_b = _introduce(a, b, card_b)
    _introduce(b, a, card_a)
    a.ok(Role.BORDER_GUARD, "cases", "consent", reference, "--scope", "share_with_agencies",
         "--child", "given", "--representative", "given", "--representative-name", "Giàng A Páo")
    preview = json.loads(a.ok(Role.SUPERVISOR, "bundle", "export", "--cases", reference,
                              "--to", to_b, "--preview"))
    assert f"extra_fields.{NAME}" in preview["included_paths"]
    bundle = tmp_path / "to-b.vnbundle"
    a.ok(Role.SUPERVISOR, "bundle", "export", "--cases", reference, "--to", to_b, "-o", str(bundle))
    report = json.loads(b.ok(Role.SUPERVISOR, "bundle", "import", str(bundle)))
    [received] = report["created"]
    assert _show(b, Role.BORDER_GUARD, received)["extra_fields"] == {NAME: VALUE}
    assert "extra_fields" not in _show(b, Role.LIAISON, received)

    # Its share rule (domestic) keeps it out of a bundle for a foreign counterpart.
    c = demo_desk(tmp_path / "c", cases=0)
    card_c = c.ok(Role.SUPERVISOR, "keys", "generate", "--agency", "Hekou border station").strip()
    added = json.loads(a.ok(Role.LIAISON, "keys", "add", card_c, "--kind", "foreign_counterpart",
                              "--country", "CN"))
    a.ok(Role.LIAISON, "keys", "verify", added["key_id"][:12])
    _introduce(c, a, card_a)
    a.ok(Role.BORDER_GUARD, "cases", "consent", reference, "--scope", "share_abroad",
         "--child", "given", "--representative", "given", "--representative-name", "Giàng A Páo")
    abroad = tmp_path / "to-c.vnbundle"
    preview = json.loads(a.ok(Role.LIAISON, "bundle", "export", "--cases", reference, "--to",
                              added["key_id"][:12], "--preview"))
    assert f"extra_fields.{NAME}" in preview["excluded_paths"]
    a.ok(Role.LIAISON, "bundle", "export", "--cases", reference, "--to", added["key_id"][:12],
         "-o", str(abroad))
    [over_there] = json.loads(c.ok(Role.SUPERVISOR, "bundle", "import", str(abroad)))["created"]
    assert "extra_fields" not in _show(c, Role.SUPERVISOR, over_there)
    assert "Hmông" not in c.ok(Role.SUPERVISOR, "cases", "show", over_there)
    case = from_jsonable(Case, _show(a, Role.SUPERVISOR, reference))
    assert case.extra_fields[NAME] == VALUE  # the sender keeps it, of course

    # A form prints it in the child's particulars, under its label.
    b.ok(Role.RECEPTION, "cases", "receive", received, "--facility", "Trung tâm CTXH Lào Cai")
    pdf = tmp_path / "reception.pdf"
    b.ok(Role.SUPERVISOR, "forms", "render", "--form", "reception_record", "--case", received,
         "--lang", "vi", "-o", str(pdf))
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    flat = " ".join(unicodedata.normalize("NFC", text).split())
    assert f"Preferred language of interview {VALUE}" in flat, flat[:2000]

    # Corrected with a reason: the history keeps it in its class's list, which liaison never sees.
    b.ok(Role.BORDER_GUARD, "cases", "edit", received, "--set", f"{NAME}=Tiếng Mông",
         "--reason", "em hỏi lại")
    history = json.loads(b.ok(Role.SUPERVISOR, "cases", "history", received))
    assert [(h["field"], h["before"], h["after"]) for h in history] == [(NAME, VALUE, "Tiếng Mông")]
    assert json.loads(b.ok(Role.LIAISON, "cases", "history", received)) == []
