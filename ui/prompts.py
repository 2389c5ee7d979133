"""Message boxes, file pickers and the in-desk PDF preview behind one interface that tests replace.

Button texts are set from our catalogs: Qt ships no Vietnamese, Khmer or Lao translations of
its standard buttons. File pickers open in the officer's documents folder (then where they
last went), never in the program folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QStandardPaths
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

    def show_pdf(self, title: str, data: bytes, name: str) -> None:
        """Preview a rendered form inside the desk, with Print and Save as PDF."""
        ...


def documents_dir() -> Path:
    """The officer's documents folder (home when the platform names none)."""
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


class QtPrompter:
    """The real dialogs, parented to the main window."""

    def __init__(self, translator: Translator, parent: Callable[[], QWidget | None]) -> None:
        self._tr = translator
        self._parent = parent
        self._folder: Path | None = None  # where the last file was chosen, this session

    def _start(self, suggested: str = "") -> str:
        folder = self._folder or documents_dir()
        return str(folder / suggested) if suggested else str(folder)

    def _chose(self, name: str) -> Path | None:
        if not name:
            return None
        path = Path(name)
        self._folder = path.parent
        return path

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
        name, _ = QFileDialog.getOpenFileName(self._parent(), title, self._start(), filters)
        return self._chose(name)

    def open_files(self, title: str, filters: str) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self._parent(), title, self._start(), filters)
        return [p for p in map(self._chose, names) if p is not None]

    def save_file(self, title: str, suggested: str, filters: str) -> Path | None:
        start = suggested if Path(suggested).is_absolute() else self._start(suggested)
        name, _ = QFileDialog.getSaveFileName(self._parent(), title, start, filters)
        return self._chose(name)

    def choose_directory(self, title: str, start: Path | None = None) -> Path | None:
        name = QFileDialog.getExistingDirectory(self._parent(), title, str(start or self._start()))
        if not name:
            return None
        self._folder = Path(name)
        return self._folder

    def show_pdf(self, title: str, data: bytes, name: str) -> None:
        from ui.dialogs.pdf_preview_dialog import PdfPreviewDialog  # PDFium loads on first preview

        _ = self._tr.gettext
        dialog = PdfPreviewDialog(
            self._tr,
            title,
            data,
            name,
            save_to=lambda suggested: self.save_file(_("Save as PDF"), suggested, _("PDF documents (*.pdf)")),
            inform=self.inform,
            parent=self._parent(),
        )
        dialog.exec()
