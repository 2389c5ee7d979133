"""Names of statistics dimensions and codes: English msgids, translated by the caller's gettext.

Shared by the desk, the CLI and the report (``ui`` and ``forms`` may not import each other).
Reference-data codes (ethnic groups, provinces, gates) take their names from the reference data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from i18n import N_
from repatriation.domain.errors import NotFoundError
from repatriation.domain.statistics_bands import UNKNOWN
from repatriation.domain.statistics_spec import NONE, OPEN, Dimension

Gettext = Callable[[str], str]

DIMENSION_NAMES: dict[Dimension, str] = {
    Dimension.YEAR: N_("Year"),
    Dimension.HALF: N_("Half-year"),
    Dimension.QUARTER: N_("Quarter"),
    Dimension.MONTH: N_("Month"),
    Dimension.CORRIDOR: N_("Country"),
    Dimension.GATE: N_("Border gate"),
    Dimension.CHANNEL: N_("Return channel"),
    Dimension.AGE_AT_RETURN: N_("Age at return"),
    Dimension.AGE_AT_TRAFFICKING: N_("Age at trafficking"),
    Dimension.ROUTE: N_("Route"),
    Dimension.SEX: N_("Sex"),
    Dimension.ETHNIC_GROUP: N_("Ethnic group"),
    Dimension.PROVINCE_OLD: N_("Province of origin (before 2025)"),
    Dimension.PROVINCE_NEW: N_("Province of origin"),
    Dimension.EXPLOITATION: N_("Form of exploitation"),
    Dimension.SCREENING: N_("Victim status"),
    Dimension.SERVICES: N_("Services delivered"),
    Dimension.OUTCOME: N_("Outcome"),
    Dimension.FOLLOW_UP: N_("Follow-up"),
    Dimension.STATUS: N_("Case status"),
}

CODE_NAMES: dict[str, str] = {
    # corridors
    "CN": N_("China"), "KH": N_("Cambodia"), "LA": N_("Lao PDR"), "XX": N_("Other country"),
    # return channels
    "official_handover": N_("Official handover"),
    "via_mission": N_("Through a mission abroad"),
    "rescue": N_("Rescue"),
    "self_return": N_("Self-return"),
    "interception": N_("Interception"),
    "outbound_handover": N_("Handed to the other country"),
    # routes
    "cross_border": N_("Taken abroad"),
    "inside_viet_nam": N_("Inside Viet Nam"),
    "intercepted": N_("Intercepted before crossing"),
    # sex
    "F": N_("Female"), "M": N_("Male"), "U": N_("Sex not known"),
    # exploitation forms
    "sexual": N_("Sexual exploitation"),
    "forced_labour": N_("Forced labour"),
    "organ_removal": N_("Organ removal"),
    "forced_marriage": N_("Forced marriage"),
    "forced_childbirth": N_("Forced childbirth or surrogacy"),
    "forced_begging": N_("Forced begging"),
    "forced_criminality": N_("Forced criminality"),
    "infant_sale": N_("Sale or adoption of infants"),
    "other_inhumane": N_("Other inhumane purposes"),
    # screening
    "returned_citizen": N_("Returned citizen"),
    "under_identification": N_("Undergoing identification"),
    "identified_victim": N_("Identified victim"),
    "not_a_victim": N_("Not a victim"),
    # support
    "essential_needs": N_("Essential needs"),
    "medical": N_("Medical care"),
    "interpretation": N_("Interpretation"),
    "legal_information": N_("Legal information"),
    "legal_aid": N_("Legal aid"),
    "travel": N_("Travel costs"),
    "psychological": N_("Psychological support"),
    "schooling": N_("Schooling"),
    "vocational": N_("Vocational training"),
    "hardship_allowance": N_("Hardship allowance"),
    # outcomes
    "family_reunification": N_("Family reunification"),
    "alternative_care": N_("Alternative care"),
    "independent_living": N_("Independent living"),
    "handed_to_counterpart": N_("Handed to the counterpart"),
    "transferred": N_("Transferred"),
    "not_a_victim_released": N_("Released (not a victim)"),
    "deceased": N_("Deceased"),
    "lost_contact": N_("Contact lost"),
    OPEN: N_("Still open"),
    # follow-up and case status
    "due": N_("Due"), "done": N_("Done"), "missed": N_("Missed"),
    "received": N_("Received"), "verification": N_("Verification"),
    "awaiting_handover": N_("Awaiting handover"), "handed_over": N_("Handed over"),
    "in_care": N_("In care"), "reintegration": N_("Reintegration"), "closed": N_("Closed"),
    NONE: N_("None"),
    UNKNOWN: N_("Not known"),
}

_CODE_DIMENSIONS = frozenset(
    {Dimension.CORRIDOR, Dimension.CHANNEL, Dimension.ROUTE, Dimension.SEX, Dimension.EXPLOITATION,
     Dimension.SCREENING, Dimension.SERVICES, Dimension.OUTCOME, Dimension.FOLLOW_UP,
     Dimension.STATUS}
)


def make_labeler(
    gettext: Gettext, reference: Any = None, language: str = "vi"
) -> Callable[[Dimension, str], str]:
    """A ``(dimension, code) -> name`` function in the language of ``gettext``.

    Args:
        gettext: the translation function of the wanted language and domain.
        reference: reference data (``ethnic``, ``province``, ``gate`` lookups) or None for codes.
        language: "en" takes English ethnic names; other languages take the Vietnamese ones.
    """

    def label(dimension: Dimension, code: str) -> str:
        if dimension is Dimension.CORRIDOR and code == NONE:
            return gettext("No country (inside Viet Nam)")
        if code in (UNKNOWN, NONE) or (dimension in _CODE_DIMENSIONS and code in CODE_NAMES):
            return gettext(CODE_NAMES[code])
        if dimension in (Dimension.AGE_AT_RETURN, Dimension.AGE_AT_TRAFFICKING):
            return gettext("{band} years").format(band=code)
        if reference is not None:
            try:
                return _reference_name(reference, dimension, code, language)
            except NotFoundError:
                return code
        return code

    return label


def _reference_name(reference: Any, dimension: Dimension, code: str, language: str) -> str:
    if dimension is Dimension.ETHNIC_GROUP:
        group = reference.ethnic(code)
        return str(group.name_en if language == "en" else group.name_vi)
    if dimension in (Dimension.PROVINCE_OLD, Dimension.PROVINCE_NEW):
        return str(reference.province(code).name)
    if dimension is Dimension.GATE:
        return str(reference.gate(code).name_vi)
    return code


def dimension_name(gettext: Gettext, dimension: Dimension) -> str:
    """The translated name of a dimension."""
    return gettext(DIMENSION_NAMES[dimension])
