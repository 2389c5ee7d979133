"""Sign-in: the accounts service checks passwords off the GUI thread; first run makes a supervisor."""

from __future__ import annotations

from i18n import Translator
from repatriation.domain.actors import Actor, Role
from repatriation.domain.errors import DomainError
from ui.dialogs.sign_in_dialog import SignInDialog
from ui.tasks import TaskRunner


class FakeAccounts:
    def __init__(self) -> None:
        self.users: dict[str, tuple[str, Role]] = {}

    def has_accounts(self) -> bool:
        return bool(self.users)

    def create_first_supervisor(self, username: str, password: str, display_name: str = "") -> None:
        if self.users:
            raise DomainError("accounts_exist")
        if len(password) < 12:
            raise DomainError("password_too_short")
        self.users[username] = (password, Role.SUPERVISOR)

    def authenticate(self, username: str, password: str) -> Actor:
        known = self.users.get(username)
        if known is None or known[0] != password:
            raise DomainError("bad_credentials", retry_after=0)
        return Actor(username, known[1])


def test_wrong_password_is_refused_then_right_one_signs_in(qtbot) -> None:
    accounts = FakeAccounts()
    accounts.users["lan.bp"] = ("correct horse battery", Role.BORDER_GUARD)
    runner = TaskRunner()
    dialog = SignInDialog(Translator("en"), accounts, "Post (demo)", tasks=runner)
    qtbot.addWidget(dialog)
    assert not hasattr(dialog, "role")  # roles come from the accounts, not from the officer
    dialog.username.setText("lan.bp")
    dialog.password.setText("wrong")
    dialog._try_accept()
    qtbot.waitUntil(lambda: dialog.problem.isVisibleTo(dialog) and runner.idle)
    assert dialog.problem.text() == "The user name or password is not right."
    assert dialog.password.text() == "" and dialog.actor() is None
    dialog.password.setText("correct horse battery")
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        dialog._try_accept()
    assert dialog.actor() == Actor("lan.bp", Role.BORDER_GUARD)
    runner.shutdown()


def test_first_run_creates_the_supervisor(qtbot) -> None:
    accounts = FakeAccounts()
    dialog = SignInDialog(Translator("en"), accounts, "Post (demo)", first_run=True)
    qtbot.addWidget(dialog)
    dialog.username.setText("chief")
    dialog.password.setText("long enough passphrase")
    dialog.confirm.setText("different")
    dialog._try_accept()
    assert dialog.problem.text() == "The two passwords are not the same."
    dialog.confirm.setText("long enough passphrase")
    dialog.password.setText("long enough passphrase")
    dialog._try_accept()
    assert dialog.actor() == Actor("chief", Role.SUPERVISOR)
