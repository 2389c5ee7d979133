"""Versioned reference data shipped as JSON: ethnic groups, provinces, gates, agencies, rules.

Holidays and deadline rules are loaded with them, once, and everything is looked up by code.
A border post may replace any data file by putting one with the same name in an override
directory (its own deadline rules or holidays); the data version then says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from repatriation.domain.deadlines import DeadlineRuleSet
from repatriation.domain.enums import Corridor
from repatriation.reference.calendars import ReferenceCalendar, build_calendar
from repatriation.reference.dataset import ReferenceData
from repatriation.reference.loader import ReferenceDataError, read_files
from repatriation.reference.models import (
    NEW_CODE_PREFIX,
    NEW_SCHEME,
    OLD_SCHEME,
    AddressMatch,
    Agency,
    BorderGate,
    EthnicGroup,
    Province,
)
from repatriation.reference.validate import check_all

__all__ = [
    "NEW_CODE_PREFIX",
    "NEW_SCHEME",
    "OLD_SCHEME",
    "AddressMatch",
    "Agency",
    "BorderGate",
    "EthnicGroup",
    "Province",
    "ReferenceCalendar",
    "ReferenceData",
    "ReferenceDataError",
    "clear_reference_cache",
    "load_reference_data",
]

_COUNTERPARTS = {Corridor.CHINA: "CN", Corridor.CAMBODIA: "KH", Corridor.LAO: "LA"}


def load_reference_data(override_dir: Path | None = None) -> ReferenceData:
    """Load (once per ``override_dir``) and validate the reference data.

    Args:
        override_dir: a directory whose files replace the shipped files of the same name.

    Returns:
        The shared, immutable reference data.

    Raises:
        ReferenceDataError: a file is missing, altered without a new manifest, or malformed;
            the error names the file and the entry.
    """
    key = str(Path(override_dir).resolve()) if override_dir is not None else None
    return _load(key)


def clear_reference_cache() -> None:
    """Forget loaded data, e.g. after a post edited its override files."""
    _load.cache_clear()


@lru_cache(maxsize=8)
def _load(override_dir: str | None) -> ReferenceData:
    files = read_files(Path(override_dir) if override_dir is not None else None)
    check_all(files)
    overrides = files.overrides.entries
    calendars = {cc: build_calendar(h, overrides) for cc, h in files.holidays.items()}
    return ReferenceData(
        version=files.version,
        ethnic_groups=files.ethnic.entries,
        provinces=files.provinces.entries,
        gates=files.gates.entries,
        agencies=files.agencies.entries,
        calendar=calendars["VN"],
        counterpart_calendars={c: calendars[cc] for c, cc in _COUNTERPARTS.items()},
        deadline_rules=DeadlineRuleSet.of(files.rules.entries),
        library_version=files.generated_with.get("vietnamadminunits"),
    )
