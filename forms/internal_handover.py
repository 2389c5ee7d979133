"""Internal minutes: the Border Guard gate post hands returned persons to the provincial police.

Kon Tum police procedure under JC 01/2014: after check-in at the gate, a second set of minutes
records the handover from the Border Guard to the police (foreign relations security division).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Spacer
from reportlab.platypus.flowables import Flowable

from forms.common import acknowledgements, belongings_list, officials, persons_list, place
from forms.layout import (
    BODY,
    BODY_OTHER,
    bi,
    fields,
    legal_basis,
    national_header,
    section,
    title,
    value,
)
from forms.signatures import Side, SignedList, signature_table
from forms.vocabulary import Bilingual
from i18n import N_
from repatriation.services.form_data import InternalHandoverData

FORM_ID = "internal_handover"
DATA = InternalHandoverData
SHORT_TITLE = N_("Internal handover minutes")
LEGAL_BASIS = "JC 01/2014 (Border Guard post -> provincial police)"


def story(data: InternalHandoverData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the internal minutes."""
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("MINUTES OF HANDOVER OF PERSONS RETURNED FROM ABROAD"))
    out += bi(tr("(From the Border Guard post to the provincial police)"), BODY, BODY_OTHER)
    out += legal_basis(tr, data.meta.legal_basis)
    where = place(tr, data.place)
    out += section(tr("Today, at {time}, at {place}, we, the undersigned, are:",
                      time=data.handed_at, place=where))
    out.append(fields([
        (tr("Time"), bi(data.handed_at, field="handed_at")),
        (tr("Place of handover"), bi(where, field="place")),
    ]))
    out += section(tr("A. The handing-over unit: {unit}", unit=data.from_unit))
    out.append(officials(tr, data.from_side, "from_side"))
    out += section(tr("B. The receiving unit: {unit}", unit=data.to_unit))
    out.append(officials(tr, data.to_side, "to_side"))
    sides = [Side(tr("FOR THE HANDING-OVER UNIT"), data.from_side),
             Side(tr("FOR THE RECEIVING UNIT"), data.to_side, blank=2)]

    def initials() -> Flowable:  # under each page's part of a list
        return signature_table(tr, sides, space=8 * mm, hint=False)

    out += section(tr("The two units carried out the handover and receipt of the following "
                      "{count} persons:", count=len(data.persons)))
    out.append(SignedList(persons_list(tr, data.persons), initials))
    out += section(tr("Belongings, documents and state of health at the time of handover"))
    out.append(SignedList(belongings_list(tr, data.persons), initials))
    out += section(tr("Files and documents handed over"))
    out += [value(data.files, field="files", blank_lines=2)]
    out += section(tr("Remarks"))
    out += [value(data.remarks, field="remarks")] if data.remarks.strip() else bi(tr("None"))
    out.append(Spacer(1, 3 * mm))
    out += bi(tr("These minutes are made in {count} originals of equal validity; each unit "
                 "keeps an equal number.", count=data.originals), BODY, BODY_OTHER)
    out.append(Spacer(1, 4 * mm))
    out.append(signature_table(tr, sides))
    out += section(tr("Acknowledgement by the persons handed over"))
    out.append(SignedList(acknowledgements(tr, data.persons), initials))
    return out
