"""Qt application start-up: builds the services, shows the main window, runs the event loop."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from i18n import Translator
from repatriation.bootstrap import build_services
from repatriation.config import Settings


def run_desk(settings: Settings, translator: Translator) -> int:
    """Start the desk on the configured database; returns the exit code."""
    app = QApplication.instance() or QApplication(sys.argv)
    services = build_services(settings)
    window = QMainWindow()
    window.setWindowTitle(translator.gettext("Repatriation Desk"))
    count = services.cases.count()
    window.setCentralWidget(
        QLabel(translator.ngettext("{count} case", "{count} cases", count).format(count=count))
    )
    window.resize(1366, 768)
    window.show()
    try:
        return int(app.exec())
    finally:
        services.close()
