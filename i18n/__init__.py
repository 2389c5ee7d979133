"""Gettext catalogs for the UI, the CLI and the forms; several languages can be active at once.

Catalogs live in ``i18n/locale/<lang>/LC_MESSAGES/<domain>.po``. Two domains keep owners apart:
``messages`` (UI, CLI, enum and error labels) and ``forms`` (PDF form text). Compiled ``.mo``
files are used when present and newer; otherwise the ``.po`` is compiled in memory with Babel,
so a fresh checkout works without a build step.
"""

from __future__ import annotations

import gettext
import io
import threading
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT_LANGUAGE = "vi"
# Canonical catalog directory names (Babel resolves zh_CN to zh_Hans_CN; we keep zh_CN on disk).
LANGUAGES: tuple[str, ...] = ("vi", "en", "zh_CN", "km", "lo")
PSEUDO_LANGUAGE = "pseudo"

_cache: dict[tuple[str, str], gettext.NullTranslations] = {}
# Re-entrant: loading a domain catalog loads the "messages" catalog as its fallback.
_lock = threading.RLock()
FALLBACK_DOMAIN = "messages"


def canonical(language: str) -> str:
    """Map user spellings (zh, zh-CN, zh_Hans_CN, km_KH) to a catalog directory name."""
    lang = language.replace("-", "_")
    low = lang.lower()
    if low.startswith("zh"):
        return "zh_CN"
    base = low.split("_")[0]
    return base if base in {"vi", "en", "km", "lo", PSEUDO_LANGUAGE} else lang


def _load(language: str, domain: str) -> gettext.NullTranslations:
    if language == PSEUDO_LANGUAGE:
        from i18n.pseudo import PseudoTranslations

        return PseudoTranslations()
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po"
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and (
        not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime
    ):
        with mo_path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    if not po_path.exists():
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale=None if language == "zh_CN" else language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(language: str, domain: str = "messages") -> gettext.NullTranslations:
    """Translations for one language and domain (cached, thread-safe).

    A msgid missing from a "forms" or "statistics" catalog (or a catalog missing for that
    language) falls back to the same language's "messages" catalog, which carries every
    UI/enum label, before falling back to the English msgid.
    """
    key = (canonical(language), domain)
    with _lock:
        if key not in _cache:
            loaded = _load(*key)
            if domain != FALLBACK_DOMAIN and key[0] != PSEUDO_LANGUAGE:
                loaded.add_fallback(translator(key[0], FALLBACK_DOMAIN))
            _cache[key] = loaded
        return _cache[key]


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now."""
    return message


class Translator:
    """The active UI language: ``_`` and ``ngettext`` bound to it, switchable at run time."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, domain: str = "messages") -> None:
        self.domain = domain
        self.language = canonical(language)

    def set_language(self, language: str) -> None:
        """Switch the active language."""
        self.language = canonical(language)

    def gettext(self, message: str) -> str:
        """Translate ``message`` into the active language."""
        return translator(self.language, self.domain).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """Translate with the plural rule of the active language."""
        return translator(self.language, self.domain).ngettext(singular, plural, n)


def clear_cache() -> None:
    """Forget loaded catalogs (after a catalog file changed, e.g. in tests)."""
    with _lock:
        _cache.clear()
