"""Report on receiving information about a child (Decree 56/2017/ND-CP, form 01).

Fields follow form 01 (domain.md section 3): receiving body, number and date, source, time,
the child, the place, where the child is now, the child's condition, likely consequences
without intervention, parents, family circumstances, current caregiver, actions already
taken, the informant (only with their consent) and the receiving officer.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from forms.common import birth, relative
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
from forms.vocabulary import SEX, SOURCE, Bilingual
from i18n import N_
from repatriation.services.form_data import NO_TEXT, IntakeReportData, Relative

FORM_ID = "intake_report"
DATA = IntakeReportData
SHORT_TITLE = N_("Intake report (form 01)")
LEGAL_BASIS = "Decree 56/2017/ND-CP, form 01; Law on Children 2016"


def _parent(tr: Bilingual, person: Relative | None) -> Flowable | list[Flowable]:
    return bi(relative(tr, person)) if person is not None else value("")


def story(data: IntakeReportData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the report."""
    child = data.child
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("REPORT ON RECEIVING INFORMATION ABOUT A CHILD"))
    out += bi(tr("(Form 01, Decree No. 56/2017/ND-CP)"), BODY, BODY_OTHER)
    out += legal_basis(tr, data.meta.legal_basis)
    out += section(tr("1. Receipt of the information"))
    out.append(fields([
        (tr("Receiving body"), bi(data.receiving_agency, field="receiving_agency")),
        (tr("Received at"), bi(data.received_at, field="received_at")),
        (tr("Source of the information"), bi(tr(SOURCE[data.source]))),
    ]))
    out += section(tr("2. The child"))
    out.append(fields([
        (tr("Full name"), text(child.full_name, field="child.full_name")),
        (tr("Date of birth or age"), bi(birth(tr, child))),
        (tr("Sex"), bi(tr(SEX[child.sex]))),
        (tr("Place where it happened"), value(data.incident_place)),
        (tr("Where the child is now"), value(data.current_location)),
        (tr("Current condition of the child"), value(data.current_condition, blank_lines=2)),
        (tr("Likely consequences without intervention"),
         value(data.likely_consequences, blank_lines=2)),
    ]))
    out += section(tr("3. Family"))
    out.append(fields([
        (tr("Father"), _parent(tr, data.father)),
        (tr("Mother"), _parent(tr, data.mother)),
        (tr("Family circumstances"), value(data.family_circumstances, blank_lines=2)),
        (tr("Current caregiver"), value(data.caregiver)),
    ]))
    out += section(tr("4. Actions already taken"))
    out.append(value(data.actions_taken, blank_lines=3))
    out += section(tr("5. Informant (only if the informant agrees to be named)"))
    informant = data.informant
    out.append(fields([
        (tr("Full name"), value(informant.full_name if informant else "")),
        (tr("Telephone"), value(informant.phone if informant else "")),
        (tr("Address"), value(informant.address if informant else "")),
    ]))
    out.append(Spacer(1, 5 * mm))
    out.append(signature_row([(NO_TEXT, ""), (tr("RECEIVING OFFICER"),
                                              data.receiving_officer.full_name)], tr=tr))
    return out
