"""The loaded reference data: look-ups by code, dated filters and accent-blind search."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from functools import cached_property
from types import MappingProxyType

from repatriation.domain.deadlines import DeadlineRuleSet, WorkingCalendar
from repatriation.domain.enums import Corridor
from repatriation.domain.errors import NotFoundError
from repatriation.domain.text import fold
from repatriation.reference.addresses import AddressNormaliser
from repatriation.reference.calendars import ReferenceCalendar
from repatriation.reference.models import (
    NEW_SCHEME,
    OLD_SCHEME,
    AddressMatch,
    Agency,
    BorderGate,
    EthnicGroup,
    Province,
)


def _folded_names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(fold(n) for n in names if n))


class ReferenceData:
    """Everything the desk looks up: treat it as immutable and share one instance per load."""

    def __init__(
        self,
        *,
        version: str,
        ethnic_groups: tuple[EthnicGroup, ...],
        provinces: tuple[Province, ...],
        gates: tuple[BorderGate, ...],
        agencies: tuple[Agency, ...],
        calendar: ReferenceCalendar,
        counterpart_calendars: Mapping[Corridor, ReferenceCalendar],
        deadline_rules: DeadlineRuleSet,
        library_version: str | None = None,
    ) -> None:
        self.version = version
        self.ethnic_groups = ethnic_groups
        self.provinces_old = tuple(p for p in provinces if p.scheme == OLD_SCHEME)
        self.provinces_new = tuple(p for p in provinces if p.scheme == NEW_SCHEME)
        self.gates = gates
        self.agencies = agencies
        # Typed as the port declares it (mutable protocol attributes are invariant); the
        # object is a ReferenceCalendar, which also knows bridged weekend days.
        self.calendar: WorkingCalendar = calendar
        self.deadline_rules = deadline_rules
        self._counterpart_calendars = MappingProxyType(dict(counterpart_calendars))
        self._ethnic = {g.code: g for g in ethnic_groups}
        self._gates = {g.code: g for g in gates}
        self._agencies = {a.code: a for a in agencies}
        self._provinces = {p.code: p for p in provinces}
        self._normaliser = AddressNormaliser(version, self._provinces, library_version)

    def __repr__(self) -> str:
        return f"ReferenceData(version={self.version!r})"

    # -- look-ups ----------------------------------------------------------------------------

    def ethnic(self, code: str) -> EthnicGroup:
        """The ethnic group with GSO ``code`` ("01".."54", "55" foreigner, "99" unknown).

        Raises:
            NotFoundError: no such code.
        """
        try:
            return self._ethnic[code]
        except KeyError:
            raise NotFoundError("ethnic_group_not_found", code=code) from None

    def gate(self, code: str) -> BorderGate:
        """The border gate with ``code``.

        Raises:
            NotFoundError: no such code.
        """
        try:
            return self._gates[code]
        except KeyError:
            raise NotFoundError("gate_not_found", code=code) from None

    def agency(self, code: str) -> Agency:
        """The agency with ``code``.

        Raises:
            NotFoundError: no such code.
        """
        try:
            return self._agencies[code]
        except KeyError:
            raise NotFoundError("agency_not_found", code=code) from None

    def province(self, code: str) -> Province:
        """The province with ``code`` in either scheme (new-scheme codes start with "N").

        Raises:
            NotFoundError: no such code.
        """
        try:
            return self._provinces[code]
        except KeyError:
            raise NotFoundError("province_not_found", code=code) from None

    def province_scheme(self, code: str) -> str | None:
        """``"old"`` or ``"new"`` for a known province code, ``None`` for an unknown one."""
        found = self._provinces.get(code)
        return found.scheme if found is not None else None

    def new_province_for_old(self, old_code: str) -> Province:
        """The post-2025 unit an old province was merged into.

        Raises:
            NotFoundError: ``old_code`` is not an old-scheme province.
        """
        old = self.province(old_code)
        if old.successor_code is None:
            raise NotFoundError("province_not_found", code=old_code, scheme=OLD_SCHEME)
        return self.province(old.successor_code)

    def gates_for(self, corridor: Corridor, on: date | None = None) -> tuple[BorderGate, ...]:
        """Gates of ``corridor`` in file order; with ``on``, only those in force that day."""
        return tuple(
            g for g in self.gates if g.corridor is corridor and (on is None or g.in_force_on(on))
        )

    def agencies_on(self, on: date, country: str | None = None) -> tuple[Agency, ...]:
        """Agencies in force on ``on``, optionally of one country."""
        return tuple(
            a for a in self.agencies
            if a.in_force_on(on) and (country is None or a.country == country)
        )

    def counterpart_calendar(self, corridor: Corridor) -> ReferenceCalendar:
        """The working calendar of the country across ``corridor``.

        Raises:
            NotFoundError: no calendar is shipped for that corridor (``Corridor.OTHER``).
        """
        try:
            return self._counterpart_calendars[corridor]
        except KeyError:
            raise NotFoundError("calendar_not_found", corridor=str(corridor)) from None

    # -- search ------------------------------------------------------------------------------

    @cached_property
    def _ethnic_index(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        # Folding is done on first search, not at load, to keep start-up fast.
        return tuple(
            (g.code, _folded_names((g.name_vi, g.name_en, *g.alt_names)))
            for g in self.ethnic_groups
        )

    @cached_property
    def _province_index(self) -> tuple[tuple[Province, tuple[str, ...]], ...]:
        return tuple(
            (p, _folded_names((p.name, *p.alt_names)))
            for p in (*self.provinces_old, *self.provinces_new)
        )

    def ethnic_codes_matching(self, folded_text: str) -> tuple[str, ...]:
        """Codes whose name or alternative name, folded, contains ``folded_text``.

        "meo" finds HMong (08); blank text matches nothing rather than everything.
        """
        needle = fold(folded_text)
        if not needle:
            return ()
        return tuple(code for code, names in self._ethnic_index if any(needle in n for n in names))

    def province_codes_matching(self, folded_text: str) -> tuple[str, ...]:
        """Old and new codes whose name matches, plus the new unit of every matching old one.

        "ha giang" gives old Ha Giang and the new Tuyen Quang it was merged into, so a search
        finds records normalised in either scheme. Blank text matches nothing.
        """
        needle = fold(folded_text)
        if not needle:
            return ()
        found: dict[str, None] = {}
        for prov, names in self._province_index:
            if any(needle in n for n in names):
                found[prov.code] = None
                if prov.successor_code is not None:
                    found[prov.successor_code] = None
        return tuple(found)

    # -- addresses ---------------------------------------------------------------------------

    def normalise_address(self, as_written: str) -> AddressMatch:
        """Parse an address written in either scheme and fill the codes of both schemes.

        The administrative-unit library is imported on first use only (it costs about 0.6 s).
        An old commune split among several new ones is reported as ambiguous, with the new
        commune codes as candidates, rather than guessed.
        """
        return self._normaliser.normalise(as_written)

    def commune_label(self, code: str, scheme: str = NEW_SCHEME) -> str:
        """'Commune, Province' for a commune code of ``scheme`` (to show address candidates).

        Raises:
            NotFoundError: no such commune.
        """
        return self._normaliser.commune_label(code, scheme)
