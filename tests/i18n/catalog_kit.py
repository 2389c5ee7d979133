"""Helpers for the catalog tests: load every .po of both domains, placeholders, scripts."""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = ROOT / "i18n" / "locale"
LANGUAGES = ("vi", "en", "zh_CN", "km", "lo")
TRANSLATED = ("vi", "zh_CN", "km", "lo")
DOMAINS = ("messages", "forms")
BABEL_LOCALE = {"zh_CN": "zh_Hans_CN"}

# Latin words a translation may keep verbatim: acronyms, codes, product and format names.
LATIN_OK = frozenset({
    "QR", "PDF", "CSV", "JSON", "XLSX", "ID", "OK", "UTC", "SQLite", "SQLCipher", "PostgreSQL",
    "age", "Argon2id", "X25519", "AES", "GCM", "SHA", "TK", "NNa", "PNTE", "URL", "HTML",
    "Excel", "USB", "IOM", "UNICEF", "NGO", "CCPCR", "MoSVY", "DoSVY", "COMMIT", "ACTIP",
    "km", "lo", "vi", "en", "zh", "CN", "PA08", "ANĐN", "QĐ", "TTg", "ND", "CP", "NĐ",
    "TTLT", "BCA", "BQP", "BLĐTBXH", "BLDTBXH", "BNG", "QH12", "QH13", "QH15", "TT",
})

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ɏḀ-ỿ][A-Za-z0-9À-ɏḀ-ỿ'-]*(?:\.[A-Za-z0-9]+)*")
# Vietnamese letters beyond ASCII (precomposed), as NFC writes them.
_VIETNAMESE = set("ăâđêôơưĂÂĐÊÔƠƯ") | {
    ch for ch in map(chr, range(0x00C0, 0x1EFA))
    if unicodedata.name(ch, "").startswith("LATIN") and ch not in string.ascii_letters
}
SCRIPT_RANGES = {
    "km": [(0x1780, 0x17FF), (0x19E0, 0x19FF)],
    "lo": [(0x0E80, 0x0EFF)],
    "zh_CN": [(0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0x3000, 0x303F), (0xFF00, 0xFFEF)],
}
FOREIGN_SCRIPTS = [(0x4E00, 0x9FFF), (0x1780, 0x17FF), (0x0E80, 0x0EFF)]


def po_path(language: str, domain: str) -> Path:
    """Path of one catalog."""
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"


def load(language: str, domain: str) -> Catalog:
    """Parse one catalog strictly (syntax errors raise)."""
    with po_path(language, domain).open("rb") as handle:
        return read_po(handle, locale=BABEL_LOCALE.get(language, language), domain=domain,
                       abort_invalid=True)


def entries(catalog: Catalog) -> Iterator[Message]:
    """Every real entry (header excluded)."""
    return (m for m in catalog if m.id)


def forms(value: str | tuple[str, ...] | list[str] | None) -> list[str]:
    """The msgid/msgstr forms of an entry as a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def placeholders(text: str) -> set[str]:
    """Named placeholders, e.g. {"count", "name"} for "{count} cases of {name}"."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(text)}


def _in(ch: str, ranges: list[tuple[int, int]]) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in ranges)


def script_problem(language: str, source: str, text: str) -> str | None:
    """Why ``text`` is not in ``language``'s script, or None when it looks right."""
    body = _PLACEHOLDER.sub(" ", text)
    source_words = set(_LATIN_WORD.findall(_PLACEHOLDER.sub(" ", source)))
    if all(w in LATIN_OK or _looks_code(w) for w in source_words):
        return None  # nothing to translate ("{count}", "{size} KB", "PDF")
    if language == "vi":
        if any(_in(ch, FOREIGN_SCRIPTS) for ch in body):
            return "vi text contains CJK/Khmer/Lao"
        words = _LATIN_WORD.findall(body)
        if any(ch in _VIETNAMESE for ch in body):
            return None
        if all(w in LATIN_OK or (w in source_words and w[0].isupper()) for w in words):
            return None  # only codes or proper names: "PDF", "QR", "{name}"
        # A few Vietnamese words carry no diacritic ("Cha", "Nam", "Trang"): accept them when
        # no word is shared with the English source, which an untranslated string would do.
        shared = {w.lower() for w in words} & {w.lower() for w in source_words} - {
            w.lower() for w in LATIN_OK}
        return f"no Vietnamese letter and English words {sorted(shared)}" if shared else None
    ranges = SCRIPT_RANGES[language]
    if not any(_in(ch, ranges) for ch in body):
        return f"no {language} character"
    stray = [w for w in _LATIN_WORD.findall(body)
             if w not in LATIN_OK and w not in source_words and not _looks_code(w)]
    return f"stray Latin words {stray}" if stray else None


def _looks_code(word: str) -> bool:
    # Codes such as "TK/NNa", "01/2014", "C02", "A4" or Vietnamese proper names kept in Latin.
    return any(ch.isdigit() for ch in word) or word.isupper() or any(ch in _VIETNAMESE for ch in word)
