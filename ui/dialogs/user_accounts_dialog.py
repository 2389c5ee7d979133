"""User accounts for supervisors: list with last sign-in, add, disable (confirmed), enable, reset.

Every read and change is the account service's, on the database worker. On an encrypted desk
disabling also removes the person's key slot and changes the database key (their password then
opens nothing, not even with an old copy of the key file), and a password reset also asks for
the recovery key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from i18n.formatting import format_datetime
from repatriation.domain.account_policy import UserInfo
from repatriation.services.accounts import AccountService
from ui.context import AppContext
from ui.dialogs.account_form_dialog import AccountForm, AccountFormDialog
from ui.qt_helpers import fill_table, list_table, selected_index


class UserAccountsDialog(QDialog):
    """Lists the accounts; the buttons act on the selected one."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.gt = ctx.translator.gettext
        self.accounts: AccountService = ctx.services.accounts
        self.rows: list[UserInfo] = []
        self.setWindowTitle(self.gt("User accounts"))
        self.resize(900, 420)
        intro = QLabel(self.gt(
            "Each officer signs in with their own account; the role decides what they see. "
            "Disable the account of someone who leaves the post."), self)
        intro.setWordWrap(True)
        self.table = list_table([
            self.gt("User name"), self.gt("Full name"), self.gt("Role"), self.gt("Status"),
            self.gt("Failed sign-ins"), self.gt("Last sign-in")], 1, self)
        self.table.itemSelectionChanged.connect(self._enable)
        self.add_button = QPushButton(self.gt("Add account..."), self)
        self.disable_button = QPushButton(self.gt("Disable..."), self)
        self.enable_button = QPushButton(self.gt("Enable"), self)
        self.reset_button = QPushButton(self.gt("Reset password..."), self)
        close = QPushButton(self.gt("Close"), self)
        self.add_button.clicked.connect(self.add)
        self.disable_button.clicked.connect(self.disable)
        self.enable_button.clicked.connect(self.enable)
        self.reset_button.clicked.connect(self.reset)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.disable_button, self.enable_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.refresh()

    # -- showing --------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the accounts (on the database worker)."""
        actor = self.ctx.actor
        self.ctx.tasks.run_db(lambda: self.accounts.list_users(actor), done=self._show, owner=self)

    def _when(self, moment: datetime | None) -> str:
        return format_datetime(moment, self.ctx.translator.language) if moment else self.gt("Never")

    def _show(self, rows: Sequence[UserInfo]) -> None:
        self.rows = list(rows)
        labels = self.ctx.labels
        fill_table(self.table, (
            (r.username, r.display_name, labels.enum(r.role),
             self.gt("Disabled") if r.disabled else self.gt("Active"),
             str(r.failed_attempts), self._when(r.last_login_at))
            for r in self.rows))
        self._enable()

    def selected(self) -> UserInfo | None:
        """The selected account, if any."""
        index = selected_index(self.table)
        return None if index is None else self.rows[index]

    def select(self, username: str) -> None:
        """Select the row of ``username``."""
        for index, row in enumerate(self.rows):
            if row.username == username:
                self.table.selectRow(index)

    def _enable(self) -> None:
        row = self.selected()
        mine = row is not None and row.username == self.ctx.actor.username
        self.disable_button.setEnabled(row is not None and not row.disabled and not mine)
        self.enable_button.setEnabled(row is not None and row.disabled)
        self.reset_button.setEnabled(row is not None)

    # -- changing -------------------------------------------------------------------------------

    def _form(self, username: str = "") -> AccountForm | None:
        needs_key = bool(username) and self.accounts.reset_needs_recovery_key
        dialog = AccountFormDialog(self.ctx.labels, username, needs_recovery_key=needs_key, parent=self)
        return dialog.form() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def add(self) -> None:
        """Ask for the new account and create it."""
        form = self._form()
        if form is not None:
            actor = self.ctx.actor
            self._change(lambda: self.accounts.create_user(
                actor, form.username, form.role, form.password, form.display_name))

    def disable(self) -> None:
        """After confirmation, disable the selected account (and revoke its key)."""
        row = self.selected()
        if row is None or not self.ctx.prompter.confirm(self.gt("Disable an account"), self.gt(
                "Disable the account {username}? They can no longer sign in. On an encrypted "
                "desk their key is removed and the database key is changed, which can take a "
                "moment. To let them back in, enable the account and give it a new password."
                ).format(username=row.username), ok_label=self.gt("Disable")):
            return
        actor, name = self.ctx.actor, row.username
        self._change(lambda: self.accounts.disable_user(actor, name))

    def enable(self) -> None:
        """Enable the selected account (on an encrypted desk it then needs a new password)."""
        row = self.selected()
        if row is not None:
            actor, name = self.ctx.actor, row.username
            self._change(lambda: self.accounts.enable_user(actor, name))

    def reset(self) -> None:
        """Give the selected account a new password (with the recovery key on encrypted desks)."""
        row = self.selected()
        form = self._form(row.username) if row is not None else None
        if row is not None and form is not None:
            actor, name = self.ctx.actor, row.username
            self._change(lambda: self.accounts.reset_password(
                actor, name, form.password, form.recovery_key or None))

    def _change(self, work: Callable[[], UserInfo]) -> None:
        def done(info: UserInfo) -> None:
            self.changed.emit()
            self.refresh()
            self.select(info.username)

        self.ctx.tasks.run_db(work, done=done, owner=self)
