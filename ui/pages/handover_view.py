"""Layout of the handover session: the batch list on the left, the open batch on the right."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from i18n import Translator
from ui.qt_helpers import compact, date_edit, setup_table


def _buttons(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class HandoverView(QWidget):
    """Widgets only; ``HandoverPage`` fills them and wires the buttons."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _ = translator.gettext
        self.batches = QTableView(self)
        setup_table(self.batches)
        self.new_button = QPushButton(_("New batch"), self)
        left = QWidget(self)
        left.setMinimumWidth(350)  # the batch list stays readable beside the session
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(_buttons(self.new_button))
        left_layout.addWidget(self.batches, 1)

        self.heading = QLabel(self)
        self.heading.setObjectName("batchTitle")
        self.direction = QComboBox(self)
        self.corridor = QComboBox(self)
        self.planned_on = date_edit(date.today(), self)
        self.place_kind = QComboBox(self)
        self.gate = QComboBox(self)
        self.place_detail = QLineEdit(self)
        self.interpreter = QLineEdit(self)
        self.remarks = QLineEdit(self)
        compact(self.direction, self.corridor, self.place_kind, self.gate)
        details = QGroupBox(_("Batch"), self)
        form = QFormLayout(details)
        form.addRow(_("Direction"), self.direction)
        form.addRow(_("Corridor"), self.corridor)
        form.addRow(_("Planned on"), self.planned_on)
        form.addRow(_("Place"), self.place_kind)
        form.addRow(_("Gate"), self.gate)
        form.addRow(_("Marker or place"), self.place_detail)
        form.addRow(_("Interpreter"), self.interpreter)
        form.addRow(_("Remarks"), self.remarks)

        self.officials = QTableView(self)
        setup_table(self.officials, stretch_column=1)
        self.add_vn_button = QPushButton(_("Add Vietnamese official"), self)
        self.add_foreign_button = QPushButton(_("Add counterpart official"), self)
        self.remove_official_button = QPushButton(_("Remove"), self)
        officials = QGroupBox(_("Officials of both sides"), self)
        officials_layout = QVBoxLayout(officials)
        # Two rows: the three buttons side by side overflow 1366 px in longer languages (pseudo-locale).
        officials_layout.addLayout(_buttons(self.add_vn_button))
        officials_layout.addLayout(_buttons(self.add_foreign_button, self.remove_official_button))
        officials_layout.addWidget(self.officials)

        self.members = QTableView(self)
        setup_table(self.members, stretch_column=1)
        self.add_members_button = QPushButton(_("Add persons..."), self)
        self.remove_member_button = QPushButton(_("Remove"), self)
        members = QGroupBox(_("Persons, belongings, health and signatures"), self)
        members_layout = QVBoxLayout(members)
        members_layout.addLayout(_buttons(self.add_members_button, self.remove_member_button))
        members_layout.addWidget(self.members)

        self.save_button = QPushButton(_("Save"), self)
        self.preview_button = QPushButton(_("Preview and print minutes"), self)
        self.handed_over_button = QPushButton(_("Mark handed over"), self)
        self.handed_over_button.setObjectName("primary")
        self.cancel_batch_button = QPushButton(_("Cancel batch"), self)
        self.state = QLabel(self)
        self.state.setWordWrap(True)

        right = QWidget(self)
        top = QHBoxLayout()
        top.addWidget(details, 1)
        top.addWidget(officials, 1)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addLayout(top)
        right_layout.addWidget(members, 1)
        right_layout.addWidget(self.state)
        right_layout.addLayout(
            _buttons(self.save_button, self.preview_button, self.handed_over_button, self.cancel_batch_button)
        )
        self.editor = right

        splitter = QSplitter(self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
