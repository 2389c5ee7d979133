"""Request for verification (identity, nationality, residence, victim status, family, DNA).

JC 01/2014 arts 4-9: the Immigration Department, the police and the missions ask each other to
verify a returned person; Decree 62/2012 art. 5 lists the evidence accepted (2011 regime).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from forms.common import particulars, relative
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
from forms.vocabulary import VERIFICATION_KIND, Bilingual
from i18n import N_
from repatriation.services.form_data import NO_TEXT, VerificationRequestData

FORM_ID = "verification_request"
DATA = VerificationRequestData
SHORT_TITLE = N_("Verification request")
LEGAL_BASIS = "JC 01/2014 arts 4-9; Decree 62/2012 art. 5 (until 30 Jun 2025)"


def story(data: VerificationRequestData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the request."""
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("REQUEST FOR VERIFICATION"))
    out += bi(tr("Subject: verification of {kind}", kind=tr(VERIFICATION_KIND[data.kind])),
              BODY, BODY_OTHER)
    out.append(Spacer(1, 2 * mm))
    out.append(fields([
        (tr("To"), bi(data.to_agency, field="to_agency")),
        (tr("From"), bi(data.from_agency, field="from_agency")),
        (tr("Request reference"), text(data.request_id, field="request_id")),
    ]))
    out += legal_basis(tr, data.meta.legal_basis)
    out += section(tr("Particulars of the person to be verified"))
    out.append(particulars(tr, data.subject, "subject"))
    if data.relatives:
        out += section(tr("Family members declared"))
        for person in data.relatives:
            out += bi(relative(tr, person))
    out += section(tr("Content of the request"))
    out.append(value(data.question, field="question", blank_lines=3))
    if data.legal_reference:
        out += bi(tr("Legal reference: {reference}", reference=data.legal_reference), BODY,
                  BODY_OTHER)
    out.append(Spacer(1, 2 * mm))
    if not data.reply_due.blank:
        out += bi(tr("Please reply by {date}.", date=data.reply_due), BODY, BODY_OTHER)
    out += bi(tr("The information in this request concerns a child or a victim of trafficking "
                 "and is confidential; use it only for the verification requested."),
              BODY, BODY_OTHER)
    out.append(Spacer(1, 5 * mm))
    out.append(signature_row([(NO_TEXT, ""), (tr("HEAD OF THE REQUESTING BODY"),
                                              data.signer.full_name)], tr=tr))
    return out
