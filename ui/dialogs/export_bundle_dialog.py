"""Export cases to another post as an encrypted bundle, showing exactly what goes in first."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from ui.context import AppContext
from ui.ports import BundleItem, BundleService, Progress, key_store_unlock


class ExportBundleDialog(QDialog):
    """Choose the receiving post, read the list of what is included, then export."""

    def __init__(
        self,
        ctx: AppContext,
        bundles: BundleService,
        case_refs: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        _ = ctx.translator.gettext
        self.ctx, self.bundles, self.case_refs = ctx, bundles, list(case_refs)
        self.exported: Path | None = None
        self.setWindowTitle(_("Export bundle"))
        self.resize(620, 460)
        self.recipient = QComboBox(self)
        for recipient_id, label in bundles.recipients():
            self.recipient.addItem(label, recipient_id)
        self.items = QListWidget(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(_("Export..."), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(_("Send to"), self.recipient)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("What the bundle will contain:"), self))
        layout.addWidget(self.items, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.recipient.currentIndexChanged.connect(self.plan)
        self.export_button.setEnabled(False)
        if self.recipient.count() == 0:
            self.note.setText(_("No receiving post is known yet: import its public key first."))
        else:
            self.plan()

    def plan(self) -> None:
        """Ask the service what the chosen recipient would get (off the GUI thread)."""
        recipient, actor = str(self.recipient.currentData()), self.ctx.actor
        self.export_button.setEnabled(False)
        self.ctx.tasks.run_db(
            lambda: list(self.bundles.plan_export(actor, self.case_refs, recipient)),
            done=self._show,
            owner=self,
        )

    def _show(self, items: list[BundleItem]) -> None:
        self.items.clear()
        for item in items:
            mark = "\u2713" if item.included else "\u2717"
            self.items.addItem(f"{mark} {item.label}" + (f" - {item.detail}" if item.detail else ""))
        self.export_button.setEnabled(bool(items))

    def export(self) -> None:
        _ = self.ctx.translator.gettext
        target = self.ctx.prompter.save_file(
            _("Save the bundle"), "cases.rdbundle", _("Bundles (*.rdbundle)")
        )
        if target is None:
            return
        unlock = key_store_unlock(self.bundles, self.ctx.prompter, self.ctx.translator.gettext)
        if unlock is None:
            return
        recipient, actor, bundles = str(self.recipient.currentData()), self.ctx.actor, self.bundles

        def work(progress: Progress) -> Path:
            unlock()
            return bundles.export(actor, self.case_refs, recipient, target, progress)

        self.export_button.setEnabled(False)
        self.ctx.tasks.run_db(
            work,
            done=self._done,
            error=self._failed,
            with_progress=True,
            cancellable=True,
            label=_("Exporting the bundle"),
            owner=self,
        )

    def _done(self, path: Path) -> None:
        self.exported = path
        self.accept()
        self.ctx.prompter.inform(
            self.ctx.translator.gettext("Export bundle"),
            self.ctx.translator.gettext("The bundle was saved to {path}.").format(path=str(path)),
        )

    def _failed(self, error: BaseException) -> None:
        self.export_button.setEnabled(True)
        self.ctx.show_error(error)
