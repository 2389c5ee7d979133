"""Blocks several forms share: person particulars, lists of persons, acknowledgements."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import mm
from reportlab.platypus.flowables import Flowable

from forms.layout import (
    BODY,
    CENTER_SMALL,
    PAGE_WIDTH_USABLE,
    acknowledgement_cell,
    bi,
    fields,
    grid,
    header_cell,
    method_choices,
    text,
    value,
)
from forms.signatures import ThumbprintBox
from forms.vocabulary import DOCUMENT_KIND, LITERACY, PLACE_KIND, RELATION, SEX, Bilingual
from repatriation.services.form_data import (
    BiText,
    HandedPerson,
    Particular,
    PersonData,
    Place,
    Relative,
    Representative,
)


def birth(tr: Bilingual, person: PersonData) -> BiText:
    """Date of birth, or the (estimated) age when no date is known."""
    if not person.date_of_birth.blank:
        return person.date_of_birth
    if person.age is not None and person.age_estimated:
        return tr("About {age} years old (estimated)", age=person.age)
    if person.age is not None:
        return tr("{age} years old", age=person.age)
    return tr("Unknown")


def document(tr: Bilingual, person: PersonData) -> BiText:
    """Kind and number of every identity document recorded, or that there are none, or nothing."""
    if person.document_kind is None and not person.document_number:
        # "No papers" was asked and recorded; a blank list alone only means nobody asked yet.
        return tr("No papers") if person.no_documents else tr("Not recorded")
    papers = ((person.document_kind, person.document_number),
              *((paper.kind, paper.number) for paper in person.other_documents))
    vi, other = [], []
    for kind_code, number in papers:
        kind = tr(DOCUMENT_KIND[kind_code]) if kind_code else BiText("")
        vi.append(f"{kind.vi} {number}".strip())
        other.append(f"{kind.other or kind.vi} {number}".strip())
    return BiText("; ".join(vi), "; ".join(other) if tr.bilingual else "")


def place(tr: Bilingual, where: Place) -> BiText:
    """"Border gate: Lào Cai" style wording of a handover place (with a marker number)."""
    detail = f" ({where.detail})" if where.detail else ""
    name = BiText(where.name.vi + detail, (where.name.other or where.name.vi) + detail)
    return tr("{kind}: {name}", kind=tr(PLACE_KIND[where.kind]), name=name)


def relative(tr: Bilingual, person: Relative | None) -> BiText:
    """"Mother: Lò Thị Mai, born 1985, farmer" in both languages."""
    if person is None:
        return BiText("")
    relation = tr(RELATION.get(person.relation, RELATION["other"]))
    born = tr("born {year}", year=person.birth_year) if person.birth_year else BiText("")

    def line(name: str, year: str) -> str:
        return f"{name}: " + ", ".join(p for p in (person.full_name, year, person.occupation) if p)

    return BiText(line(relation.vi, born.vi),
                  line(relation.other, born.other) if relation.other else "")


def officials(tr: Bilingual, people: Sequence[Representative], prefix: str) -> Flowable:
    """Table of representatives: full name, rank, unit."""
    rows: list[list[object]] = [[
        header_cell(tr("No.")), header_cell(tr("Full name")), header_cell(tr("Rank / position")),
        header_cell(tr("Unit")),
    ]]
    for index, person in enumerate(people, start=1):
        rows.append([
            text(str(index)), text(person.full_name, field=f"{prefix}[{index - 1}].full_name"),
            value(person.rank), value(person.unit),
        ])
    if not people:  # written in by hand at the gate
        rows += [[text(str(i)), value(""), value(""), value("")] for i in (1, 2)]
    width = PAGE_WIDTH_USABLE
    return grid(rows, [9 * mm, width * 0.33, width * 0.25, width - 9 * mm - width * 0.58],
                header_rows=1)


def persons_list(tr: Bilingual, persons: Sequence[HandedPerson]) -> Flowable:
    """Persons handed over: name, sex, birth or age, address, document (header repeats)."""
    rows: list[list[object]] = [[
        header_cell(tr("No.")), header_cell(tr("Full name")), header_cell(tr("Sex")),
        header_cell(tr("Date of birth or age")), header_cell(tr("Nationality")),
        header_cell(tr("Address")), header_cell(tr("Identity document")),
    ]]
    for index, handed in enumerate(persons, start=1):
        person = handed.person
        path = f"persons[{index - 1}].person"
        rows.append([
            text(str(index)),
            [text(person.full_name, field=f"{path}.full_name"),
             *([text(" / ".join(person.aliases), CENTER_SMALL)] if person.aliases else [])],
            bi(tr(SEX[person.sex])), bi(birth(tr, person)),
            bi(person.nationality) if not person.nationality.blank else value(""),
            value(person.address, field=f"{path}.address"), bi(document(tr, person)),
        ])
    return grid(rows, [8 * mm, 42 * mm, 14 * mm, 23 * mm, 22 * mm, 36 * mm, 35 * mm],
                header_rows=1)


def belongings_list(tr: Bilingual, persons: Sequence[HandedPerson]) -> Flowable:
    """Belongings, documents and health state handed over with each person."""
    rows: list[list[object]] = [[
        header_cell(tr("No.")), header_cell(tr("Full name")),
        header_cell(tr("Belongings")), header_cell(tr("Documents handed over")),
        header_cell(tr("State of health")),
    ]]
    for index, handed in enumerate(persons, start=1):
        rows.append([
            text(str(index)), text(handed.person.full_name),
            value(handed.belongings or "-"), value(handed.documents or "-"),
            value(handed.health or "-"),
        ])
    return grid(rows, [8 * mm, 38 * mm, 45 * mm, 45 * mm, 44 * mm], header_rows=1)


def acknowledgements(tr: Bilingual, persons: Sequence[HandedPerson]) -> Flowable:
    """Each person's acknowledgement: signature, mark or thumbprint, and its witness."""
    rows: list[list[object]] = [[
        header_cell(tr("No.")), header_cell(tr("Full name")), header_cell(tr("Acknowledged by")),
        header_cell(tr("Signature, mark or thumbprint")), header_cell(tr("Witness")),
    ]]
    for index, handed in enumerate(persons, start=1):
        rows.append([
            text(str(index)), text(handed.person.full_name), method_choices(tr, handed.signature),
            ThumbprintBox(), acknowledgement_cell(tr, handed.signature),
        ])
    return grid(rows, [8 * mm, 38 * mm, 40 * mm, 48 * mm, 46 * mm], header_rows=1)


