"""Pages of the first-run wizard: language, post, supervisor, post keys, data location, recovery sheet.

Each page checks its own answers with ``repatriation.services.first_run_answers`` when Next is pressed
and shows the problem under its fields; texts are set in ``retranslate`` so that choosing a
language on the first page switches every page at once.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from i18n import N_, Translator
from repatriation.domain.enums import Corridor
from repatriation.domain.errors import DomainError
from repatriation.services import first_run_answers as fr
from ui.error_text import describe_error

LANGUAGE_NAMES: dict[str, str] = {  # each in its own language: the officer may not read the others
    "vi": "Tiếng Việt",
    "en": "English",
    "zh_CN": "中文（简体）",
    "km": "ភាសាខ្មែរ",
    "lo": "ພາສາລາວ",
}
CORRIDORS: tuple[tuple[Corridor, str], ...] = (
    (Corridor.CHINA, N_("China")),
    (Corridor.CAMBODIA, N_("Cambodia")),
    (Corridor.LAO, N_("Lao PDR")),
)
MESSAGES: dict[str, str] = {
    "unsupported_language": N_("Choose one of the listed languages."),
    "missing": N_("Please fill in the post's name."),
    "bad_post_code": N_(
        "Choose this post's own case prefix: 2 to 6 letters A-Z that no other post uses."
    ),
    "bad_desk_kind": N_("Choose whether this desk serves a border post or a reception centre."),
    "bad_corridor": N_("Choose the country on the other side of the border."),
    "unknown_gate": N_("That border gate is not on this corridor."),
    "password_mismatch": N_("The two passwords are not the same."),
    "password_too_short": N_("The password needs at least {min_length} characters."),
    "passphrase_mismatch": N_("The two passphrases are not the same."),
    "passphrase_too_short": N_("The passphrase needs at least {min_length} characters."),
}


def error_sentence(error: BaseException, tr: Translator) -> str:
    """The officer's sentence for a first-run error (first-run codes, then the desk's list)."""
    if isinstance(error, DomainError) and error.code in MESSAGES:
        try:
            return tr.gettext(MESSAGES[error.code]).format(**error.params)
        except (KeyError, IndexError):
            return tr.gettext(MESSAGES[error.code])
    return describe_error(error, tr).message


class FirstRunPage(QWizardPage):
    """A page with a form, a problem label, and texts set by ``retranslate``."""

    def __init__(self, tr: Translator) -> None:
        super().__init__()
        self.tr_ = tr
        self.form = QFormLayout()
        self.problem = QLabel()
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020")
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addStretch(1)

    def retranslate(self) -> None:
        """Set every text in the active language."""

    def check(self, step: Callable[[], Any]) -> bool:
        """Run one validation; show its problem and return False when it refuses."""
        try:
            step()
        except DomainError as exc:
            self.problem.setText(error_sentence(exc, self.tr_))
            return False
        self.problem.clear()
        return True


class LanguagePage(FirstRunPage):
    def __init__(self, tr: Translator, on_change: Callable[[str], None]) -> None:
        super().__init__(tr)
        self.language = QComboBox()
        for code in fr.SUPPORTED_LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(max(0, self.language.findData(tr.language)))
        self.language.currentIndexChanged.connect(lambda _i: on_change(self.value()))
        self.label = QLabel()
        self.form.addRow(self.label, self.language)

    def value(self) -> str:
        return str(self.language.currentData())

    def retranslate(self) -> None:
        _ = self.tr_.gettext
        self.setTitle(_("Welcome to Repatriation Desk"))
        self.setSubTitle(_("This computer is not set up yet. Choose the language of the desk."))
        self.label.setText(_("Language"))

    def validatePage(self) -> bool:
        return self.check(lambda: fr.validate_language(self.value()))


class PostPage(FirstRunPage):
    def __init__(self, tr: Translator, gates: Callable[[Corridor], list[tuple[str, str]]]) -> None:
        super().__init__(tr)
        self._gates = gates
        self.post_name = QLineEdit()
        # No pre-filled prefix: two desks that both kept a default numbered their cases alike.
        self.post_code = QLineEdit()
        self.post_code.setMaxLength(6)
        self.corridor = QComboBox()
        for corridor, _label in CORRIDORS:
            self.corridor.addItem("", corridor.value)
        self.gate = QComboBox()
        self.kind = QComboBox()  # border post or reception centre: written on the key card
        for _kind in fr.DESK_KINDS:
            self.kind.addItem("", _kind)
        self.corridor.currentIndexChanged.connect(lambda _i: self._fill_gates())
        self.labels = [QLabel() for _ in range(5)]
        fields = (self.post_name, self.kind, self.post_code, self.corridor, self.gate)
        for label, field in zip(self.labels, fields, strict=True):
            self.form.addRow(label, field)
        self._fill_gates()

    def _fill_gates(self) -> None:
        self.gate.clear()
        self.gate.addItem(self.tr_.gettext("(no border gate)"), None)
        for code, name in self._gates(Corridor(self.corridor.currentData())):
            self.gate.addItem(name, code)

    def profile(self) -> fr.PostProfile:
        return fr.PostProfile(
            self.post_name.text(),
            self.post_code.text(),
            str(self.corridor.currentData()),
            self.gate.currentData(),
            str(self.kind.currentData()),
        )

    def retranslate(self) -> None:
        _ = self.tr_.gettext
        self.setTitle(_("The post"))
        self.setSubTitle(_("These appear on every form and case reference."))
        texts = (_("Post name"), _("This desk serves a"), _("Case prefix"), _("Corridor"),
                 _("Border gate"))
        for label, text in zip(self.labels, texts, strict=True):
            label.setText(text)
        self.kind.setItemText(0, _("border post"))
        self.kind.setItemText(1, _("reception centre"))
        for index, (_corridor, name) in enumerate(CORRIDORS):
            self.corridor.setItemText(index, _(name))
        self.gate.setItemText(0, _("(no border gate)"))

    def validatePage(self) -> bool:
        return self.check(lambda: fr.validate_profile(self.profile()))


class SupervisorPage(FirstRunPage):
    def __init__(self, tr: Translator) -> None:
        super().__init__(tr)
        self.username = QLineEdit()
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.password, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        self.labels = [QLabel() for _ in range(4)]
        for label, field in zip(
            self.labels, (self.username, self.display_name, self.password, self.repeat), strict=True
        ):
            self.form.addRow(label, field)

    def retranslate(self) -> None:
        _ = self.tr_.gettext
        self.setTitle(_("The first supervisor"))
        self.setSubTitle(
            _("The supervisor creates the other officers' accounts. The password also unlocks the data.")
        )
        for label, text in zip(
            self.labels,
            (_("User name"), _("Full name"), _("Password"), _("Repeat the password")),
            strict=True,
        ):
            label.setText(text)

    def validatePage(self) -> bool:
        return self.check(
            lambda: fr.validate_supervisor(self.username.text(), self.password.text(), self.repeat.text())
        )


class KeysPage(FirstRunPage):
    def __init__(self, tr: Translator, suggested: str) -> None:
        super().__init__(tr)
        self.passphrase = QLineEdit(suggested)
        self.repeat = QLineEdit(suggested)
        self.labels = [QLabel(), QLabel()]
        self.form.addRow(self.labels[0], self.passphrase)
        self.form.addRow(self.labels[1], self.repeat)

    def retranslate(self) -> None:
        _ = self.tr_.gettext
        self.setTitle(_("The post's key pair"))
        self.setSubTitle(
            _(
                "Bundles sent to this post are encrypted to its key pair. A passphrase protects "
                "the private key; the one suggested here is printed on the recovery sheet."
            )
        )
        self.labels[0].setText(_("Key passphrase"))
        self.labels[1].setText(_("Repeat the passphrase"))

    def validatePage(self) -> bool:
        return self.check(lambda: fr.validate_key_passphrase(self.passphrase.text(), self.repeat.text()))


class DataPage(FirstRunPage):
    """Where data lives; Next runs the set-up (the wizard's ``start_setup``)."""

    def __init__(self, tr: Translator, locations: fr.DataLocations, start: Callable[[], bool]) -> None:
        super().__init__(tr)
        self._start = start
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(self.where)
        self.locations = locations

    def retranslate(self) -> None:
        _ = self.tr_.gettext
        loc = self.locations
        self.setTitle(_("Where the data lives"))
        self.setSubTitle(_("Everything is encrypted on this computer. Back up this folder regularly."))
        rows = (
            (_("Data folder"), str(loc.data_dir)),
            (_("Database"), loc.database),
            (_("Post keys"), str(loc.keys_dir)),
            (_("Backups before upgrades"), str(loc.backups_dir)),
        )
        self.where.setText("<br>".join(f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in rows))

    def validatePage(self) -> bool:
        return self._start()


class RecoveryPage(FirstRunPage):
    """Shown once: the recovery key, the key passphrase and the key fingerprint, with Print."""

    def __init__(self, tr: Translator, print_sheet: Callable[[], None]) -> None:
        super().__init__(tr)
        self.sheet = QLabel()
        self.sheet.setWordWrap(True)
        self.sheet.setObjectName("recovery_sheet")
        self.print_button = QPushButton()
        self.print_button.clicked.connect(print_sheet)
        self.confirmed = QCheckBox()
        self.confirmed.toggled.connect(lambda _on: self.completeChanged.emit())
        self.form.addRow(self.sheet)
        self.form.addRow(self.print_button)
        self.form.addRow(self.confirmed)

    def show_sheet(self, sheet_html: str) -> None:
        self.sheet.setText(sheet_html)

    def retranslate(self) -> None:
        _ = self.tr_.gettext
        self.setTitle(_("Recovery key: shown only now"))
        self.setSubTitle(_("Print this page or copy it by hand, and keep it locked away from this computer."))
        self.print_button.setText(_("Print..."))
        self.confirmed.setText(_("I have printed or written down the recovery key"))

    def isComplete(self) -> bool:
        return self.confirmed.isChecked()
