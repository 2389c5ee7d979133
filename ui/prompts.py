"""Message boxes, file pickers and the system viewer behind one interface that tests replace.

Button texts are set from our catalogs: Qt ships no Vietnamese, Khmer or Lao translations of
its standard buttons (tech-notes 3).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QWidget

from i18n import Translator


class Prompter(Protocol):
    """What pages ask the officer; ``QtPrompter`` in the app, a recording fake in tests."""

    def confirm(self, title: str, text: str, *, ok_label: str = "") -> bool:
        """Ask yes/no; True when the officer agreed."""
        ...

    def inform(self, title: str, text: str) -> None:
        """Tell something that needs no answer."""
        ...

    def warn(self, title: str, text: str) -> None:
        """Warn about something the officer should fix."""
        ...

    def error(self, title: str, text: str, details: str = "") -> None:
        """Show an error in plain words with details available on request."""
        ...

    def ask_secret(self, title: str, label: str) -> str | None:
        """A passphrase typed into a masked field; None when cancelled or empty."""
        ...

    def open_file(self, title: str, filters: str) -> Path | None:
        """Pick one existing file."""
        ...

    def open_files(self, title: str, filters: str) -> list[Path]:
        """Pick several existing files."""
        ...

    def save_file(self, title: str, suggested: str, filters: str) -> Path | None:
        """Pick where to save."""
        ...

    def choose_directory(self, title: str, start: Path | None = None) -> Path | None:
        """Pick a folder."""
        ...

    def open_external(self, path: Path) -> bool:
        """Open a file in the system's viewer (PDF minutes, print from there)."""
        ...


class QtPrompter:
    """The real dialogs, parented to the main window."""

    def __init__(self, translator: Translator, parent: Callable[[], QWidget | None]) -> None:
        self._tr = translator
        self._parent = parent

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(self._parent())
        box.setIcon(icon)
        box.setWindowTitle(title)
        box.setText(text)
        return box

    def confirm(self, title: str, text: str, *, ok_label: str = "") -> bool:
        box = self._box(QMessageBox.Icon.Question, title, text)
        ok = box.addButton(ok_label or self._tr.gettext("Yes"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self._tr.gettext("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(ok)
        box.exec()
        return box.clickedButton() is ok

    def _show(self, icon: QMessageBox.Icon, title: str, text: str, details: str = "") -> None:
        box = self._box(icon, title, text)
        if details:
            box.setDetailedText(details)
        box.addButton(self._tr.gettext("OK"), QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def inform(self, title: str, text: str) -> None:
        self._show(QMessageBox.Icon.Information, title, text)

    def warn(self, title: str, text: str) -> None:
        self._show(QMessageBox.Icon.Warning, title, text)

    def error(self, title: str, text: str, details: str = "") -> None:
        self._show(QMessageBox.Icon.Critical, title, text, details)

    def ask_secret(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self._parent(), title, label, QLineEdit.EchoMode.Password)
        return str(text) if ok and text else None

    def open_file(self, title: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self._parent(), title, "", filters)
        return Path(name) if name else None

    def open_files(self, title: str, filters: str) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self._parent(), title, "", filters)
        return [Path(n) for n in names]

    def save_file(self, title: str, suggested: str, filters: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self._parent(), title, suggested, filters)
        return Path(name) if name else None

    def choose_directory(self, title: str, start: Path | None = None) -> Path | None:
        name = QFileDialog.getExistingDirectory(self._parent(), title, str(start or ""))
        return Path(name) if name else None

    def open_external(self, path: Path) -> bool:
        return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))
