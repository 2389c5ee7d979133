"""The desk's look: one small Qt style sheet (calm colours; red only where action is needed)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
QListWidget#sidebar { background: #1f2937; color: #e5e7eb; border: none; font-size: 11pt; }
QListWidget#sidebar::item { padding: 10px 14px; }
QListWidget#sidebar::item:selected { background: #2563eb; color: white; }
QLabel#caseTitle, QLabel#batchTitle { font-size: 14pt; font-weight: 600; }
QLabel#problem { color: #b91c1c; font-weight: 600; }
QLabel#count, QLabel#summary { color: #374151; font-weight: 600; }
QPushButton#primary { background: #2563eb; color: white; border-radius: 4px; padding: 5px 14px; }
QPushButton#primary:disabled { background: #93c5fd; }
QTableView { gridline-color: #e5e7eb; selection-background-color: #bfdbfe; selection-color: #111827; }
QHeaderView::section { background: #f3f4f6; padding: 4px; border: none; border-bottom: 1px solid #d1d5db; }
QGroupBox { font-weight: 600; }
"""


def apply_style(app: QApplication) -> None:
    """Use Fusion (same look on every Windows version) with the desk's style sheet."""
    app.setStyle("Fusion")
    app.setStyleSheet(STYLE_SHEET)
