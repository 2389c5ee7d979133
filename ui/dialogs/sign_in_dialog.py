"""Sign in: who is at the desk (every action is audited under this name).

The accounts service checks the password; on a desk with no account yet the same dialog creates
the first supervisor. The role is the account's: nobody states their own.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from i18n import Translator
from repatriation.domain.actors import Actor
from repatriation.domain.errors import DomainError
from ui.dialogs.form_dialog import FormDialog
from ui.error_text import describe_error
from ui.ports import Authenticator
from ui.qt_helpers import text_of
from ui.tasks import TaskRunner


class SignInDialog(FormDialog):
    """Returns the signed-in ``Actor`` through ``actor()`` after ``exec()`` accepted."""

    def __init__(
        self,
        translator: Translator,
        authenticator: Authenticator,
        post_name: str,
        parent: QWidget | None = None,
        *,
        first_run: bool = False,
        tasks: TaskRunner | None = None,
    ) -> None:
        title = (
            translator.gettext("Create the first supervisor") if first_run else translator.gettext("Sign in")
        )
        super().__init__(translator, title, parent)
        self._auth = authenticator
        self._tasks = tasks
        self._actor: Actor | None = None
        self.first_run = first_run
        self.ok_button.setText(self.gt("Create and sign in") if first_run else self.gt("Sign in"))
        post = QLabel(post_name, self)
        post.setWordWrap(True)
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.add_row(self.gt("Post"), post)
        self.add_row(self.gt("User name"), self.username)
        self.add_row(self.gt("Password"), self.password)
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.display_name = QLineEdit(self)
        if first_run:
            self.add_row(self.gt("Password again"), self.confirm)
            self.add_row(self.gt("Full name"), self.display_name)
            self._note(self.gt("No account exists on this desk yet: this first account is a supervisor."))
        else:
            self.confirm.hide()  # only a first run asks twice (outside any layout otherwise)
            self.display_name.hide()
        self.username.setFocus()

    def _note(self, text: str) -> None:
        note = QLabel(text, self)
        note.setWordWrap(True)
        self.add_row("", note)

    def check(self) -> str:
        if not text_of(self.username.text()):
            return self.gt("Enter your user name.")
        if self.first_run and self.password.text() != self.confirm.text():
            return describe_error(DomainError("passwords_differ"), self.tr_).message
        return ""

    def _sign_in(self, username: str, password: str, display_name: str) -> Actor:
        if self.first_run:
            accounts: Any = self._auth
            accounts.create_first_supervisor(username, password, display_name)
        return self._auth.authenticate(username, password)

    def _try_accept(self) -> None:
        message = self.check()
        if message:
            self._refuse(message)
            return
        args = (text_of(self.username.text()), self.password.text(), text_of(self.display_name.text()))
        if self._tasks is None:
            try:
                self._signed_in(self._sign_in(*args))
            except DomainError as exc:
                self._failed(exc)
            return
        # The password check is deliberately slow (Argon2id) and reads the database: off the GUI.
        self.ok_button.setEnabled(False)
        self._tasks.run_db(lambda: self._sign_in(*args), done=self._signed_in, error=self._failed, owner=self)

    def _signed_in(self, actor: Actor) -> None:
        self._actor = actor
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.password.clear()
        self.confirm.clear()
        self._refuse(describe_error(error, self.tr_).message)

    def _refuse(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def actor(self) -> Actor | None:
        return self._actor
