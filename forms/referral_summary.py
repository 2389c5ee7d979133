"""Case summary for a referral, minimised to what the receiving body needs.

Decree 56/2017 art. 33 and Law 91/2025: a child's name, family, address, health and history
are private. The summary carries identity, language, status, the support asked for and the
legal basis for sharing; never the exploitation narrative, health notes, photos or address.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from forms.common import birth
from forms.layout import (
    BODY,
    BODY_OTHER,
    bi,
    fields,
    legal_basis,
    national_header,
    section,
    signature_row,
    text,
    title,
    value,
)
from forms.vocabulary import SCREENING, SEX, SUPPORT, Bilingual
from i18n import N_
from repatriation.services.form_data import NO_TEXT, ReferralSummaryData

FORM_ID = "referral_summary"
DATA = ReferralSummaryData
SHORT_TITLE = N_("Referral summary")
LEGAL_BASIS = "Law 53/2024 art. 30; Decree 56/2017 art. 33; Law 91/2025 (minimisation)"


def story(data: ReferralSummaryData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the summary."""
    child = data.child
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("CASE SUMMARY FOR REFERRAL"))
    out += bi(tr("Minimised: this summary leaves out the account of exploitation, health "
                 "notes, photographs and the family address. Ask the sending body if more is "
                 "needed for the child's care."), BODY, BODY_OTHER)
    out.append(Spacer(1, 2 * mm))
    out.append(fields([
        (tr("To"), bi(data.to_body, field="to_body")),
        (tr("From"), bi(data.from_agency, field="from_agency")),
        (tr("Case reference"), text(data.meta.record_reference)),
        (tr("Reason for referral"), value(data.reason, field="reason", blank_lines=2)),
    ]))
    out += legal_basis(tr, data.meta.legal_basis)
    out += section(tr("The child"))
    interpreter = tr("Yes") if child.interpreter_needed else tr("No")
    out.append(fields([
        (tr("Full name"), text(child.full_name, field="child.full_name")),
        (tr("Sex"), bi(tr(SEX[child.sex]))),
        (tr("Date of birth or age"), bi(birth(tr, child))),
        (tr("Language spoken"), bi(child.preferred_language) if not child.preferred_language.blank
         else value("")),
        (tr("Interpreter needed"), bi(interpreter)),
        (tr("Identification status"), bi(tr(SCREENING[data.screening]))),
    ]))
    out += section(tr("Support already provided"))
    if data.support_provided:
        for kind in data.support_provided:
            out += bi(tr("- {item}", item=tr(SUPPORT[kind])))
    else:
        out.append(value("", blank_lines=2))
    out += section(tr("Basis for sharing this information"))
    basis = (tr("Shared without consent under the law-enforcement exemption (Law 91/2025).")
             if data.consent_exemption else
             tr("Shared with the consent of the child and the legal representative."))
    out += bi(basis, BODY, BODY_OTHER)
    out += bi(tr("Do not pass this summary on, publish it or keep it longer than the referral "
                 "requires."), BODY, BODY_OTHER)
    out += section(tr("Contact officer"))
    contact = data.contact
    out.append(value(", ".join(p for p in (contact.full_name, contact.rank, contact.unit) if p)))
    out.append(Spacer(1, 5 * mm))
    out.append(signature_row([(NO_TEXT, ""), (tr("HEAD OF THE SENDING BODY"), contact.full_name)],
                             tr=tr))
    return out
