"""Key cards read from files (no Qt): text in every form the CLI prints, QR pictures, and
pictures that are too large or hold no card, refused before Pillow decodes their pixels."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import qrcode
from PIL import Image

from repatriation.crypto.keys import parse_card
from repatriation.domain.clock import FixedClock
from repatriation.domain.errors import ValidationError
from repatriation.services import key_card_files
from repatriation.services.key_card_files import card_from_file, card_from_image
from tests.crypto.service_kit import make_post, now


@pytest.fixture(scope="module")
def card(tmp_path_factory: pytest.TempPathFactory) -> str:
    post = make_post(tmp_path_factory.mktemp("card"), "lc", FixedClock(now()), "Đồn BP Lào Cai")
    try:
        return post.keys.card()
    finally:
        post.services.close()


def test_every_text_form_the_cli_prints_reads_as_the_card(card: str, tmp_path: Path) -> None:
    terminal_qr = io.StringIO()
    code = qrcode.QRCode(border=2)
    code.add_data(card)
    code.print_ascii(out=terminal_qr, invert=True)
    as_json = json.dumps({"card": card, "key_id": "x"}, indent=2)
    forms = {"card": card + "\n", "qr": card + "\n" + terminal_qr.getvalue(),
             "json": as_json, "json-qr": as_json + "\n" + terminal_qr.getvalue(),
             "comment": f"# {card}\nAGE-SECRET-KEY-NOT-READ\n"}
    for name, text in forms.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        assert card_from_file(path) == card, name
    assert parse_card(card).agency == "Đồn BP Lào Cai"


def test_a_qr_picture_reads_by_content_whatever_its_name(card: str, tmp_path: Path) -> None:
    picture = tmp_path / "card-photo.dat"  # named oddly: the PNG signature decides
    qrcode.make(card).save(picture, format="PNG")
    assert card_from_file(picture) == card
    jpeg = tmp_path / "card.jpg"
    qrcode.make(card).convert("RGB").save(jpeg, quality=70)
    assert card_from_image(jpeg) == card


def test_a_phone_photo_of_a_printed_card_reads(card: str, tmp_path: Path) -> None:
    """Tilted 8 degrees, on a grey desk, slightly out of focus, saved as a JPEG at quality 60."""
    from PIL import ImageFilter

    printed = qrcode.make(card, box_size=12).convert("RGB")
    photo = Image.new("RGB", (2400, 1800), (120, 110, 100))
    photo.paste(printed.rotate(8, expand=True, fillcolor=(120, 110, 100)), (700, 200))
    photo = photo.filter(ImageFilter.GaussianBlur(1.5))
    path = tmp_path / "IMG_0001.JPG"
    photo.save(path, quality=60)
    assert card_from_file(path) == card


def test_oversized_pictures_are_refused_before_their_pixels_are_decoded(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = tmp_path / "bomb.png"
    Image.new("1", (9000, 5000), 1).save(wide)  # 45 megapixels in a few kilobytes
    assert wide.stat().st_size < 100_000
    decoded: list[str] = []
    monkeypatch.setattr(Image.Image, "convert",
                        lambda self, *a, **k: decoded.append("pixels") or self)
    with pytest.raises(ValidationError) as refused:
        card_from_image(wide)
    assert refused.value.code == "card_image_too_large" and decoded == []
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # Pillow's cap, met before ours
    with pytest.raises(ValidationError) as refused:
        card_from_image(wide)
    assert refused.value.code == "card_image_too_large"
    monkeypatch.setattr(key_card_files, "MAX_IMAGE_BYTES", 1024)
    big = tmp_path / "big.png"
    big.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2048))
    with pytest.raises(ValidationError) as refused:
        card_from_file(big)
    assert refused.value.code == "card_image_too_large"
    assert refused.value.params["path"] == "big.png"


def test_a_truncated_picture_is_named_as_unreadable(card: str, tmp_path: Path) -> None:
    whole = io.BytesIO()
    qrcode.make(card).save(whole, format="PNG")
    cut = tmp_path / "cut.png"
    cut.write_bytes(whole.getvalue()[:200])
    with pytest.raises(ValidationError) as refused:
        card_from_file(cut)
    assert refused.value.code == "card_image_unreadable"
    assert refused.value.params["path"] == "cut.png"
