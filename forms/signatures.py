"""Signatures of both sides: a block per official, and on every page a list of persons spans.

Bilateral minutes are signed by every official present, not by one per side, and a sheet of a
long list that carries no signature can be swapped. So the signature table follows each page's
part of a list (:class:`SignedList`), and the full blocks close the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table
from reportlab.platypus.flowables import Flowable

from forms.layout import CENTER_BOLD, CENTER_OTHER, CENTER_SMALL, PAGE_WIDTH_USABLE, bi, plain, text
from forms.vocabulary import Bilingual
from repatriation.services.form_data import BiText, Representative

GAP = 2 * mm


@dataclass(frozen=True)
class Side:
    """One side of a signed document: its heading and the people who sign for it."""

    title: BiText
    signers: tuple[Representative, ...]
    blank: int = 1  # signature places to leave when nobody is recorded (written in by hand)


def _block(tr: Bilingual, side: Side, space: float, hint: bool) -> list[Flowable]:
    cell: list[Flowable] = [*bi(side.title, CENTER_BOLD, CENTER_OTHER)]
    if hint:
        cell += bi(tr("(Signature, full name and seal)"), CENTER_SMALL, CENTER_SMALL)
    people = side.signers or tuple(Representative("") for _ in range(side.blank))
    for person in people:
        cell += [Spacer(1, space), text(person.full_name or " ", CENTER_BOLD)]
        if person.rank and space > 12 * mm:
            cell.append(text(person.rank, CENTER_SMALL))
    return cell


def signature_table(tr: Bilingual, sides: Sequence[Side], space: float = 20 * mm,
                    hint: bool = True) -> Table:
    """Side by side, a column per side, a signature place per official of that side."""
    width = PAGE_WIDTH_USABLE / max(1, len(sides))
    return plain([[_block(tr, side, space, hint) for side in sides]], [width] * len(sides))


class SignedList(Flowable):  # type: ignore[misc]  # ReportLab ships no type hints
    """A list table followed, on every page it spans, by the signatures of both sides."""

    def __init__(self, table: Table, signatures: Callable[[], Flowable]) -> None:
        super().__init__()
        self.table = table
        self.signatures = signatures
        self._signed: Flowable | None = None
        self._listed = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """The table's height plus the signatures'."""
        self._signed = self.signatures()
        _, signed = self._signed.wrap(availWidth, availHeight)
        _, self._listed = self.table.wrap(availWidth, availHeight)
        self.width, self.height = availWidth, self._listed + GAP + signed
        return availWidth, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        """The rows that fit above the signatures, the signatures, then the rest (signed too)."""
        signed = self.signatures()
        _, height = signed.wrap(availWidth, availHeight)
        parts = self.table.split(availWidth, availHeight - height - GAP)
        if not parts:
            return []
        first, *rest = parts
        out: list[Flowable] = [first, Spacer(1, GAP), signed]
        return out + [SignedList(part, self.signatures) for part in rest]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        """The table at the top, the signatures under it."""
        assert self._signed is not None
        self.table.drawOn(canvas, x, y + self.height - self._listed)
        self._signed.drawOn(canvas, x, y)


class ThumbprintBox(Flowable):  # type: ignore[misc]
    """A person's cell for a signature or mark on the left and a framed thumbprint on the right."""

    def __init__(self, width: float = 17 * mm, height: float = 20 * mm) -> None:
        super().__init__()
        self.box_width, self.box_height = width, height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """The cell's width, the frame's height."""
        self.width, self.height = availWidth, self.box_height
        return availWidth, self.height

    def draw(self) -> None:
        """The frame, flush with the cell's right edge."""
        canvas = self.canv
        canvas.setLineWidth(0.6)
        canvas.setStrokeColorRGB(0.1, 0.1, 0.1)
        canvas.rect(self.width - self.box_width, 0, self.box_width, self.box_height)
