"""A counterpart's key card read from a file: text, or a photo or scan of its QR code.

The QR code is decoded by zxing-cpp (the ``zxingcpp`` wheel: the decoder is compiled into it,
so neither the desk's installer nor CI needs a system library such as libzbar). The image is
untrusted input from a USB stick or a phone: its file size and pixel count are bounded before
Pillow decodes it, and only the formats a camera or scanner writes are opened.
"""

from __future__ import annotations

import io
from pathlib import Path

from repatriation.domain.bundle_errors import KeyFormatError
from repatriation.domain.errors import ValidationError
from repatriation.domain.key_directory import card_from_text

MAX_CARD_BYTES = 64 * 1024  # a key card is a few hundred bytes: refuse anything that is not one
MAX_IMAGE_BYTES = 20 * 1024 * 1024  # a phone photo is a few MiB
MAX_IMAGE_PIXELS = 40_000_000  # 40 megapixels: any phone camera; a "decompression bomb" is more
FORMATS = ("PNG", "JPEG", "BMP")
CARD_PREFIX = "vn-ctp-key:"
# What the pictures start with: PNG, JPEG, BMP.
_PICTURE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"BM")
_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")


def read_image_bytes(path: Path) -> bytes:
    """The file's bytes, refusing one larger than any photo of a key card."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_IMAGE_BYTES + 1)
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationError("card_image_too_large", path=path.name,
                              limit_mib=MAX_IMAGE_BYTES // (1024 * 1024))
    return data


def qr_texts(data: bytes, name: str) -> list[str]:
    """The text of every QR code found in the image ``data`` (``name`` only for messages)."""
    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data), formats=FORMATS) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError("card_image_too_large", path=name,
                                      limit_mib=MAX_IMAGE_BYTES // (1024 * 1024))
            grey = image.convert("L")  # decodes the pixels; bounded by the check above
    except Image.DecompressionBombError:  # Pillow's own cap, far above ours: same answer
        raise ValidationError("card_image_too_large", path=name,
                              limit_mib=MAX_IMAGE_BYTES // (1024 * 1024)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError("card_image_unreadable", path=name) from None
    found = zxingcpp.read_barcodes(grey, formats=zxingcpp.barcode_formats_from_str("QRCode"))
    return [code.text for code in found if code.valid]


def _card_in(text: str) -> str:
    """The card line a QR code holds (bare, or the JSON ``keys card --json`` prints), or ""."""
    try:
        card = card_from_text(text)
    except KeyFormatError:  # some other JSON: not a key card
        return ""
    return card if card.startswith(CARD_PREFIX) else ""


def card_from_image(path: Path) -> str:
    """The one key card line in the QR code(s) of the image at ``path``.

    Refused with a sentence naming the file when no QR code holds a key card, or when two
    different cards are in one picture (which one the officer meant cannot be guessed).
    """
    path = Path(path)
    texts = qr_texts(read_image_bytes(path), path.name)
    cards = list(dict.fromkeys(card for card in map(_card_in, texts) if card))
    if not cards:
        raise ValidationError("no_card_in_image", path=path.name, codes=len(texts))
    if len(cards) > 1:
        raise ValidationError("several_cards_in_image", path=path.name, cards=len(cards))
    return cards[0]


def card_from_file(path: Path) -> str:
    """The card line in a file a counterpart sent: a picture of its QR code, or text.

    Text is what ``keys card`` prints (or ``--json``, or a desk's saved ``.txt``); a file too
    long or not ASCII is left to the card parser, which refuses it with its own sentence.
    """
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(MAX_CARD_BYTES + 1)
    if head.startswith(_PICTURE_MAGIC) or path.suffix.lower() in _PICTURE_SUFFIXES:
        return card_from_image(path)
    text = "" if len(head) > MAX_CARD_BYTES else head.decode("utf-8", "replace")
    return card_from_text(text)
