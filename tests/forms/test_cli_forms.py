"""``main.py forms render``: a demo database, then a PDF file written by the command."""

from __future__ import annotations

from pathlib import Path

import pytest

import main


def test_forms_render_writes_a_pdf_and_refusals_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main.main([*data, "demo", "--cases", "6"]) == 0
    out = tmp_path / "intake.pdf"
    code = main.main([*data, "forms", "render", "--form", "intake_report", "--case",
                      "LC-DEMO-000001", "--lang", "km", "-o", str(out)])
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert not out.with_name(out.name + ".part").exists()
    missing = tmp_path / "minutes.pdf"
    code = main.main([*data, "forms", "render", "--form", "handover_minutes", "--case",
                      "LC-DEMO-000001", "--lang", "zh", "-o", str(missing)])
    assert code == 2 and not missing.exists()
    assert "batch_ref" in capsys.readouterr().err


def test_forms_list_names_every_form(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main.main(["--data-dir", str(tmp_path), "forms", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 7 and listed[0].startswith("handover_minutes\t--batch\tJC 01/2014")
