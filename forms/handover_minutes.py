"""Minutes of handover and receipt with the foreign side (JC 01/2014; the bilateral agreement).

Inbound: the foreign side hands persons over at a gate, auxiliary gate or border marker and
the Vietnamese side receives them. Outbound: a foreign child is handed back. Both sides sign
"in Vietnamese and <counterpart language>, of equal validity"; every label is bilingual.
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
from forms.vocabulary import COUNTRY, FOREIGN_SIDE, FOREIGN_SIGNATORY, LANGUAGE_NAME, Bilingual
from i18n import N_
from repatriation.domain.enums import HandoverDirection
from repatriation.services.form_data import BiText, HandoverMinutesData, Representative

FORM_ID = "handover_minutes"
DATA = HandoverMinutesData
SHORT_TITLE = N_("Handover minutes")
LEGAL_BASIS = "JC 01/2014; bilateral agreement (VN-CN 2010, VN-LA 2010, VN-KH 2005/2012 + SOP 2009)"


def _sides(tr: Bilingual, data: HandoverMinutesData) -> tuple[BiText, BiText]:
    vietnamese = tr("Representatives of the Vietnamese side")
    foreign = tr(FOREIGN_SIDE[data.corridor])
    return (foreign, vietnamese) if data.direction is HandoverDirection.INBOUND else (
        vietnamese, foreign)


def originals_statement(tr: Bilingual, count: int) -> BiText:
    """How many originals exist per language, all of equal validity."""
    if not tr.bilingual:
        return tr("These minutes are made in {count} originals in Vietnamese, of equal validity.",
                  count=count)
    language = tr(LANGUAGE_NAME.get(tr.language, "English"))
    return tr(
        "These minutes are made in {count} originals in Vietnamese and {count} originals in "
        "{language}; all texts are of equal validity. Each side keeps an equal number of "
        "originals in each language.",
        count=count, language=language,
    )


def story(data: HandoverMinutesData, tr: Bilingual) -> list[Flowable]:
    """The flowables of the minutes."""
    inbound = data.direction is HandoverDirection.INBOUND
    out: list[Flowable] = national_header(tr, data.meta)
    out += title(tr("MINUTES OF HANDOVER AND RECEIPT OF PERSONS RETURNED FROM ABROAD") if inbound
                 else tr("MINUTES OF HANDOVER OF PERSONS TO THE FOREIGN SIDE"))
    out += bi(tr("(Victims of trafficking or persons undergoing victim identification)"),
              BODY, BODY_OTHER)
    out += legal_basis(tr, data.meta.legal_basis)
    where = place(tr, data.place)
    out += section(tr("Today, at {time}, at {place}, we, the undersigned, are:",
                      time=data.handed_at, place=where))
    out.append(fields([
        (tr("Time"), bi(data.handed_at, field="handed_at")),
        (tr("Place of handover"), bi(where, field="place")),
        (tr("Country of the counterpart"), bi(tr(COUNTRY[data.corridor]))),
    ]))
    giver, receiver = _sides(tr, data)
    vn_prefix, foreign_prefix = "vn_side", "foreign_side"
    giving = (data.foreign_side, foreign_prefix) if inbound else (data.vn_side, vn_prefix)
    receiving = (data.vn_side, vn_prefix) if inbound else (data.foreign_side, foreign_prefix)
    out += section(tr("A. The handing-over side: {side}", side=giver))
    out.append(officials(tr, *giving))
    out += section(tr("B. The receiving side: {side}", side=receiver))
    out.append(officials(tr, *receiving))
    sides = [Side(tr("FOR THE VIETNAMESE SIDE"), data.vn_side),
             Side(tr(FOREIGN_SIGNATORY[data.corridor]), data.foreign_side, blank=2)]

    def initials() -> Flowable:  # under each page's part of a list
        return signature_table(tr, sides, space=8 * mm, hint=False)

    out += section(tr("The two sides carried out the handover and receipt of the following "
                      "{count} persons:", count=len(data.persons)))
    out.append(SignedList(persons_list(tr, data.persons), initials))
    out += section(tr("Belongings, documents and state of health at the time of handover"))
    out.append(SignedList(belongings_list(tr, data.persons), initials))
    out += section(tr("Remarks"))
    out += [value(data.remarks, field="remarks")] if data.remarks.strip() else bi(tr("None"))
    out += section(tr("Interpreter"))
    interpreter = data.interpreter or ""
    language = data.interpreter_language
    out.append(fields([
        (tr("Full name"), value(interpreter, field="interpreter")),
        (tr("Languages interpreted"), bi(language) if not language.blank else value("")),
    ]))
    out.append(Spacer(1, 3 * mm))
    out += bi(originals_statement(tr, data.originals_per_language), BODY, BODY_OTHER)
    out.append(Spacer(1, 4 * mm))
    out.append(signature_table(
        tr, [*sides, Side(tr("INTERPRETER"), (Representative(interpreter),))]))
    out += section(tr("Acknowledgement by the persons handed over"))
    out.append(SignedList(acknowledgements(tr, data.persons), initials))
    return out
