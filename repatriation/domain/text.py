"""Text hygiene: NFC normalisation at every input and a folded key for accent-blind search."""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_SPACES = re.compile(r"\s+")
_NOT_WORD = re.compile(r"[^0-9a-z ]+")


def nfc(text: str) -> str:
    """Return ``text`` NFC-normalised with outer whitespace stripped and inner runs collapsed.

    Zero-width spaces are kept: Khmer and Lao use them as word-break hints.
    """
    if text.isascii():
        # Fast path (codes, dates, numbers: most import columns): ASCII is already NFC.
        stripped = text.strip()
        if "  " in stripped or any(c in stripped for c in "\t\n\r\x0b\x0c"):
            return _SPACES.sub(" ", stripped)
        return stripped
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def nfc_optional(text: str | None) -> str | None:
    """Like :func:`nfc` but keeps ``None`` and turns blank text into ``None``."""
    if text is None:
        return None
    cleaned = nfc(text)
    return cleaned or None


def fold(text: str) -> str:
    """Fold any script to lower-case ASCII words for search and duplicate checks.

    "Nguyễn Thị Hồng" -> "nguyen thi hong"; "Đặng" -> "dang" (plain NFD stripping misses Đ).
    """
    ascii_text = anyascii(unicodedata.normalize("NFC", text)).lower()
    return _SPACES.sub(" ", _NOT_WORD.sub(" ", ascii_text)).strip()
