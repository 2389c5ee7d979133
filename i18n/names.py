"""Person names shown in the order each culture uses: family name first for vi and zh_CN."""

from __future__ import annotations

from i18n import canonical

# Vietnamese and Chinese write the family name first ("Nguyễn Thị Hồng", "王秀英"). Khmer
# official documents also put the family name (nam tran) first. Lao and English write the given
# name first ("Souligna Phommachan"). The pseudo-locale follows English.
FAMILY_FIRST = frozenset({"vi", "zh_CN", "km"})


def _is_han(text: str) -> bool:
    return bool(text) and all(
        "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch == "\u00b7" for ch in text
    )


def family_name_first(language: str) -> bool:
    """True when ``language`` writes the family name before the given name."""
    return canonical(language) in FAMILY_FIRST


def display_name(
    family_name: str, given_name: str, language: str, middle_name: str = "",
    *, given_first: bool | None = None,
) -> str:
    """The full name in the order ``language`` uses (``given_first`` overrides the default).

    The middle name (Vietnamese tên đệm) stays attached to the given name: "Nguyễn Thị Hồng"
    in vi, "Thị Hồng Nguyễn" in en. Han names stay "王秀英" whatever the language.
    """
    given = " ".join(p for p in (middle_name.strip(), given_name.strip()) if p)
    family = family_name.strip()
    if given_first is None:
        given_first = not family_name_first(language)
    if _is_han(family) and (not given or _is_han(given)):
        # A Han name is one unit, family first, in every language ("王秀英", never "秀英 王").
        return family + given
    parts = [given, family] if given_first else [family, given]
    return " ".join(p for p in parts if p)


def sort_key(family_name: str, given_name: str, middle_name: str = "") -> tuple[str, str, str]:
    """Key that sorts people the Vietnamese way: by given name, then family, then middle name.

    Vietnamese lists (class rolls, minutes) order by the given name (tên), not the family name,
    because a few family names (Nguyễn, Trần, Lê...) cover most of the population.
    """
    from repatriation.domain.text import fold

    return (fold(given_name), fold(family_name), fold(middle_name))
