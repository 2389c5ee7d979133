"""What a statistics table counts: its dimensions, closed code lists, measure, period and age bands."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    ExploitationForm,
    FollowUpStatus,
    Outcome,
    ReturnChannel,
    Route,
    ScreeningStatus,
    Sex,
    SupportKind,
)
from repatriation.domain.errors import ValidationError
from repatriation.domain.statistics_bands import AgeBands

NONE = "none"
OPEN = "open"


class Dimension(StrEnum):
    """What a count can be broken down by (codes are used in the CLI and exports)."""

    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    CORRIDOR = "corridor"
    GATE = "gate"
    CHANNEL = "channel"
    AGE_AT_RETURN = "age_at_return"
    AGE_AT_TRAFFICKING = "age_at_trafficking"
    ROUTE = "route"
    SEX = "sex"
    ETHNIC_GROUP = "ethnic_group"
    PROVINCE_OLD = "province_old"
    PROVINCE_NEW = "province_new"
    EXPLOITATION = "exploitation"
    SCREENING = "screening"
    SERVICES = "services"
    OUTCOME = "outcome"
    FOLLOW_UP = "follow_up"
    STATUS = "status"

    @property
    def multi_response(self) -> bool:
        """A case can count under several categories (its total is a distinct count)."""
        return self in (Dimension.EXPLOITATION, Dimension.SERVICES)


PERIODS = (Dimension.YEAR, Dimension.HALF, Dimension.QUARTER, Dimension.MONTH)

# Closed code lists, in display order; other dimensions list the codes found in the data.
CLOSED_CATEGORIES: Mapping[Dimension, tuple[str, ...]] = {
    Dimension.CORRIDOR: (*(c.value for c in Corridor), NONE),  # none: inside Viet Nam
    Dimension.CHANNEL: tuple(c.value for c in ReturnChannel),
    Dimension.ROUTE: tuple(r.value for r in Route),
    Dimension.SEX: tuple(s.value for s in Sex),
    Dimension.EXPLOITATION: (*(f.value for f in ExploitationForm), NONE),
    Dimension.SCREENING: tuple(s.value for s in ScreeningStatus),
    Dimension.SERVICES: (*(s.value for s in SupportKind), NONE),
    Dimension.OUTCOME: (*(o.value for o in Outcome), OPEN),
    Dimension.FOLLOW_UP: (NONE, *(f.value for f in FollowUpStatus)),
    Dimension.STATUS: tuple(s.value for s in CaseStatus),
}


class Measure(StrEnum):
    """What is counted."""

    CASES = "cases"  # every reception, so a child returned twice counts twice
    PERSONS = "persons"  # each person once, at their first reception in the period


@dataclass(frozen=True)
class StatisticsSpec:
    """Which counts: dimensions, measure, period of ``received_on`` (inclusive) and age bands."""

    dimensions: tuple[Dimension, ...]
    measure: Measure = Measure.CASES
    date_from: date | None = None
    date_to: date | None = None
    age_bands: AgeBands = field(default_factory=AgeBands)

    def __post_init__(self) -> None:
        if len(set(self.dimensions)) != len(self.dimensions):
            raise ValidationError("duplicate_dimension", dimensions=",".join(self.dimensions))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise ValidationError("bad_period", date_from=self.date_from, date_to=self.date_to)
