"""Base of the small record dialogs: a form of labelled fields, a problem line, OK and Cancel."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from i18n import Translator


class FormDialog(QDialog):
    """Subclasses add fields with ``add_row`` and override ``check`` and their result accessor."""

    def __init__(self, translator: Translator, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tr_ = translator
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.buttons = QDialogButtonBox(self)
        self.ok_button = self.buttons.addButton(
            translator.gettext("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(translator.gettext("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self._try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

    def gt(self, message: str) -> str:
        return self.tr_.gettext(message)

    def add_row(self, label: str, widget: QWidget) -> QWidget:
        self.form.addRow(label, widget)
        return widget

    def check(self) -> str:
        """A sentence saying what is missing, or '' when the form can be saved."""
        return ""

    def _try_accept(self) -> None:
        message = self.check()
        if message:
            self.problem.setText(message)
            self.problem.show()
            return
        self.accept()
