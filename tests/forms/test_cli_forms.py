"""``main.py forms render``: a demo desk, then a PDF file written by the signed-in officer."""

from __future__ import annotations

from pathlib import Path

import pytest

import main
from repatriation.domain.actors import Role
from tests.cli_kit import demo_desk


def test_forms_render_writes_a_pdf_and_refusals_exit_2(tmp_path: Path) -> None:
    desk = demo_desk(tmp_path / "data", cases=6)
    out = tmp_path / "intake.pdf"
    desk.ok(Role.BORDER_GUARD, "forms", "render", "--form", "intake_report", "--case",
            "LC-DEMO-000001", "--lang", "km", "-o", str(out))
    assert out.read_bytes().startswith(b"%PDF-")
    assert not out.with_name(out.name + ".part").exists()
    # Without --lang the counterpart language is the corridor's.
    default = tmp_path / "intake-default.pdf"
    desk.ok(Role.BORDER_GUARD, "forms", "render", "--form", "intake_report", "--case",
            "LC-DEMO-000001", "-o", str(default))
    assert default.read_bytes().startswith(b"%PDF-")
    missing = tmp_path / "minutes.pdf"
    code, _, err = desk.run(Role.BORDER_GUARD, "forms", "render", "--form", "handover_minutes",
                            "--case", "LC-DEMO-000001", "--lang", "zh", "-o", str(missing))
    assert code == 2 and not missing.exists()
    assert "batch_ref" in err
    code, _, err = desk.run(Role.STATISTICIAN, "forms", "render", "--form", "intake_report",
                            "--case", "LC-DEMO-000001", "--lang", "km", "-o", str(missing))
    assert code == 2 and not missing.exists() and "statistician" in err


def test_forms_list_names_every_form(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main.main(["--data-dir", str(tmp_path), "forms", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 7 and listed[0].startswith("handover_minutes\t--batch\tJC 01/2014")


def test_a_demo_desks_minutes_name_its_own_command_whatever_the_gate(tmp_path: Path) -> None:
    import json

    from pypdf import PdfReader

    desk = demo_desk(tmp_path / "desk", cases=40)
    batches = json.loads(desk.ok(Role.SUPERVISOR, "batches", "list"))
    gates = {b["gate_code"] for b in batches if b.get("direction") != "internal"}
    assert len(gates) > 1  # batches at other gates than the post's own
    for batch in batches:
        if batch.get("direction") == "internal":
            continue
        out = tmp_path / f"{batch['reference']}.pdf"
        desk.ok(Role.SUPERVISOR, "forms", "render", "--form", "handover_minutes", "--batch",
                batch["reference"], "-o", str(out))
        header = PdfReader(out).pages[0].extract_text()
        assert "TỈNH LÀO CAI" in header and "TUYÊN QUANG" not in header.split("Căn cứ")[0], header[:300]
