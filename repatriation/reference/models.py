"""Frozen records of the reference data: ethnic groups, provinces, border gates, agencies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from repatriation.domain.enums import Corridor, PlaceKind
from repatriation.domain.people import Address

OLD_SCHEME = "old"  # the 63 provinces in force until 30 Jun 2025
NEW_SCHEME = "new"  # the 34 units of Resolution 202/2025/QH15, from 1 Jul 2025
# Official GSO codes of the two schemes overlap ("15" is Yen Bai in the old list and Lao Cai in
# the new one), so new-scheme codes carry this prefix to keep every province code unique.
NEW_CODE_PREFIX = "N"

AGENCY_KINDS = frozenset(
    {
        "ministry",
        "department",
        "provincial_agency",
        "district_agency",
        "commune_agency",
        "police",
        "border_guard",
        "mission",
        "committee",
        "social_welfare",
        "mass_organisation",
        "ngo",
        "international_org",
        "hotline",
    }
)


def _in_force(valid_from: date | None, valid_to: date | None, on: date) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on <= valid_to)


@dataclass(frozen=True)
class EthnicGroup:
    """One of the 54 GSO ethnic groups, or 55 foreigner / 99 unknown."""

    code: str
    name_vi: str
    name_en: str
    alt_names: tuple[str, ...]


@dataclass(frozen=True)
class Province:
    """A province-level unit of the old (63) or new (34) scheme."""

    code: str
    name: str
    scheme: str  # OLD_SCHEME | NEW_SCHEME
    successor_code: str | None  # for old provinces: the new unit; None for new ones
    alt_names: tuple[str, ...]

    @property
    def gso_code(self) -> str:
        """The official two-digit GSO code, without the new-scheme prefix."""
        return self.code.removeprefix(NEW_CODE_PREFIX)


@dataclass(frozen=True)
class BorderGate:
    """A border gate, auxiliary gate or marker where handovers take place."""

    code: str
    name_vi: str
    corridor: Corridor
    kind: PlaceKind
    counterpart_name: str  # Latin script
    counterpart_name_local: str  # Chinese/Khmer/Lao script: only as given by the counterpart
    province_old: str | None
    province_new: str | None
    valid_from: date | None
    valid_to: date | None

    def in_force_on(self, on: date) -> bool:
        """Whether the gate existed in this form on ``on`` (both ends inclusive)."""
        return _in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class Agency:
    """A Vietnamese or counterpart agency, dated because the 2025 reforms renamed many."""

    code: str
    name: str
    country: str  # ISO 3166-1 alpha-2
    kind: str  # one of AGENCY_KINDS
    valid_from: date | None
    valid_to: date | None

    def in_force_on(self, on: date) -> bool:
        """Whether the agency existed on ``on`` (both ends inclusive)."""
        return _in_force(self.valid_from, self.valid_to, on)


@dataclass(frozen=True)
class AddressMatch:
    """An address normalised against both schemes.

    ``ambiguous`` is True when the old commune was split among several new ones: the new
    commune is then left empty and ``candidates`` lists the new commune codes for a person to
    choose from (never guessed).
    """

    address: Address
    ambiguous: bool
    candidates: tuple[str, ...]
