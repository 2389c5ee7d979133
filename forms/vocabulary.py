"""Form wording of domain codes (sex, places, documents, legal instruments...) as catalog msgids.

Every msgid is English; the gettext domain "forms" holds the vi, zh_CN, km and lo wording.
:class:`Bilingual` gives each label in Vietnamese and the counterpart language at once.
"""

from __future__ import annotations

from i18n import N_, canonical, translator
from repatriation.domain.enums import (
    ConsentScope,
    ConsentSubject,
    Corridor,
    DocumentKind,
    Literacy,
    PlaceKind,
    ScreeningStatus,
    Sex,
    SignatureMethod,
    SupportKind,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.services.form_data import BiText, InformationSource, Instrument

DOMAIN = "forms"


class Bilingual:
    """Translate a form msgid into Vietnamese and the counterpart language side by side."""

    def __init__(self, language: str) -> None:
        self.language = canonical(language)
        self._vi = translator("vi", DOMAIN)
        self._other = None if self.language == "vi" else translator(self.language, DOMAIN)

    @property
    def bilingual(self) -> bool:
        """False when the form is printed in Vietnamese only."""
        return self._other is not None

    def __call__(self, msgid: str, **params: object) -> BiText:
        """Both translations of ``msgid``, with named placeholders filled in each.

        A :class:`BiText` parameter gives its Vietnamese text to the Vietnamese sentence and its
        counterpart text (or the Vietnamese one when it has none) to the other.
        """
        vi = self._vi.gettext(msgid)
        other = self._other.gettext(msgid) if self._other is not None else ""
        if params:
            vi = vi.format(**{k: v.vi if isinstance(v, BiText) else v for k, v in params.items()})
            if other:
                other = other.format(**{
                    k: (v.other or v.vi) if isinstance(v, BiText) else v for k, v in params.items()
                })
        return BiText(vi, other)


LANGUAGE_NAME = {
    "zh_CN": N_("Chinese"),
    "km": N_("Khmer"),
    "lo": N_("Lao"),
    "en": N_("English"),
    "vi": N_("Vietnamese"),
}

SEX = {
    Sex.FEMALE: N_("Female"),
    Sex.MALE: N_("Male"),
    Sex.UNKNOWN: N_("Unknown"),
}

SIGNATURE = {
    SignatureMethod.SIGNATURE: N_("Signature"),
    SignatureMethod.MARK: N_("Mark (cross)"),
    SignatureMethod.THUMBPRINT: N_("Thumbprint"),
    SignatureMethod.NOT_TAKEN: N_("Not taken"),
}

PLACE_KIND = {
    PlaceKind.GATE: N_("Border gate"),
    PlaceKind.AUXILIARY_GATE: N_("Auxiliary gate"),
    PlaceKind.BORDER_MARKER: N_("Border marker"),
    PlaceKind.OTHER: N_("Place"),
}

COUNTRY = {
    Corridor.CHINA: N_("People's Republic of China"),
    Corridor.CAMBODIA: N_("Kingdom of Cambodia"),
    Corridor.LAO: N_("Lao People's Democratic Republic"),
    Corridor.OTHER: N_("Foreign country"),
}

FOREIGN_SIDE = {
    Corridor.CHINA: N_("Representatives of the Chinese side"),
    Corridor.CAMBODIA: N_("Representatives of the Cambodian side"),
    Corridor.LAO: N_("Representatives of the Lao side"),
    Corridor.OTHER: N_("Representatives of the foreign side"),
}

FOREIGN_SIGNATORY = {
    Corridor.CHINA: N_("FOR THE CHINESE SIDE"),
    Corridor.CAMBODIA: N_("FOR THE CAMBODIAN SIDE"),
    Corridor.LAO: N_("FOR THE LAO SIDE"),
    Corridor.OTHER: N_("FOR THE FOREIGN SIDE"),
}

DOCUMENT_KIND = {
    DocumentKind.CITIZEN_ID: N_("Citizen ID card"),
    DocumentKind.PASSPORT: N_("Passport"),
    DocumentKind.BIRTH_CERTIFICATE: N_("Birth certificate"),
    DocumentKind.TRAVEL_PAPER: N_("Travel paper"),
    DocumentKind.RETURN_CERTIFICATE: N_("Return certificate"),
    DocumentKind.FOREIGN_DOCUMENT: N_("Foreign document"),
    DocumentKind.OTHER: N_("Other document"),
}

RELATION = {
    "mother": N_("Mother"),
    "father": N_("Father"),
    "sibling": N_("Sibling"),
    "spouse": N_("Spouse"),
    "grandparent": N_("Grandparent"),
    "guardian": N_("Guardian"),
    "other": N_("Relative"),
}

LITERACY = {
    Literacy.LITERATE: N_("Can read and write"),
    Literacy.PARTIAL: N_("Reads a little"),
    Literacy.NONE: N_("Cannot read or write"),
    Literacy.UNKNOWN: N_("Not known"),
}

CONSENT_SUBJECT = {
    ConsentSubject.CHILD: N_("Child"),
    ConsentSubject.REPRESENTATIVE: N_("Legal representative"),
}

CONSENT_SCOPE = {
    ConsentScope.SERVICES: N_("Receive support services"),
    ConsentScope.SHARE_WITH_AGENCIES: N_("Share information with the agencies concerned"),
    ConsentScope.SHARE_ABROAD: N_("Share information with the foreign side"),
    ConsentScope.REPORTING: N_("Use in anonymous statistics"),
    ConsentScope.PHOTOS: N_("Take and keep photographs"),
}

VERIFICATION_KIND = {
    VerificationKind.POLICE_IDENTITY: N_("Identity and residence"),
    VerificationKind.IMMIGRATION_IDENTITY: N_("Identity (immigration)"),
    VerificationKind.NATIONALITY: N_("Nationality"),
    VerificationKind.VICTIM_STATUS: N_("Victim status"),
    VerificationKind.FAMILY_TRACING: N_("Family tracing"),
    VerificationKind.DNA_MATCH: N_("DNA match with the family"),
    VerificationKind.ENTRY_NOTICE: N_("Notice of expected entry"),
    VerificationKind.TRAVEL_DOCUMENT: N_("Travel document"),
}

VERIFICATION_OUTCOME = {
    VerificationOutcome.PENDING: N_("Pending"),
    VerificationOutcome.CONFIRMED: N_("Confirmed"),
    VerificationOutcome.REFUSED: N_("Not confirmed"),
    VerificationOutcome.INCONCLUSIVE: N_("Inconclusive"),
}

SCREENING = {
    ScreeningStatus.RETURNED_CITIZEN: N_("Returned citizen (no indicators)"),
    ScreeningStatus.UNDER_IDENTIFICATION: N_("Person undergoing victim identification"),
    ScreeningStatus.IDENTIFIED_VICTIM: N_("Identified victim"),
    ScreeningStatus.NOT_A_VICTIM: N_("Not a victim"),
}

SUPPORT = {
    SupportKind.ESSENTIAL_NEEDS: N_("Essential needs"),
    SupportKind.MEDICAL: N_("Medical support"),
    SupportKind.INTERPRETATION: N_("Interpretation"),
    SupportKind.LEGAL_INFORMATION: N_("Legal information and advice"),
    SupportKind.LEGAL_AID: N_("Legal aid"),
    SupportKind.TRAVEL: N_("Travel costs"),
    SupportKind.PSYCHOLOGICAL: N_("Psychological support"),
    SupportKind.SCHOOLING: N_("Schooling"),
    SupportKind.VOCATIONAL: N_("Vocational training and job counselling"),
    SupportKind.HARDSHIP_ALLOWANCE: N_("Initial hardship allowance and loan"),
}

SOURCE = {
    InformationSource.PHONE: N_("By telephone"),
    InformationSource.IN_PERSON: N_("In person"),
    InformationSource.THIRD_PARTY: N_("From an agency or third party"),
}

INSTRUMENT = {
    Instrument.LAW_2011: N_(
        "Law on Prevention and Combat of Human Trafficking No. 66/2011/QH12"
    ),
    Instrument.LAW_2024: N_(
        "Law on Prevention and Combat of Human Trafficking No. 53/2024/QH15"
    ),
    Instrument.JC_01_2014: N_(
        "Joint Circular No. 01/2014/TTLT-BCA-BQP-BLDTBXH-BNG guiding the Law on Prevention and "
        "Combat of Human Trafficking (verification, identification, receipt and handover of "
        "victims)"
    ),
    Instrument.DECREE_62_2012: N_(
        "Decree No. 62/2012/ND-CP on the grounds for identifying victims of trafficking and "
        "protecting their safety"
    ),
    Instrument.DECREE_09_2013: N_(
        "Decree No. 09/2013/ND-CP detailing the Law on Prevention and Combat of Human "
        "Trafficking"
    ),
    Instrument.DECREE_162_2025: N_(
        "Decree No. 162/2025/ND-CP detailing the Law on Prevention and Combat of Human "
        "Trafficking"
    ),
    Instrument.LAW_CHILDREN_2016: N_("Law on Children No. 102/2016/QH13"),
    Instrument.DECREE_56_2017: N_(
        "Decree No. 56/2017/ND-CP detailing the Law on Children"
    ),
    Instrument.DECREE_13_2023: N_("Decree No. 13/2023/ND-CP on personal data protection"),
    Instrument.PDPL_2025: N_("Law on Personal Data Protection No. 91/2025/QH15"),
    Instrument.AGREEMENT_CN: N_(
        "Agreement between the Government of the Socialist Republic of Viet Nam and the "
        "Government of the People's Republic of China on strengthening cooperation in preventing "
        "and combating human trafficking (signed 15 September 2010, in force 14 March 2011)"
    ),
    Instrument.AGREEMENT_LA: N_(
        "Agreement between the Government of the Socialist Republic of Viet Nam and the "
        "Government of the Lao People's Democratic Republic on cooperation in preventing and "
        "combating trafficking in persons and protecting victims of trafficking (signed "
        "3 November 2010, in force 19 March 2011)"
    ),
    Instrument.AGREEMENT_KH: N_(
        "Agreement between the Government of the Socialist Republic of Viet Nam and the Royal "
        "Government of Cambodia on bilateral cooperation for eliminating trafficking in women "
        "and children and assisting victims of trafficking (signed 10 October 2005, amended "
        "28 September 2012)"
    ),
    Instrument.SOP_KH: N_(
        "Standard Operating Procedures between Viet Nam and Cambodia for the identification "
        "and repatriation of trafficked victims (signed 3 December 2009)"
    ),
}
