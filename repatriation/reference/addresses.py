"""Address normalisation across the 2025 reform, on top of the ``vietnamadminunits`` data.

The library's parsers find the units in free text; the old->new step is done here from the
library's own mapping tables because its ``convert_address`` geocodes over the network when a
street is given and silently picks a "default" ward when an old commune was split.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repatriation.domain.errors import NotFoundError
from repatriation.domain.people import Address
from repatriation.domain.text import fold, nfc
from repatriation.reference.models import NEW_CODE_PREFIX, NEW_SCHEME, AddressMatch, Province

log = logging.getLogger(__name__)

LIBRARY = "vietnamadminunits"
# District-level words exist only in the old scheme ("thi tran" was a commune-level town).
_DISTRICT_WORDS = re.compile(r"\b(huyen|quan|thi xa|thi tran)\b")
# The parsers raise these on odd free text; it simply means "not recognised".
_PARSE_ERRORS = (ValueError, KeyError, IndexError, AttributeError, TypeError, re.error)


@dataclass(frozen=True)
class _Unit:
    """What a parser found, reduced to keys and codes."""

    province_key: str | None
    district_key: str | None
    ward_key: str | None
    province_code: str | None
    ward_code: str | None


class _Library:
    """The imported library, its mapping tables indexed for both directions, and its database."""

    def __init__(self) -> None:
        # Imported here, not at module level: the library costs about 0.6 s to import.
        import vietnamadminunits
        from vietnamadminunits import ParseMode, parse_address

        self._parse = parse_address
        self._legacy = ParseMode.LEGACY
        self._current = ParseMode.FROM_2025
        data_dir = Path(vietnamadminunits.__file__).parent / "data"
        self._db = data_dir / "dataset.db"
        tables = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))
        self.new_province_of: dict[str, str] = {
            old: new for new, olds in tables["DICT_PROVINCE"].items() for old in olds
        }
        self.undivided: dict[str, str] = {}  # old "prov_district_ward" key -> new ward key
        self.sources: dict[tuple[str, str], list[str]] = {}  # (new prov, new ward) -> old keys
        for new_prov, wards in tables["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
            for new_ward, old_keys in wards.items():
                self.sources.setdefault((new_prov, new_ward), []).extend(old_keys)
                for old_key in old_keys:
                    self.undivided[old_key] = new_ward
        self.divided: dict[str, list[str]] = {}  # old key -> new ward keys it was split among
        for new_prov, olds in tables["DICT_PROVINCE_WARD_DIVIDED"].items():
            for old_key, parts in olds.items():
                new_wards = [str(p["newWardKey"]) for p in parts]
                self.divided[old_key] = new_wards
                for new_ward in new_wards:
                    self.sources.setdefault((new_prov, new_ward), []).append(old_key)

    def parse(self, text: str, *, old: bool) -> _Unit:
        try:
            unit = self._parse(text, mode=self._legacy if old else self._current,
                               keep_street=False, level=3 if old else 2)
        except _PARSE_ERRORS:
            return _Unit(None, None, None, None, None)
        return _Unit(unit.province_key, getattr(unit, "district_key", None), unit.ward_key,
                     unit.province_code, unit.ward_code)

    def query(self, sql: str, params: tuple[str, ...]) -> list[tuple[Any, ...]]:
        # One short-lived read-only connection per query keeps this safe from any thread.
        with sqlite3.connect(f"file:{self._db}?mode=ro", uri=True) as conn:
            return conn.execute(sql, params).fetchall()

    def new_ward_code(self, province_key: str, ward_key: str) -> str | None:
        rows = self.query("SELECT wardCode FROM admin_units WHERE provinceKey=? AND wardKey=? "
                          "LIMIT 1", (province_key, ward_key))
        return str(rows[0][0]) if rows else None

    def old_ward_code(self, old_key: str) -> str | None:
        province_key, district_key, ward_key = [*old_key.split("_"), "", ""][:3]
        rows = self.query("SELECT wardCode FROM admin_units_legacy WHERE provinceKey=? AND "
                          "districtKey=? AND wardKey=? LIMIT 1",
                          (province_key, district_key, ward_key))
        return str(rows[0][0]) if rows and ward_key else None

    def old_province_code(self, province_key: str) -> str | None:
        rows = self.query("SELECT provinceCode FROM admin_units_legacy WHERE provinceKey=? "
                          "LIMIT 1", (province_key,))
        return str(rows[0][0]) if rows else None


class AddressNormaliser:
    """Fills the old and new province/commune codes of an address written in either scheme."""

    def __init__(self, version: str, provinces: Mapping[str, Province],
                 library_version: str | None = None) -> None:
        self._version = version
        self._provinces = provinces
        self._library_version = library_version
        self._lib: _Library | None = None
        self._lock = threading.Lock()

    def _library(self) -> _Library:
        with self._lock:
            if self._lib is None:
                from importlib import metadata

                self._lib = _Library()
                installed = metadata.version(LIBRARY)
                if self._library_version and installed != self._library_version:
                    log.warning("%s %s installed, reference data built with %s", LIBRARY,
                                installed, self._library_version)
            return self._lib

    def _address(self, text: str, **codes: str | None) -> Address:
        return Address(as_written=text, reference_version=self._version, **codes)

    def normalise(self, as_written: str) -> AddressMatch:
        """See :meth:`ReferenceData.normalise_address`."""
        text = nfc(as_written)
        if not text:
            return AddressMatch(self._address(text), ambiguous=False, candidates=())
        lib = self._library()
        old = lib.parse(text, old=True)
        if old.province_code and (
            old.ward_key or (old.district_key and _DISTRICT_WORDS.search(fold(text)))
        ):
            return self._from_old(lib, text, old)
        new = lib.parse(text, old=False)
        if new.province_code and new.ward_key:
            return self._from_new(lib, text, new)
        return AddressMatch(self._province_only(text, old, new), ambiguous=False, candidates=())

    def _from_old(self, lib: _Library, text: str, old: _Unit) -> AddressMatch:
        province_old = self._provinces.get(old.province_code or "")
        province_new = province_old.successor_code if province_old else None
        commune_new: str | None = None
        candidates: tuple[str, ...] = ()
        new_province_key = lib.new_province_of.get(old.province_key or "")
        # Island districts had no communes; the library keys them with an empty ward.
        if (old.ward_key or f"{old.province_key}_{old.district_key}_" in lib.undivided) and (
            new_province_key
        ):
            old_key = f"{old.province_key}_{old.district_key}_{old.ward_key or ''}"
            if old_key in lib.undivided:
                commune_new = lib.new_ward_code(new_province_key, lib.undivided[old_key])
            else:
                codes = (lib.new_ward_code(new_province_key, w) for w in lib.divided.get(old_key, []))
                candidates = tuple(c for c in codes if c)
                if len(candidates) == 1:
                    commune_new, candidates = candidates[0], ()
        address = self._address(
            text,
            province_old=province_old.code if province_old else None,
            commune_old=old.ward_code if old.ward_key else None,
            province_new=province_new,
            commune_new=commune_new,
        )
        return AddressMatch(address, ambiguous=bool(candidates), candidates=candidates)

    def _from_new(self, lib: _Library, text: str, new: _Unit) -> AddressMatch:
        sources = lib.sources.get((new.province_key or "", new.ward_key or ""), [])
        old_provinces = {key.split("_")[0] for key in sources}
        province_old = (lib.old_province_code(next(iter(old_provinces)))
                        if len(old_provinces) == 1 else None)
        # A new commune formed from one old commune (whole or a part of it) names it; one formed
        # from several leaves the old commune unknown rather than picking one.
        commune_old = lib.old_ward_code(sources[0]) if len(sources) == 1 else None
        address = self._address(
            text,
            province_old=province_old if province_old in self._provinces else None,
            commune_old=commune_old,
            province_new=NEW_CODE_PREFIX + (new.province_code or ""),
            commune_new=new.ward_code,
        )
        return AddressMatch(address, ambiguous=False, candidates=())

    def _province_only(self, text: str, old: _Unit, new: _Unit) -> Address:
        new_code = NEW_CODE_PREFIX + new.province_code if new.province_code else None
        old_prov = self._provinces.get(old.province_code or "")
        if old_prov is not None and new_code is None:
            new_code = old_prov.successor_code
        constituents = [p.code for p in self._provinces.values() if p.successor_code == new_code]
        old_code: str | None = None
        if len(constituents) == 1:
            old_code = constituents[0]
        elif old_prov is not None and not new.province_code:
            # The name exists only in the old scheme (e.g. "Ha Giang"): it is the old unit.
            old_code = old_prov.code
        return self._address(text, province_old=old_code, province_new=new_code)

    def commune_label(self, code: str, scheme: str) -> str:
        """See :meth:`ReferenceData.commune_label`."""
        lib = self._library()
        table = "admin_units" if scheme == NEW_SCHEME else "admin_units_legacy"
        rows = lib.query(f"SELECT ward, province FROM {table} WHERE wardCode=? LIMIT 1", (code,))
        if not rows:
            raise NotFoundError("commune_not_found", code=code, scheme=scheme)
        return f"{rows[0][0]}, {rows[0][1]}"
