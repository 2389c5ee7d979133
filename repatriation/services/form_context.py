"""What frames a printed form: its dates (the event's, or blanks), the law in force, its language.

A form is dated by what it records, never by the day it is printed: the handover's actual time,
or on the planned day the planned date with the hour left to write in; the request's date; the
arrival. When the event has not happened (minutes prepared the day before, or a handover that
slipped and was never recorded), the form prints dotted blanks to fill in by hand at the gate.
The print time goes only into the footer's small "printed on" line. The instruments a form
cites are those in force on the event's day. The counterpart language follows the corridor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from babel.dates import format_date, format_time

from i18n import canonical
from repatriation.domain.case_fields import in_slot
from repatriation.domain.enums import Corridor
from repatriation.domain.errors import ValidationError
from repatriation.domain.fields import ExtraFields, FormSlot
from repatriation.domain.handover import HandoverBatch
from repatriation.domain.people import FamilyMember
from repatriation.services.form_data import (
    NO_TEXT,
    BiText,
    Instrument,
    Particular,
    Relative,
    Representative,
)

# Babel locale per catalog language (zh_CN is zh_Hans_CN in CLDR: docs/stack-notes.md, Text).
BABEL_LOCALE = {"vi": "vi", "en": "en", "zh_CN": "zh_Hans_CN", "km": "km", "lo": "lo"}
_VI_DATE = "'ngày' dd 'tháng' MM 'năm' y"  # administrative style: "ngày 07 tháng 03 năm 2026"
# The language each corridor's counterpart reads; another one is an explicit choice.
CORRIDOR_LANGUAGE = {Corridor.CHINA: "zh_CN", Corridor.CAMBODIA: "km", Corridor.LAO: "lo",
                     Corridor.OTHER: "en"}
# CLDR code of each counterpart language (for "Languages interpreted").
LANGUAGE_CODE = {"zh_CN": "zh", "km": "km", "lo": "lo", "en": "en", "vi": "vi"}
FORM_ONE = "handover_minutes"  # the minutes signed with the foreign side
_DOTS = "....."


@dataclass(frozen=True)
class IssuingPost:
    """The post that issues the forms (its profile): the name and gate its header shows."""

    name: str
    gate_code: str | None = None


# Blanks in each language's own date order (what a counterpart official writes in by hand).
BLANK_DATE = {
    "vi": f"ngày {_DOTS} tháng {_DOTS} năm {_DOTS}..",
    "en": f"{_DOTS} / {_DOTS} / {_DOTS}..",
    "zh_CN": f"{_DOTS}..年{_DOTS}月{_DOTS}日",
    "km": f"ថ្ងៃទី{_DOTS} ខែ{_DOTS} ឆ្នាំ{_DOTS}..",
    "lo": f"ວັນທີ{_DOTS} ເດືອນ{_DOTS} ປີ{_DOTS}..",
}
BLANK_TIME = {"vi": f"{_DOTS} giờ {_DOTS}"}
_BLANK_CLOCK = f"{_DOTS}:{_DOTS}"


def date_text(day: date | None, language: str) -> BiText:
    """07/03/2026 beside the counterpart's long date (2026年3月7日); blank when unknown."""
    if day is None:
        return NO_TEXT
    other = "" if language == "vi" else format_date(day, "long", locale=BABEL_LOCALE[language])
    return BiText(day.strftime("%d/%m/%Y"), other)


def datetime_text(moment: datetime, language: str) -> BiText:
    """"09 giờ 05, ngày 07 tháng 03 năm 2026" beside "2026年3月7日 09:05"."""
    vi = f"{moment:%H} giờ {moment:%M}, " + format_date(moment, _VI_DATE, locale="vi")
    if language == "vi":
        return BiText(vi)
    locale = BABEL_LOCALE[language]
    return BiText(vi, f"{format_date(moment, 'long', locale=locale)} "
                      f"{format_time(moment, 'HH:mm', locale=locale)}")


def _day(day: date | None, language: str) -> str:
    if day is None:
        return BLANK_DATE[language]
    if language == "vi":
        return format_date(day, _VI_DATE, locale="vi")
    return format_date(day, "long", locale=BABEL_LOCALE[language])


