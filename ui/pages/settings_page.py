"""Settings: language (switches live), post profile, keys, database location, demo data.

Settings are written to ``settings.json`` beside the data. The language applies at once; the
post profile and the database are read when the desk starts, so the page asks for a restart.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from i18n import LANGUAGES
from repatriation.config import Settings, save_settings
from repatriation.domain.account_policy import MAX_IDLE_MINUTES, MIN_IDLE_MINUTES
from repatriation.domain.enums import Corridor
from repatriation.domain.permissions import Capability, has_capability
from repatriation.services.results import Changes
from ui.context import AppContext
from ui.dialogs.key_directory_dialog import KeyDirectoryDialog
from ui.dialogs.user_accounts_dialog import UserAccountsDialog
from ui.labels import LANGUAGE_NAMES
from ui.qt_helpers import combo_enum, compact, fill_combo, text_of

DEMO_CASES = 200
# The demo seeder returns a count, not references: this marker tells the lists to reload.
ALL_CASES = "*"


def masked_url(url: str | None) -> str:
    """A database URL with any password hidden."""
    if not url:
        return ""
    head, at, tail = url.rpartition("@")
    if not at or "://" not in head:
        return url
    scheme, _, credentials = head.partition("://")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{tail}"


class SettingsPage(QWidget):
    """Edits ``Settings``; ``saved`` carries the new settings."""

    saved = Signal(object)  # Settings

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        _ = ctx.translator.gettext
        settings = ctx.services.settings
        self.language = QComboBox(self)
        fill_combo(
            self.language, [(LANGUAGE_NAMES[code], code) for code in LANGUAGES], ctx.translator.language
        )
        self.apply_language_button = QPushButton(_("Apply language"), self)
        self.apply_language_button.clicked.connect(self.apply_language)
        language_box = QGroupBox(_("Language"), self)
        language_row = QHBoxLayout(language_box)
        language_row.addWidget(self.language, 1)
        language_row.addWidget(self.apply_language_button)

        self.post_code = QLineEdit(settings.post_code, self)
        self.post_code.setMaxLength(8)
        self.post_name = QLineEdit(settings.post_name, self)
        self.corridor = QComboBox(self)
        fill_combo(self.corridor, ctx.labels.choices(Corridor), Corridor(settings.corridor))
        self.gate = QComboBox(self)
        compact(self.gate, self.corridor, self.language)
        self.corridor.currentIndexChanged.connect(self._fill_gates)
        self._fill_gates()
        if settings.gate_code:
            index = self.gate.findData(settings.gate_code)
            self.gate.setCurrentIndex(max(0, index))
        self.idle_lock = QSpinBox(self)
        self.idle_lock.setRange(MIN_IDLE_MINUTES, MAX_IDLE_MINUTES)  # the lock policy's bounds
        self.idle_lock.setValue(settings.idle_lock_minutes)
        self.idle_lock.setSuffix(" " + _("minutes"))
        post_box = QGroupBox(_("Post profile"), self)
        post_form = QFormLayout(post_box)
        post_form.addRow(_("Post code (case references)"), self.post_code)
        post_form.addRow(_("Post name"), self.post_name)
        post_form.addRow(_("Corridor"), self.corridor)
        post_form.addRow(_("Usual gate"), self.gate)
        post_form.addRow(_("Lock the desk when idle for"), self.idle_lock)

        self.keys = QLabel(self)
        self.keys.setWordWrap(True)
        keys_box = QGroupBox(_("Keys for bundles"), self)
        keys_layout = QVBoxLayout(keys_box)
        keys_layout.addWidget(self.keys)
        self.directory_button = QPushButton(_("Counterpart keys..."), self)
        self.directory_button.clicked.connect(self.open_key_directory)
        self.directory_button.setVisible(self.ctx.keys is not None)
        keys_layout.addWidget(self.directory_button, 0, Qt.AlignmentFlag.AlignLeft)
        self._show_keys()
        self.accounts_button = QPushButton(_("User accounts..."), self)
        self.accounts_button.clicked.connect(self.open_user_accounts)
        self.accounts_button.setVisible(has_capability(ctx.actor.role, Capability.MANAGE_USERS))

        self.data_dir = QLabel(str(settings.data_dir), self)
        self.data_dir.setWordWrap(True)
        self.open_folder_button = QPushButton(_("Open folder"), self)
        self.open_folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.ctx.services.settings.data_dir)))
        )
        self.database_url = QLineEdit(masked_url(settings.database_url), self)
        self.database_url.setPlaceholderText(_("Empty: the database file in the data folder"))
        database_box = QGroupBox(_("Database"), self)
        database_form = QFormLayout(database_box)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.data_dir, 1)
        folder_row.addWidget(self.open_folder_button)
        database_form.addRow(_("Data folder"), folder_row)
        database_form.addRow(_("Database server (optional)"), self.database_url)

        self.demo_button = QPushButton(_("Load demo data (fictitious)"), self)
        self.demo_button.clicked.connect(self.load_demo)
        self.save_button = QPushButton(_("Save settings"), self)
        self.save_button.setObjectName("primary")
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accounts_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)

        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(language_box)
        left.addWidget(post_box)
        left.addStretch(1)
        right.addWidget(database_box)
        right.addWidget(keys_box)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

    def _fill_gates(self) -> None:
        corridor = combo_enum(self.corridor, Corridor) or Corridor.CHINA
        gates = self.ctx.services.reference.gates_for(corridor, self.ctx.today())
        fill_combo(self.gate, [("", None), *((g.name_vi, g.code) for g in gates)])

    def _show_keys(self) -> None:
        _ = self.ctx.translator.gettext
        keys = self.ctx.keys
        if keys is None:
            self.keys.setText(_("Keys for bundles are not set up on this desk yet."))
            return
        lines = [f"{label}: {fingerprint}" for label, fingerprint in keys.describe()]
        self.keys.setText("\n".join(lines) or _("No key yet."))

    def open_key_directory(self) -> KeyDirectoryDialog | None:
        """Show the counterparts' keys (add, verify, revoke); the summary above follows."""
        keys = self.ctx.keys
        if keys is None:
            return None
        dialog = KeyDirectoryDialog(self.ctx, keys, self)
        dialog.changed.connect(self._show_keys)
        dialog.open()
        return dialog

    def open_user_accounts(self) -> UserAccountsDialog:
        """Supervisors: add, disable, enable accounts and reset passwords."""
        dialog = UserAccountsDialog(self.ctx, self)
        dialog.open()
        return dialog

    def edited(self) -> Settings:
        """The settings as the form shows them."""
        settings = self.ctx.services.settings
        url = text_of(self.database_url.text())
        if url == masked_url(settings.database_url):
            url = settings.database_url or ""  # unchanged: keep the stored (unmasked) URL
        return replace(
            settings,
            language=str(self.language.currentData()),
            post_code=text_of(self.post_code.text()).upper() or settings.post_code,
            post_name=text_of(self.post_name.text()),
            corridor=str((combo_enum(self.corridor, Corridor) or Corridor.CHINA).value),
            gate_code=self.gate.currentData() or None,
            idle_lock_minutes=self.idle_lock.value(),
            database_url=url or None,
        )

    def _write(self, settings: Settings, then: object = None) -> None:
        def stored(_result: object) -> None:
            self.ctx.services.settings = settings
            self.saved.emit(settings)
            if callable(then):
                then()

        self.ctx.tasks.run(lambda: save_settings(settings), done=stored, owner=self)

    def apply_language(self) -> None:
        """Save the language and switch the desk to it now."""
        language = str(self.language.currentData())
        settings = replace(self.ctx.services.settings, language=language)
        self._write(settings, then=lambda: self.ctx.signals.language_changed.emit(language))

    def save(self) -> None:
        """Save everything; the post profile and database apply after a restart."""
        _ = self.ctx.translator.gettext
        before, after = self.ctx.services.settings, self.edited()
        needs_restart = any(
            getattr(before, f) != getattr(after, f)
            for f in ("post_code", "post_name", "corridor", "gate_code", "database_url")
        )

        def done() -> None:
            if needs_restart:
                self.ctx.prompter.inform(
                    _("Settings saved"),
                    _(
                        "The new post profile and database apply when the desk starts again. "
                        "Close and reopen it."
                    ),
                )
            if after.idle_lock_minutes != before.idle_lock_minutes:
                self.ctx.signals.idle_minutes_changed.emit(after.idle_lock_minutes)
            if after.language != self.ctx.translator.language:
                self.ctx.signals.language_changed.emit(after.language)

        self._write(after, then=done)

    def load_demo(self) -> None:
        _ = self.ctx.translator.gettext
        question = _("Add {count} fictitious demo cases for training? They are marked DEMO.").format(
            count=DEMO_CASES
        )
        if not self.ctx.prompter.confirm(_("Demo data"), question):
            return
        demo, actor = self.ctx.services.demo, self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: demo.seed(actor, DEMO_CASES),
            changes=lambda _count: Changes(cases=frozenset({ALL_CASES})),
            label=_("Loading demo data..."),
        )
