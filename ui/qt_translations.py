"""Qt's own dialogs (file, print, message boxes, standard buttons) in the desk's language.

Qt ships ``qtbase_zh_CN.qm``, loaded as is. It ships nothing for Vietnamese, Khmer or Lao, so a
``QTranslator`` answers the few strings of the dialogs the desk opens from our gettext catalog
(msgids below, source text as Qt writes it, accelerators dropped).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QObject, QTranslator

from i18n import N_, Translator

# (Qt context, Qt source text) -> our msgid.
QT_STRINGS: dict[tuple[str, str], str] = {
    **{("QPlatformTheme", s): m for s, m in (
        ("OK", N_("OK")), ("Save", N_("Save")), ("Save All", N_("Save all")), ("Open", N_("Open")),
        ("&Yes", N_("Yes")), ("Yes to &All", N_("Yes to all")), ("&No", N_("No")),
        ("N&o to All", N_("No to all")), ("Abort", N_("Abort")), ("Retry", N_("Retry")),
        ("Ignore", N_("Ignore")), ("Close", N_("Close")), ("Cancel", N_("Cancel")),
        ("Discard", N_("Discard")), ("Help", N_("Help")), ("Apply", N_("Apply")), ("Reset", N_("Reset")),
        ("Restore Defaults", N_("Restore defaults")),
    )},
    ("QDialogButtonBox", "OK"): N_("OK"),
    ("QMessageBox", "Show Details..."): N_("Show details..."),
    ("QMessageBox", "Hide Details..."): N_("Hide details..."),
    ("QInputDialog", "Enter a value:"): N_("Enter a value:"),
    **{("QFileDialog", s): m for s, m in (
        ("Look in:", N_("Look in:")), ("File &name:", N_("File name:")),
        ("Files of type:", N_("Files of type:")),
        ("&Open", N_("Open")), ("&Save", N_("Save")), ("&Choose", N_("Choose")), ("Open", N_("Open")),
        ("Save As", N_("Save as")), ("Back", N_("Back")), ("Forward", N_("Forward")),
        ("Parent Directory", N_("Parent folder")), ("Create New Folder", N_("Create new folder")),
        ("New Folder", N_("New folder")), ("&New Folder", N_("New folder")), ("List View", N_("List view")),
        ("Detail View", N_("Detail view")), ("All Files (*)", N_("All files (*)")),
        ("All files (*)", N_("All files (*)")), ("Directory:", N_("Folder:")), ("Directories", N_("Folders")),
        ("Recent Places", N_("Recent places")), ("My Computer", N_("This computer")),
        ("&Delete", N_("Delete")), ("&Rename", N_("Rename")), ("Show &hidden files", N_("Show hidden files")),
        ("%1 already exists.\nDo you want to replace it?",
         N_("%1 already exists.\nDo you want to replace it?")),
        ("Unknown", N_("Unknown")), ("Folder", N_("Folder")), ("File", N_("File")), ("Drive", N_("Drive")),
    )},
    **{("QFileSystemModel", s): m for s, m in (
        ("Name", N_("Name")), ("Size", N_("Size")), ("Type", N_("Type")), ("Kind", N_("Type")),
        ("Date Modified", N_("Date modified")), ("My Computer", N_("This computer")),
        ("Computer", N_("This computer")),
    )},
    **{("QPrintDialog", s): m for s, m in (
        ("Print", N_("Print")), ("&Print", N_("Print")), ("OK", N_("OK")), ("&Options >>", N_("Options >>")),
        ("&Options <<", N_("Options <<")), ("Print to File (PDF)", N_("Print to file (PDF)")),
        ("Local file", N_("Local file")), ("Write PDF file", N_("Write PDF file")),
        ("All Pages", N_("All pages")), ("Odd Pages", N_("Odd pages")), ("Even Pages", N_("Even pages")),
    )},
    **{("QPrintWidget", s): m for s, m in (
        ("Printer", N_("Printer")), ("&Name:", N_("Name:")), ("P&roperties", N_("Properties")),
        ("Location:", N_("Location:")), ("Type:", N_("Type:")), ("Output &file:", N_("Output file:")),
        ("Preview", N_("Preview")),
    )},
    **{("QPrintSettingsOutput", s): m for s, m in (
        ("Copies", N_("Copies")), ("Copies:", N_("Copies:")), ("Collate", N_("Collate")),
        ("Reverse", N_("Reverse")), ("Options", N_("Options")), ("Print range", N_("Print range")),
        ("Print all", N_("Print all")), ("Pages from", N_("Pages from")), ("to", N_("to")),
        ("Pages", N_("Pages")), ("Current Page", N_("Current page")), ("Selection", N_("Selection")),
        ("Color Mode", N_("Colour mode")), ("Color", N_("Colour")), ("Grayscale", N_("Greyscale")),
        ("Double Sided Printing", N_("Double-sided printing")), ("Off", N_("Off")),
        ("Long side binding", N_("Long-edge binding")), ("Short side binding", N_("Short-edge binding")),
        ("Page Set:", N_("Page set:")), ("Output Settings", N_("Output settings")),
    )},
    **{("QPageSetupWidget", s): m for s, m in (
        ("Paper", N_("Paper")), ("Page size:", N_("Page size:")), ("Orientation", N_("Orientation")),
        ("Portrait", N_("Portrait")), ("Landscape", N_("Landscape")), ("Margins", N_("Margins")),
        ("Page Layout", N_("Page layout")), ("Width:", N_("Width:")), ("Height:", N_("Height:")),
        ("Custom", N_("Custom")), ("Paper source:", N_("Paper source:")),
        ("Pages per sheet:", N_("Pages per sheet:")), ("Page order:", N_("Page order:")),
    )},
    ("QPrintPropertiesWidget", "Page"): N_("Page"),
    ("QPrintPropertiesWidget", "Advanced"): N_("Advanced"),
}  # fmt: skip


class GettextQtTranslator(QTranslator):
    """Answers Qt's lookups from our catalog; anything else stays as Qt wrote it."""

    def __init__(self, translator: Translator, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tr = translator

    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str:
        message = QT_STRINGS.get((context, source))
        return self._tr.gettext(message) if message else ""

    def isEmpty(self) -> bool:
        return False


_installed: list[QTranslator] = []  # the one in use, so a language switch can remove it


def install_qt_translations(app: QCoreApplication, translator: Translator) -> QTranslator | None:
    """Install Qt's translations for ``translator``'s language (replacing the previous one)."""
    while _installed:
        app.removeTranslator(_installed.pop())
    language = translator.language
    chosen: QTranslator | None = None
    if language == "zh_CN":
        shipped = QTranslator(app)
        if shipped.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            chosen = shipped
    elif language != "en":
        chosen = GettextQtTranslator(translator, app)
    if chosen is not None:
        app.installTranslator(chosen)
        _installed.append(chosen)
    return chosen
