"""Import a bundle from another post: decrypt and verify, preview what changes, then apply."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from repatriation.services.results import Changes
from ui.context import AppContext
from ui.ports import BundleItem, BundleService, key_store_unlock


class ImportBundleDialog(QDialog):
    """Choose the file, read the preview, then import (all or nothing)."""

    def __init__(
        self,
        ctx: AppContext,
        bundles: BundleService,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        _ = ctx.translator.gettext
        self.ctx, self.bundles = ctx, bundles
        self.path: Path | None = None
        self.changes: Changes | None = None
        self.setWindowTitle(_("Import bundle"))
        self.resize(620, 460)
        self.file_label = QLabel(_("No file chosen."), self)
        self.choose_button = QPushButton(_("Choose file..."), self)
        self.items = QListWidget(self)
        self.buttons = QDialogButtonBox(self)
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self.choose)
        self.import_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.choose_button)
        layout.addWidget(QLabel(_("What the import will change:"), self))
        layout.addWidget(self.items, 1)
        layout.addWidget(self.buttons)

    def choose(self) -> None:
        _ = self.ctx.translator.gettext
        path = self.ctx.prompter.open_file(_("Choose a bundle"), _("Bundles (*.rdbundle)"))
        if path is None:
            return
        unlock = key_store_unlock(self.bundles, self.ctx.prompter, self.ctx.translator.gettext)
        if unlock is None:
            return
        self.path = path
        self.file_label.setText(path.name)
        actor, bundles = self.ctx.actor, self.bundles

        def work() -> list[BundleItem]:
            unlock()
            return list(bundles.preview_import(actor, path))

        self.items.clear()
        self.import_button.setEnabled(False)
        self.ctx.tasks.run_db(
            work,
            done=self._show,
            error=self._failed,
            label=_("Checking the bundle"),
            owner=self,
        )

    def _show(self, items: Sequence[BundleItem]) -> None:
        self.items.clear()
        for item in items:
            self.items.addItem(item.label + (f" - {item.detail}" if item.detail else ""))
        self.import_button.setEnabled(bool(items))

    def apply(self) -> None:
        if self.path is None:
            return
        path, actor = self.path, self.ctx.actor
        self.import_button.setEnabled(False)
        self.ctx.tasks.run_db(
            lambda progress: self.bundles.import_bundle(actor, path, progress),
            done=self._done,
            error=self._failed,
            changes=lambda changes: changes,
            with_progress=True,
            cancellable=True,
            label=self.ctx.translator.gettext("Importing the bundle"),
            owner=self,
        )

    def _done(self, changes: Changes) -> None:
        self.changes = changes
        self.accept()
        count = len(changes.cases)
        self.ctx.prompter.inform(
            self.ctx.translator.gettext("Import bundle"),
            self.ctx.translator.ngettext(
                "The bundle was imported: {count} case added or updated.",
                "The bundle was imported: {count} cases added or updated.",
                count,
            ).format(count=count),
        )

    def _failed(self, error: BaseException) -> None:
        self.import_button.setEnabled(bool(self.items.count()))
        self.ctx.show_error(error)
