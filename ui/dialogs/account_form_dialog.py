"""The form behind "Add account..." and "Reset password...": user name, role, password twice.

The two passwords are compared here; every other rule (length, user name in the password, a
taken name, the recovery key) is the account service's, shown in its own words when it refuses.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from repatriation.domain.actors import Role
from repatriation.domain.permissions import ACCOUNT_ROLES
from ui.labels import Labels
from ui.qt_helpers import fill_combo


@dataclass(frozen=True)
class AccountForm:
    """What the supervisor typed (passwords never in ``repr``)."""

    username: str
    display_name: str
    role: Role
    password: str = field(repr=False)
    recovery_key: str = field(default="", repr=False)


class AccountFormDialog(QDialog):
    """Add (``username`` empty) or reset the password of ``username``."""

    def __init__(
        self,
        labels: Labels,
        username: str = "",
        *,
        needs_recovery_key: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.gt = labels.gt
        self.resetting = bool(username)
        self.setWindowTitle(self.gt("Reset password") if self.resetting else self.gt("Add account"))
        self.username = QLineEdit(username, self)
        self.username.setReadOnly(self.resetting)
        self.display_name = QLineEdit(self)
        self.role = QComboBox(self)
        fill_combo(self.role, [(labels.enum(r), r) for r in ACCOUNT_ROLES], Role.BORDER_GUARD)
        self.password = QLineEdit(self)
        self.repeat = QLineEdit(self)
        self.recovery_key = QLineEdit(self)
        for secret in (self.password, self.repeat):
            secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.problem = QLabel(self)
        self.problem.setObjectName("error")
        self.problem.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.gt("User name"), self.username)
        if not self.resetting:
            form.addRow(self.gt("Full name"), self.display_name)
            form.addRow(self.gt("Role"), self.role)
        form.addRow(self.gt("New password") if self.resetting else self.gt("Password"), self.password)
        form.addRow(self.gt("Password again"), self.repeat)
        if needs_recovery_key:
            self.recovery_key.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
            form.addRow(self.gt("Recovery key"), self.recovery_key)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.check_and_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.resetting and needs_recovery_key:
            note = QLabel(self.gt(
                "A new password lets whoever knows it sign in as {username}. On this encrypted "
                "desk it also needs the recovery key, which is kept locked away."
            ).format(username=username), self)
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def check_and_accept(self) -> None:
        """Accept only when both passwords are the same (the service checks the rest)."""
        if self.password.text() != self.repeat.text():
            self.problem.setText(self.gt("The two passwords are not the same."))
            return
        self.accept()

    def form(self) -> AccountForm:
        """The answers, NFC-normalised (passwords as typed: the hasher normalises them)."""
        # Qt hands a str-based enum back as a plain str.
        role = Role(str(self.role.currentData() or Role.BORDER_GUARD))
        return AccountForm(
            username=unicodedata.normalize("NFC", self.username.text()).strip(),
            display_name=unicodedata.normalize("NFC", self.display_name.text()).strip(),
            role=role,
            password=self.password.text(),
            recovery_key=self.recovery_key.text().strip(),
        )
