"""Reply to a verification request: outcome and findings (JC 01/2014 arts 4-9)."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from forms.common import birth
from forms.layout import (
    BODY,
    BODY_OTHER,
    SMALL,
    Choices,
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
from forms.text import TextStyle
from forms.vocabulary import VERIFICATION_KIND, VERIFICATION_OUTCOME, Bilingual
from i18n import N_
from repatriation.domain.enums import VerificationOutcome
from repatriation.services.form_data import NO_TEXT, VerificationReplyData

FORM_ID = "verification_reply"
DATA = VerificationReplyData
SHORT_TITLE = N_("Verification reply")
LEGAL_BASIS = "JC 01/2014 arts 4-9"


def _outcomes(tr: Bilingual, chosen: VerificationOutcome) -> Flowable:
    return Choices([(tr(VERIFICATION_OUTCOME[outcome]), chosen is outcome) for outcome in (
        VerificationOutcome.CONFIRMED, VerificationOutcome.REFUSED,
        VerificationOutcome.INCONCLUSIVE)], TextStyle(8.2, bold=True), SMALL)


def story(data: VerificationReplyData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the reply."""
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("REPLY TO A REQUEST FOR VERIFICATION"))
    out += bi(tr("In reply to request No. {number} of {date}", number=data.request_number,
                 date=data.request_sent_on), BODY, BODY_OTHER)
    out.append(Spacer(1, 2 * mm))
    out.append(fields([
        (tr("To"), bi(data.to_agency, field="to_agency")),
        (tr("From"), bi(data.from_agency, field="from_agency")),
        (tr("Verification of"), bi(tr(VERIFICATION_KIND[data.kind]))),
    ]))
    out += legal_basis(tr, data.meta.legal_basis)
    out += section(tr("Person concerned"))
    out.append(fields([
        (tr("Full name"), text(data.subject.full_name, field="subject.full_name")),
        (tr("Date of birth or age"), bi(birth(tr, data.subject))),
        (tr("Address before leaving"), value(data.subject.address)),
    ]))
    out += section(tr("Outcome of the verification"))
    out.append(_outcomes(tr, data.outcome))
    out += section(tr("Findings"))
    out.append(value(data.findings, field="findings", blank_lines=4))
    if not data.received_on.blank:
        out += bi(tr("Reply dated {date}.", date=data.received_on), BODY, BODY_OTHER)
    out.append(Spacer(1, 5 * mm))
    out.append(signature_row([(NO_TEXT, ""), (tr("HEAD OF THE REPLYING BODY"),
                                              data.signer.full_name)], tr=tr))
    return out
