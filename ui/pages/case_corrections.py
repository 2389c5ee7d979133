"""The case page's corrections: open the dialog with what the role may edit, save with the reason.

Kept beside ``case_page.py`` (which wires the buttons) so that module stays short.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from repatriation.domain.case import Case
from repatriation.domain.enums import Corridor
from repatriation.services.intake_fields import IntakeField, editable
from ui.correction_text import COUNTRIES, country_name
from ui.dialogs.correction_dialog import CorrectionDialog
from ui.dialogs.documents_dialog import DocumentsDialog
from ui.dialogs.family_dialog import FamilyDialog

if TYPE_CHECKING:
    from ui.pages.case_page import CasePage

# Corrected in the documents and family dialogs, not in the intake one.
DOCUMENT_FIELDS = frozenset({"documents", "no_documents"})
OWN_DIALOG_FIELDS = DOCUMENT_FIELDS | {"family"}


def editable_fields(page: CasePage, names: Sequence[str] | None = None) -> list[IntakeField]:
    """The correctable fields the signed-in role may edit (a field it may not see is not shown)."""
    return [spec for spec in editable(page.ctx.actor)
            if (spec.name in names if names is not None else spec.name not in OWN_DIALOG_FIELDS)]


def choices(page: CasePage) -> dict[str, Sequence[tuple[str, Any]]]:
    """Lists behind the combo boxes: ethnic groups, border gates and countries, as words."""
    ctx, labels = page.ctx, page.ctx.labels
    reference = ctx.services.reference
    groups = getattr(reference, "ethnic_groups", ())
    gates: list[tuple[str, Any]] = [(labels.gt("(none)"), None)]
    for corridor in Corridor:
        gates += [(labels.gate(g.code), g.code) for g in reference.gates_for(corridor, ctx.today())]
    return {
        "ethnic": [(f"{g.name_vi} ({g.code})", g.code) for g in groups],  # as the intake lists them
        "gate": gates,
        "country": _countries(page),
    }


def _countries(page: CasePage) -> list[tuple[str, Any]]:
    return [(country_name(code, page.ctx.labels), code) for code in COUNTRIES]


def correct_intake(page: CasePage) -> None:
    """Open the correction dialog; save the changed fields with the reason."""
    case = page.case
    if case is None:
        return
    dialog = CorrectionDialog(page.ctx.labels, case, editable_fields(page), page.ctx.today(),
                              choices(page), page)
    page.correction_dialog = dialog  # tests reach the open dialog
    if dialog.exec():
        values, reason, cases = dialog.values(), dialog.reason_text(), page.ctx.services.cases
        page.run_change(lambda: cases.correct(page.ctx.actor, case.reference, values, reason,
                                              case.revision))


def edit_documents(page: CasePage) -> None:
    """Open the documents dialog; save the list or "no papers" with the reason."""
    _edit_list(page, DOCUMENT_FIELDS, "Identity documents",
               lambda case: DocumentsDialog(page.ctx.labels, case, _countries(page), page))


def edit_family(page: CasePage) -> None:
    """Open the family dialog; save the list of relatives with the reason."""
    _edit_list(page, frozenset({"family"}), "Family",
               lambda case: FamilyDialog(page.ctx.labels, case, page))


def _edit_list(page: CasePage, names: frozenset[str], title: str,
               make: Callable[[Case], DocumentsDialog | FamilyDialog]) -> None:
    case = page.case
    if case is None:
        return
    if not editable_fields(page, sorted(names)):
        page.ctx.prompter.inform(page.ctx.gt(title), page.ctx.gt("Your role does not allow this."))
        return
    dialog = make(case)
    page.correction_dialog = dialog
    if dialog.exec():
        values, reason, cases = dialog.values(), dialog.reason_text(), page.ctx.services.cases
        page.run_change(lambda: cases.correct(page.ctx.actor, case.reference, values, reason,
                                              case.revision))