def event_text(moment: datetime | None, day: date | None, language: str) -> BiText:
    """The time of an event: exact when recorded, else its day (or blanks) and a blank hour."""
    if moment is not None:
        return datetime_text(moment, language)
    vi = f"{BLANK_TIME['vi']}, {_day(day, 'vi')}"
    if language == "vi":
        return BiText(vi)
    return BiText(vi, f"{_day(day, language)} {_BLANK_CLOCK}")


def place_date(place: BiText, day: date | None, language: str) -> BiText:
    """The place and date line under the national motto (blanks when ``day`` is None)."""
    vi = f"{place.vi}, {_day(day, 'vi')}"
    if language == "vi":
        return BiText(vi)
    separator = "，" if language == "zh_CN" else ", "
    return BiText(vi, f"{place.other or place.vi}{separator}{_day(day, language)}")


def handover_moment(actual: datetime | None, planned: date, today: date
                    ) -> tuple[datetime | None, date | None]:
    """(exact time, day) a set of handover minutes prints.

    Recorded handover: its time. Not recorded, printed on the planned day: that day, hour blank.
    Not recorded otherwise (prepared in advance, or the handover slipped): all blank.
    """
    if actual is not None:
        return actual, actual.date()
    return None, planned if planned == today else None


def legal_basis_for(form_id: str, corridor: Corridor, on: date) -> tuple[Instrument, ...]:
    """Instruments a form cites on a day (the corridor's bilateral agreement included).

    Law 53/2024 and Decree 162/2025 apply from 1 Jul 2025; Law 91/2025 from 1 Jan 2026.
    """
    new = on >= date(2025, 7, 1)
    law = Instrument.LAW_2024 if new else Instrument.LAW_2011
    agreements = {
        Corridor.CHINA: (Instrument.AGREEMENT_CN,), Corridor.LAO: (Instrument.AGREEMENT_LA,),
        Corridor.CAMBODIA: (Instrument.AGREEMENT_KH, Instrument.SOP_KH),
    }.get(corridor, ())
    data_law = Instrument.PDPL_2025 if on >= date(2026, 1, 1) else Instrument.DECREE_13_2023
    support = Instrument.DECREE_162_2025 if new else Instrument.DECREE_09_2013
    return {
        "handover_minutes": (law, Instrument.JC_01_2014, *agreements),
        "internal_handover": (law, Instrument.JC_01_2014),
        "reception_record": (law, support, Instrument.LAW_CHILDREN_2016, data_law),
        "verification_request": (law, Instrument.JC_01_2014,
                                 *(() if new else (Instrument.DECREE_62_2012,))),
        "verification_reply": (law, Instrument.JC_01_2014),
        "referral_summary": (law, Instrument.DECREE_56_2017, data_law),
        "intake_report": (Instrument.LAW_CHILDREN_2016, Instrument.DECREE_56_2017),
    }[form_id]


def counterpart_language(form_id: str, corridor: Corridor, chosen: str | None, explicit: bool) -> str:
    """The counterpart language: the corridor's, unless another one was chosen on purpose.

    Raises:
        ValidationError: ``language_not_of_corridor`` for minutes signed with the foreign side
            in another language without ``explicit`` (a Cambodian official reads Khmer).
    """
    default = CORRIDOR_LANGUAGE[corridor]
    language = canonical(chosen) if chosen else default
    if form_id == FORM_ONE and language != default and not explicit:
        raise ValidationError("language_not_of_corridor", language=language,
                              corridor=str(corridor), expected=default)
    return language


def officials_of(batch: HandoverBatch, vietnamese: bool) -> tuple[Representative, ...]:
    """The batch's officials of one side, as they sign the minutes."""
    return tuple(Representative(o.full_name, o.rank, o.unit) for o in batch.officials
                 if (o.side == "vn") == vietnamese)


def relative_of(member: FamilyMember | None) -> Relative | None:
    """A family member as the forms print them."""
    if member is None:
        return None
    return Relative(member.relation, member.full_name, member.birth_year, member.occupation)


def extra_particulars(values: ExtraFields, language: str) -> tuple[Particular, ...]:
    """The added fields printed in a person's particulars, with their registry labels."""
    out: list[Particular] = []
    for spec in in_slot(FormSlot.PARTICULARS):
        value = values.get(spec.name) if spec.is_extra else None
        if isinstance(value, bool):
            out.append(Particular(spec.label, yes=value))
        elif isinstance(value, date):
            out.append(Particular(spec.label, date_text(value, language)))
        elif value is not None:
            out.append(Particular(spec.label, BiText(str(value))))
    return tuple(out)
