"""Generate the library-derived reference files and the manifest in repatriation/reference/data/.

Provinces come from ``vietnamadminunits`` (its dataset of the 63 old and 34 new units and its
old->new province table); holidays from ``holidays`` for 2010-2035. The other files
(ethnic groups, gates, agencies, deadline rules, holiday overrides) are edited by hand; this
script only hashes them. The running app reads the JSON, never the generating libraries::

    .venv/bin/python tools/build_reference.py              # regenerate everything + manifest
    .venv/bin/python tools/build_reference.py --manifest   # only re-hash (after a hand edit)
    .venv/bin/python tools/build_reference.py --check      # verify files and manifest, write nothing
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import sys
import unicodedata
from importlib import metadata
from pathlib import Path
from typing import Any

import holidays

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "repatriation" / "reference" / "data"
VERSION = "2026.12.1"  # 2026.12.1: one spelling "H'Mông" (was "HMông")
FIRST_YEAR, LAST_YEAR = 2010, 2035
NEW_PREFIX = "N"  # keep in step with repatriation.reference.models.NEW_CODE_PREFIX
HOLIDAY_COUNTRIES = {"VN": "vi", "CN": "zh_CN", "KH": "km", "LA": "lo"}
HAND_EDITED = (
    "ethnic_groups.json",
    "border_gates.json",
    "agencies.json",
    "deadline_rules.json",
    "holiday_overrides.json",
)
# Names people still write: former names, abbreviations and spellings without the unit type.
ALT_NAMES: dict[str, tuple[str, ...]] = {
    "01": ("HN", "Hanoi"),
    "06": ("Bắc Cạn",),
    "46": ("Thừa Thiên Huế", "Tỉnh Thừa Thiên Huế"),
    "62": ("Kontum",),
    "66": ("Daklak", "Đắc Lắc"),
    "67": ("Daknong",),
    "77": ("Bà Rịa", "Vũng Tàu", "BR-VT"),
    "79": ("TP HCM", "TPHCM", "HCM", "Sài Gòn", "Saigon"),
    "N01": ("HN", "Hanoi"),
    "N46": ("Thừa Thiên Huế",),
    "N66": ("Daklak", "Đắc Lắc"),
    "N79": ("TP HCM", "TPHCM", "HCM", "Sài Gòn", "Saigon"),
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _dump(doc: Any) -> bytes:
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def build_provinces() -> bytes:
    """provinces.json from the library's dataset and its old->new province table."""
    import vietnamadminunits

    lib_dir = Path(vietnamadminunits.__file__).parent / "data"
    with sqlite3.connect(f"file:{lib_dir / 'dataset.db'}?mode=ro", uri=True) as conn:
        old = conn.execute("SELECT DISTINCT provinceCode, province, provinceShort, provinceKey "
                           "FROM admin_units_legacy ORDER BY provinceCode").fetchall()
        new = conn.execute("SELECT DISTINCT provinceCode, province, provinceShort, provinceKey "
                           "FROM admin_units ORDER BY provinceCode").fetchall()
    table = json.loads((lib_dir / "converter_2025.json").read_text(encoding="utf-8"))
    new_code_by_key = {key: NEW_PREFIX + code for code, _, _, key in new}
    successor = {o: new_code_by_key[n] for n, olds in table["DICT_PROVINCE"].items() for o in olds}
    entries = []
    for code, name, short, key in old:
        entries.append(_province(code, name, short, "old", successor[key]))
    for code, name, short, _key in new:
        entries.append(_province(NEW_PREFIX + code, name, short, "new", None))
    doc = {
        "schema": 1,
        "source": f"vietnamadminunits {metadata.version('vietnamadminunits')} (MIT): 63 units "
        "before and 34 units after Resolution 202/2025/QH15 (1 Jul 2025), official GSO codes; "
        f"new-scheme codes carry the prefix '{NEW_PREFIX}'.",
        "entries": entries,
    }
    return _dump(doc)


def _province(code: str, name: str, short: str, scheme: str, succ: str | None) -> dict[str, Any]:
    alts = dict.fromkeys(_nfc(a) for a in (short, *ALT_NAMES.get(code, ())))
    return {"code": code, "name": _nfc(name), "scheme": scheme, "successor_code": succ,
            "alt_names": list(alts)}


def build_holidays(country: str, local_language: str) -> bytes:
    """holidays_<cc>.json: names in English and the local language, plus bridged weekend days."""
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    english = holidays.country_holidays(country, years=years, language="en_US")
    local = holidays.country_holidays(country, years=years, language=local_language)
    workdays = sorted(d for d in getattr(english, "weekend_workdays", set())
                      if FIRST_YEAR <= d.year <= LAST_YEAR)
    doc = {
        "schema": 1,
        "country": country,
        "generator": f"holidays {holidays.__version__}",
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
        "holidays": [
            {"date": day.isoformat(), "name": _nfc(name), "name_local": _nfc(local.get(day, ""))}
            for day, name in sorted(english.items())
        ],
        "weekend_workdays": [d.isoformat() for d in workdays],
    }
    return _dump(doc)


def generated() -> dict[str, bytes]:
    """Every library-derived file, freshly built."""
    files = {"provinces.json": build_provinces()}
    for country, language in HOLIDAY_COUNTRIES.items():
        files[f"holidays_{country.lower()}.json"] = build_holidays(country, language)
    return files


def manifest(contents: dict[str, bytes]) -> bytes:
    """manifest.json for the given file contents."""
    doc = {
        "version": VERSION,
        "generated_with": {
            "holidays": holidays.__version__,
            "vietnamadminunits": metadata.version("vietnamadminunits"),
        },
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in sorted(contents.items())},
    }
    return _dump(doc)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--manifest", action="store_true", help="only rewrite manifest.json")
    mode.add_argument("--check", action="store_true", help="verify, write nothing")
    args = parser.parse_args(argv)
    hand = {name: (DATA / name).read_bytes() for name in HAND_EDITED}
    if args.manifest:
        lib_files = {n: (DATA / n).read_bytes() for n in ("provinces.json",
                     *(f"holidays_{c.lower()}.json" for c in HOLIDAY_COUNTRIES))}
    else:
        lib_files = generated()
    wanted = {**lib_files, "manifest.json": manifest({**hand, **lib_files})}
    if args.check:
        stale = [n for n, data in wanted.items()
                 if not (DATA / n).is_file() or (DATA / n).read_bytes() != data]
        for name in stale:
            print(f"out of date: {name}", file=sys.stderr)
        return 1 if stale else 0
    for name, data in wanted.items():
        (DATA / name).write_bytes(data)
        print(f"wrote {name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
