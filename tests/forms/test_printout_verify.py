"""Printed minutes verify with nothing but the post's key card; changed PDFs and moved codes do not.

A real desk (SQLite, the ReportLab renderer, the post's key unlocked) prints handover minutes;
``main.py forms verify`` checks the PDF against the key card file only. A PDF with one glyph of
page 1 changed (an incremental update, as a PDF editor saves it), another document carrying
this document's QR text, a card of another post, and an unsigned printout are each refused
with the reason.
"""

from __future__ import annotations

import dataclasses
import re
import zlib
from datetime import datetime
from pathlib import Path

import pytest

import main
from forms.pdf_content import embedded_qr_text
from forms.renderer import ReportLabFormRenderer
from forms.samples import sample
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.crypto.keys import PostIdentity
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.key_directory import AgencyKind
from repatriation.domain.printout_seal import parse
from repatriation.services.form_data import HandoverMinutesData
from tests.forms.test_documents_service import _batch, _case

CHIEF = Actor("chief", Role.SUPERVISOR)
PASSPHRASE = "post key passphrase for the test"


@pytest.fixture
def desk(tmp_path: Path) -> Services:
    services = build_services(Settings(data_dir=tmp_path / "desk"), renderer=ReportLabFormRenderer(),
                              clock=FixedClock(datetime(2026, 3, 2, 9, 30)))
    with services.uow_factory() as uow:
        for case in (_case("LC-2026-000001", "Mỷ"), _case("LC-2026-000002", "Sua")):
            uow.cases.add(case)
        uow.batches.add(_batch())
        uow.commit()
    keys = services.exchange.keys
    keys.generate(CHIEF, "Đồn Biên phòng Cửa khẩu Quốc tế Lào Cai", PASSPHRASE)
    services.checkpoints.use_identity(keys.unlock(PASSPHRASE).current)
    yield services
    services.close()


def _print(services: Services) -> bytes:
    assert services.documents is not None
    return services.documents.render(CHIEF, "handover_minutes", batch_ref="LC-BG-2026-000001",
                                     language="zh")


def _verify(tmp_path: Path, pdf: bytes | None, card: Path, qr: str | None = None) -> tuple[int, str]:
    args = ["--lang", "en", "--data-dir", str(tmp_path / "court"), "forms", "verify"]
    if pdf is not None:
        (tmp_path / "given.pdf").write_bytes(pdf)
        args.append(str(tmp_path / "given.pdf"))
    if qr is not None:
        args += ["--qr", qr]
    code = main.main([*args, "--card", str(card)])
    return code, ""


def _edit_first_glyph(pdf: bytes) -> bytes:
    """Change one glyph on page 1 and save it the way PDF editors do (an incremental update)."""
    number = int(re.search(rb"/Contents ([0-9]+) 0 R", pdf).group(1))  # type: ignore[union-attr]
    body = re.search(rb"\n%d 0 obj\s*<<.*?>>\s*stream\r?\n" % number, pdf, re.S)
    assert body is not None
    length = int(re.search(rb"/Length ([0-9]+)", body.group(0)).group(1))  # type: ignore[union-attr]
    content = zlib.decompress(pdf[body.end():body.end() + length])
    at = content.index(b"(B") + 1  # the first shown string of the minutes' header
    changed = content[:at] + b"C" + content[at + 1:]
    packed = zlib.compress(changed)
    return pdf + b"\n%d 0 obj\n<< /Filter [ /FlateDecode ] /Length %d >>\nstream\n" % (
        number, len(packed)) + packed + b"\nendstream\nendobj\n"


