"""Pick cases for a handover batch from those waiting for one (queried off the GUI thread)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from repatriation.domain.enums import CaseStatus, Corridor
from repatriation.services.results import CasePage, CaseQuery, CaseSort
from ui.context import AppContext

_ELIGIBLE = (CaseStatus.AWAITING_HANDOVER, CaseStatus.VERIFICATION, CaseStatus.RECEIVED)
ROLE = Qt.ItemDataRole.UserRole


class CasePickerDialog(QDialog):
    """Lists eligible cases of a corridor not already in a batch; ``chosen()`` gives references."""

    def __init__(
        self, ctx: AppContext, corridor: Corridor, exclude: Sequence[str] = (), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        _ = ctx.translator.gettext
        self.ctx = ctx
        self._exclude = set(exclude)
        self._names: dict[str, str] = {}
        self.setWindowTitle(_("Add persons to the batch"))
        self.resize(560, 480)
        self.hint = QLabel(_("Loading..."), self)
        self.list = QListWidget(self)
        self.list.setSelectionMode(QListWidget.SelectionMode.MultiSelection)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(_("Add"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self._pending = len(_ELIGIBLE)
        for status in _ELIGIBLE:
            query = CaseQuery(
                corridor=corridor, status=status, sort=CaseSort.NAME, descending=False, limit=500
            )
            ctx.tasks.run_db(
                lambda q=query: ctx.services.cases.list_cases(q, actor=ctx.actor), done=self._add, owner=self
            )

    def _add(self, page: CasePage) -> None:
        labels = self.ctx.labels
        for row in page.rows:
            if row.batch_reference or row.reference in self._exclude:
                continue
            text = f"{row.reference}  {row.full_name}  ({labels.enum(row.status)})"
            item = QListWidgetItem(text, self.list)
            item.setData(ROLE, row.reference)
            self._names[row.reference] = row.full_name
        self._pending -= 1
        if self._pending == 0:
            _ = self.ctx.translator.gettext
            self.hint.setText(
                _("Choose the persons handed over together.")
                if self.list.count()
                else _("No case is waiting.")
            )

    def name_of(self, reference: str) -> str:
        return self._names.get(reference, "")

    def chosen(self) -> list[str]:
        return [str(item.data(ROLE)) for item in self.list.selectedItems()]
