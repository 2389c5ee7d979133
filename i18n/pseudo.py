"""A pseudo-locale that lengthens every string by about 40% to catch clipped layouts."""

from __future__ import annotations

import gettext
import re

_PLACEHOLDER = re.compile(r"(\{[a-z_][a-z0-9_]*\})")
_ACCENTED = str.maketrans("aeiouAEIOUcn", "àéîõüÀÉÎÕÜçñ")


def pseudo(message: str) -> str:
    """Accent the letters (placeholders untouched) and pad to about 140% of the length."""
    parts = _PLACEHOLDER.split(message)
    body = "".join(p if _PLACEHOLDER.fullmatch(p) else p.translate(_ACCENTED) for p in parts)
    padding = "~" * max(1, round(len(message) * 0.4))
    return f"[{body}{padding}]"


class PseudoTranslations(gettext.NullTranslations):
    """Translations object that pseudo-translates every message."""

    def gettext(self, message: str) -> str:
        """Pseudo-translate ``message``."""
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        """Pseudo-translate the form ``n`` selects."""
        return pseudo(msgid1 if n == 1 else msgid2)