def particulars(tr: Bilingual, person: PersonData, prefix: str,
                extended: bool = True) -> Flowable:
    """Label/value table of one person's particulars."""
    items: list[tuple[BiText, Flowable | list[Flowable]]] = [
        (tr("Full name"), text(person.full_name, BODY, field=f"{prefix}.full_name")),
    ]
    if person.aliases:
        items.append((tr("Other names"), text(", ".join(person.aliases))))
    items += [
        (tr("Sex"), bi(tr(SEX[person.sex]))),
        (tr("Date of birth or age"), bi(birth(tr, person))),
    ]
    if extended:
        items += [
            (tr("Ethnic group"), bi(person.ethnicity) if not person.ethnicity.blank
             else value("")),
            (tr("Nationality"), bi(person.nationality) if not person.nationality.blank
             else value("")),
            (tr("Place of birth"), value(person.place_of_birth)),
            (tr("Address before leaving"), value(person.address, field=f"{prefix}.address")),
            (tr("Identity document"), bi(document(tr, person))),
            (tr("Language spoken"), bi(person.preferred_language)
             if not person.preferred_language.blank else value("")),
            (tr("Reading and writing"), bi(tr(LITERACY[person.literacy]))),
        ]
    items += [(label(tr, extra.label), bi(answer(tr, extra))) for extra in person.particulars]
    return fields(items)


def label(tr: Bilingual, msgid: str) -> BiText:
    """A registry label (a "messages" msgid, lower case) as a form's row title."""
    words = tr(msgid)
    return BiText(words.vi[:1].upper() + words.vi[1:], words.other[:1].upper() + words.other[1:])


def answer(tr: Bilingual, extra: Particular) -> BiText:
    """An added field's value: its text, or Yes / No."""
    if extra.yes is None:
        return extra.value
    return tr("Yes") if extra.yes else tr("No")
