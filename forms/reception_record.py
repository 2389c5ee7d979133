"""Reception record: a reception facility acknowledges receipt of a child; consents recorded.

Law 53/2024 art. 30: the child is received by a social assistance or victim support facility.
Decree 56/2017 art. 33 and Law 91/2025 art. 24: a child aged 7 or over consents alongside the
legal representative; silence is not consent, and consent can be withdrawn.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from forms.common import particulars
from forms.layout import (
    BODY,
    BODY_OTHER,
    SMALL,
    Choices,
    acknowledgement_cell,
    bi,
    fields,
    grid,
    header_cell,
    legal_basis,
    method_choices,
    national_header,
    section,
    signature_row,
    text,
    title,
    value,
)
from forms.signatures import ThumbprintBox
from forms.text import TextStyle
from forms.vocabulary import CONSENT_SCOPE, Bilingual
from i18n import N_
from repatriation.domain.enums import ConsentScope, ConsentSubject
from repatriation.services.form_data import ConsentLine, ReceptionRecordData, Signature

FORM_ID = "reception_record"
DATA = ReceptionRecordData
SHORT_TITLE = N_("Reception record")
LEGAL_BASIS = "Law 53/2024 art. 30; Decree 56/2017 art. 33; Law 91/2025 art. 24 (consent)"


def _choice(tr: Bilingual, line: ConsentLine | None) -> Flowable | list[Flowable]:
    if line is not None and line.exemption:
        return bi(tr("Not needed: legal exemption"), TextStyle(7.4), SMALL)
    return Choices([(tr("Agrees"), line is not None and line.given),
                    (tr("Does not agree"), line is not None and not line.given)])


def consent_table(tr: Bilingual, consents: tuple[ConsentLine, ...]) -> Flowable:
    """Scope by scope: the child's and the representative's answer (boxes left to tick)."""
    def find(scope: ConsentScope, subject: ConsentSubject) -> ConsentLine | None:
        matches = [c for c in consents if c.scope is scope and c.subject is subject]
        return matches[-1] if matches else None

    rows: list[list[object]] = [[
        header_cell(tr("Purpose")), header_cell(tr("Child (aged 7 or over)")),
        header_cell(tr("Legal representative")),
    ]]
    for scope in ConsentScope:
        rows.append([
            bi(tr(CONSENT_SCOPE[scope])),
            _choice(tr, find(scope, ConsentSubject.CHILD)),
            _choice(tr, find(scope, ConsentSubject.REPRESENTATIVE)),
        ])
    return grid(rows, [84 * mm, 48 * mm, 48 * mm], header_rows=1)


def _acknowledgement(tr: Bilingual, who: Signature, role: str) -> list[object]:
    return [
        [*bi(tr(role), TextStyle(8, bold=True), SMALL), text(who.name or " ")],
        method_choices(tr, who), ThumbprintBox(), acknowledgement_cell(tr, who),
    ]


def story(data: ReceptionRecordData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the reception record."""
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("RECORD OF RECEPTION OF A CHILD"))
    out += legal_basis(tr, data.meta.legal_basis)
    out += section(tr("Reception"))
    officer = data.delivering_officer
    receiver = data.receiving_officer
    out.append(fields([
        (tr("Time of arrival"), bi(data.arrived_at, field="arrived_at")),
        (tr("Receiving facility"), bi(data.facility, field="facility")),
        (tr("Delivered by (unit)"), bi(data.delivered_by, field="delivered_by")),
        (tr("Delivering officer"), value(", ".join(p for p in (officer.full_name, officer.rank)
                                               if p))),
        (tr("Receiving officer"), value(", ".join(p for p in (receiver.full_name, receiver.rank)
                                              if p), field="receiving_officer.full_name")),
    ]))
    out += section(tr("Particulars of the child"))
    out.append(particulars(tr, data.child, "child"))
    out += section(tr("Belongings and state of health on arrival"))
    out.append(fields([
        (tr("Belongings"), value(data.belongings, field="belongings", blank_lines=2)),
        (tr("State of health"), value(data.health_on_arrival, blank_lines=2)),
    ]))
    out += section(tr("Consent"))
    out += bi(tr(
        "The child and the legal representative were told, in a language they understand, what "
        "is recorded, who it may be shared with and why, and that consent may be withdrawn at "
        "any time. Silence is not consent."), BODY, BODY_OTHER)
    out.append(Spacer(1, 2 * mm))
    out.append(consent_table(tr, data.consents))
    out += section(tr("Acknowledgement"))
    rows: list[list[object]] = [[
        header_cell(tr("Person")), header_cell(tr("Acknowledged by")),
        header_cell(tr("Signature, mark or thumbprint")), header_cell(tr("Witness")),
    ], _acknowledgement(tr, data.child_signature, "Child")]
    if data.representative is not None:
        rows.append(_acknowledgement(tr, data.representative, "Legal representative"))
    out.append(grid(rows, [44 * mm, 40 * mm, 50 * mm, 46 * mm], header_rows=1))
    out.append(Spacer(1, 5 * mm))
    out.append(signature_row([
        (tr("DELIVERING OFFICER"), officer.full_name),
        (tr("RECEIVING OFFICER"), receiver.full_name),
    ], tr=tr))
    return out
