"""User accounts in the desk on a real encrypted data directory: add, disable, enable, reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget

from i18n import Translator
from repatriation import bootstrap as bootstrap_module
from repatriation.bootstrap import build_services
from repatriation.config import Settings
from repatriation.crypto.passwords import Argon2Params, Argon2PasswordHasher
from repatriation.domain.actors import Actor, Role
from repatriation.first_run import first_supervisor_step
from repatriation.vault import PasswordCredentials, Vault, VaultError
from tests.ui.conftest import on_next_dialog, wait_idle
from tests.ui.fakes import FakePrompter
from tests.vault.helpers import FAST_KDF, PASSWORD
from ui.context import AppContext
from ui.dialogs.account_form_dialog import AccountFormDialog
from ui.dialogs.user_accounts_dialog import UserAccountsDialog
from ui.pages.settings_page import SettingsPage
from ui.qt_helpers import set_combo_value
from ui.tasks import TaskRunner

CHIEF = Actor("chief", Role.SUPERVISOR)
AN_PW = "liaison passphrase 2"


@pytest.fixture
def desk(qapp: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[AppContext, str]]:
    floor = Argon2Params(19 * 1024, 2, 1)
    monkeypatch.setattr(bootstrap_module, "password_hasher", lambda: Argon2PasswordHasher(floor))
    settings = Settings(data_dir=tmp_path / "desk")
    recovery = Vault(settings.data_dir).setup(
        "chief", PASSWORD, kdf=FAST_KDF,
        prepare=first_supervisor_step(settings, "chief", PASSWORD, build=build_services),
    ).recovery_key
    services = build_services(settings, credentials=PasswordCredentials("chief", PASSWORD))
    services.accounts.authenticate("chief", PASSWORD)  # a last sign-in to show
    runner = TaskRunner()
    ctx = AppContext(services=services, tasks=runner, prompter=FakePrompter(),
                     translator=Translator("en"), actor=CHIEF)
    yield ctx, recovery
    runner.shutdown()
    services.close()


def _fill(username: str, password: str, repeat: str, recovery_key: str = "") -> object:
    def fill(widget: QWidget) -> None:
        assert isinstance(widget, AccountFormDialog)
        if not widget.resetting:
            widget.username.setText(username)
            widget.display_name.setText("Lò Thị An (demo)")
            set_combo_value(widget.role, Role.LIAISON)
        widget.password.setText(password)
        widget.repeat.setText(repeat)
        widget.recovery_key.setText(recovery_key)
        widget.check_and_accept()
        if widget.isVisible():  # refused here (passwords differ): the officer cancels
            assert widget.problem.text() == "The two passwords are not the same."
            widget.reject()

    return fill


def _column(dialog: UserAccountsDialog, column: int) -> list[str]:
    return [dialog.table.item(i, column).text() for i in range(dialog.table.rowCount())]


def test_a_supervisor_manages_accounts_through_the_desk(qtbot, desk: tuple[AppContext, str]) -> None:
    ctx, recovery = desk
    prompter = ctx.prompter
    assert isinstance(prompter, FakePrompter)
    data_dir = ctx.services.settings.data_dir
    dialog = UserAccountsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert _column(dialog, 0) == ["chief"] and _column(dialog, 5)[0] not in ("", "Never")

    on_next_dialog(_fill("an", AN_PW, "not the same"))  # type: ignore[arg-type]
    dialog.add()
    wait_idle(qtbot, ctx, timeout=30000)
    assert dialog.table.rowCount() == 1
    on_next_dialog(_fill("an", AN_PW, AN_PW))  # type: ignore[arg-type]
    dialog.add()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=30000)
    assert _column(dialog, 0) == ["an", "chief"] and _column(dialog, 2)[0] == "Liaison officer"
    assert _column(dialog, 5)[0] == "Never" and set(Vault(data_dir).users()) == {"chief", "an"}

    dialog.select("chief")
    assert not dialog.disable_button.isEnabled()  # nobody disables their own account here
    dialog.select("an")
    prompter.confirm_answers.append(False)
    dialog.disable()
    wait_idle(qtbot, ctx, timeout=30000)
    assert _column(dialog, 3) == ["Active", "Active"]
    asked = prompter.calls[-1]
    assert asked[0] == "confirm" and "Disable the account an?" in asked[2]
    with qtbot.waitSignal(dialog.changed, timeout=20000):
        dialog.disable()
    qtbot.waitUntil(lambda: _column(dialog, 3) == ["Disabled", "Active"], timeout=30000)
    assert Vault(data_dir).users() == ("chief",)
    with pytest.raises(VaultError):
        Vault(data_dir).unlock(PasswordCredentials("an", AN_PW))

    dialog.select("an")
    with qtbot.waitSignal(dialog.changed, timeout=30000):
        dialog.enable()
    qtbot.waitUntil(lambda: _column(dialog, 3) == ["Active", "Active"], timeout=30000)
    dialog.select("an")
    wrong = "AAAA-" * 8 + "AAAA"
    on_next_dialog(_fill("an", "a new passphrase 3", "a new passphrase 3", wrong))  # type: ignore[arg-type]
    dialog.reset()
    qtbot.waitUntil(lambda: any(c[0] == "error" for c in prompter.calls), timeout=30000)
    assert "not a valid recovery key" in next(c for c in prompter.calls if c[0] == "error")[1]
    dialog.select("an")
    on_next_dialog(_fill("an", "a new passphrase 3", "a new passphrase 3", recovery))  # type: ignore[arg-type]
    with qtbot.waitSignal(dialog.changed, timeout=30000):
        dialog.reset()
    assert Vault(data_dir).unlock(PasswordCredentials("an", "a new passphrase 3")).epoch == 2


def test_only_supervisors_see_the_accounts_button(qtbot, desk: tuple[AppContext, str]) -> None:
    ctx, _ = desk
    page = SettingsPage(ctx)
    qtbot.addWidget(page)
    assert not page.accounts_button.isHidden()
    ctx.actor = Actor("an", Role.LIAISON)
    other = SettingsPage(ctx)
    qtbot.addWidget(other)
    assert other.accounts_button.isHidden()