def test_printed_minutes_verify_with_only_the_post_card(
    desk: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = desk.settings.data_dir / "keys" / "post-identity.card"
    pdf = _print(desk)
    qr = embedded_qr_text(pdf)
    assert qr is not None and qr.startswith("RD2|handover_minutes|LC-BG-2026-000001/")
    seal = parse(qr)
    assert seal.signed and seal.sequence > 0
    assert desk.checkpoints.issued()[-1].reason == "form"
    assert _verify(tmp_path, pdf, card)[0] == 0
    assert "Genuine: handover_minutes No. LC-BG-2026-000001/" in capsys.readouterr().err

    again = parse(embedded_qr_text(_print(desk)) or "")
    assert again.content == seal.content  # a reprint of the same content
    assert again.checkpoint_number == seal.checkpoint_number + 1

    assert _verify(tmp_path, None, card, qr=qr)[0] == 0  # the QR scanned from paper
    assert "Signature valid" in capsys.readouterr().err

    assert _verify(tmp_path, _edit_first_glyph(pdf), card)[0] == 1
    assert "printed content differs from what the post signed" in capsys.readouterr().err


def test_a_qr_moved_to_another_document_or_another_card_is_refused(
    desk: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    card = desk.settings.data_dir / "keys" / "post-identity.card"
    qr = embedded_qr_text(_print(desk)) or ""
    other = sample("handover_minutes", "zh_CN", 3)
    assert isinstance(other, HandoverMinutesData)
    other = dataclasses.replace(other, meta=dataclasses.replace(
        other.meta, document_number=parse(qr).document_number))
    forged = ReportLabFormRenderer().render("handover_minutes", other, "zh_CN", seal=lambda _h: qr)
    assert embedded_qr_text(forged) == qr
    assert _verify(tmp_path, forged, card)[0] == 1
    assert "the code belongs to another document" in capsys.readouterr().err

    stranger = PostIdentity.generate("Another post", datetime(2026, 3, 1))
    stranger_card = tmp_path / "stranger.card"
    stranger_card.write_text(stranger.public.card("Another post", AgencyKind.BORDER_POST) + "\n")
    assert _verify(tmp_path, None, stranger_card, qr=qr)[0] == 1
    assert "not signed by the key on this card (Another post)" in capsys.readouterr().err


def test_a_printout_made_while_the_key_was_locked_is_not_taken_as_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = build_services(Settings(data_dir=tmp_path / "locked"), renderer=ReportLabFormRenderer(),
                              clock=FixedClock(datetime(2026, 3, 2, 9, 30)))
    try:
        with services.uow_factory() as uow:
            for case in (_case("LC-2026-000001", "Mỷ"), _case("LC-2026-000002", "Sua")):
                uow.cases.add(case)
            uow.batches.add(_batch())
            uow.commit()
        pdf = _print(services)
    finally:
        services.close()
    stranger = PostIdentity.generate("Lào Cai", datetime(2026, 3, 1))
    card = tmp_path / "card.txt"
    card.write_text(stranger.public.card("Lào Cai", AgencyKind.BORDER_POST))
    assert _verify(tmp_path, pdf, card)[0] == 1
    assert "carries no signature" in capsys.readouterr().err


def test_the_cli_signs_what_it_prints_and_verifies_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from repatriation.domain.actors import Role
    from tests.cli_kit import demo_desk

    monkeypatch.setenv("REPATRIATION_KEY_PASSPHRASE", PASSPHRASE)
    desk = demo_desk(tmp_path / "desk", cases=4)
    desk.ok(Role.SUPERVISOR, "keys", "generate", "--agency", "Đồn Biên phòng Lào Cai")
    out = tmp_path / "intake.pdf"
    desk.ok(Role.BORDER_GUARD, "forms", "render", "--form", "intake_report", "--case",
            "LC-DEMO-000001", "--lang", "km", "-o", str(out))
    capsys.readouterr()
    card = tmp_path / "desk" / "keys" / "post-identity.card"
    data = ["--lang", "en", "--data-dir", str(tmp_path / "desk")]
    assert main.main([*data, "forms", "verify", str(out), "--card", str(card)]) == 0
    assert "Genuine: intake_report No. LC-DEMO-000001/" in capsys.readouterr().err
