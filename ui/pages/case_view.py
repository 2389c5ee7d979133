"""Layout of the case page: a header with the next actions, then one tab per part of the file."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from i18n import Translator
from ui.qt_helpers import setup_table
from ui.widgets.badge_delegate import BadgeDelegate


def _tab(browser: QTextBrowser | QTableView, buttons: list[QPushButton]) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    # Three buttons a row at most: Khmer and Lao labels are long, the window is 1366 px wide.
    for start in range(0, len(buttons), 3):
        row = QHBoxLayout()
        for button in buttons[start : start + 3]:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
    layout.addWidget(browser, 1)
    return page


class CaseView(QWidget):
    """Widgets only; ``CasePage`` fills them and wires the buttons."""

    def __init__(self, translator: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _ = translator.gettext
        self.title = QLabel(self)
        self.title.setObjectName("caseTitle")
        self.subtitle = QLabel(self)
        # Wrap: long channel names (km, lo, pseudo-locale) must not widen the window past 1366 px.
        self.subtitle.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("statusBadge")
        self.status.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Maximum)
        self.back_button = QPushButton(_("Back to the list"), self)
        self.transition_button = QPushButton(_("Change status..."), self)
        self.print_button = QPushButton(_("Print intake report"), self)
        self.export_button = QPushButton(_("Export bundle..."), self)
        header = QHBoxLayout()
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        header.addLayout(titles, 1)
        header.addWidget(self.status)
        for button in (self.transition_button, self.print_button, self.export_button, self.back_button):
            header.addWidget(button)

        self.identity = QTextBrowser(self)
        self.return_info = QTextBrowser(self)
        self.screening = QTextBrowser(self)
        self.care = QTextBrowser(self)
        self.consent = QTextBrowser(self)
        self.follow_ups = QTextBrowser(self)
        self.attachments = QTextBrowser(self)
        self.verifications = QTableView(self)
        setup_table(self.verifications, stretch_column=2)
        self.badges = BadgeDelegate(self.verifications)
        self.history = QTableView(self)
        setup_table(self.history, stretch_column=3)
        self.corrections = QTableView(self)
        setup_table(self.corrections, stretch_column=5)
        self.correct_button = QPushButton(_("Correct the record..."), self)
        self.documents_button = QPushButton(_("Identity documents..."), self)
        self.family_members_button = QPushButton(_("Family..."), self)

        self.screening_button = QPushButton(_("Record identification..."), self)
        self.request_button = QPushButton(_("Request verification..."), self)
        self.reply_button = QPushButton(_("Record reply..."), self)
        self.open_batch_button = QPushButton(_("Open the batch"), self)
        self.reception_button = QPushButton(_("Acknowledge receipt..."), self)
        self.support_button = QPushButton(_("Add support..."), self)
        self.consent_button = QPushButton(_("Record consent..."), self)
        self.follow_up_button = QPushButton(_("Record follow-up..."), self)
        self.family_button = QPushButton(_("Family assessment..."), self)
        self.referral_button = QPushButton(_("Add referral..."), self)
        self.notes_button = QPushButton(_("Health and account..."), self)
        self.photo_button = QPushButton(_("Add photos..."), self)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(_tab(self.identity, [self.correct_button, self.documents_button,
                                               self.family_members_button]),
                         _("Identity and family"))
        self.tabs.addTab(_tab(self.screening, [self.screening_button]), _("Identification"))
        self.tabs.addTab(
            _tab(self.verifications, [self.request_button, self.reply_button]), _("Verification")
        )
        self.tabs.addTab(_tab(self.return_info, [self.open_batch_button]), _("Handover"))
        self.tabs.addTab(
            _tab(
                self.care,
                [self.reception_button, self.support_button, self.family_button, self.referral_button,
                 self.notes_button],
            ),
            _("Reception and care"),
        )
        self.tabs.addTab(_tab(self.consent, [self.consent_button]), _("Consent"))
        self.tabs.addTab(_tab(self.follow_ups, [self.follow_up_button]), _("Follow-ups"))
        self.tabs.addTab(_tab(self.attachments, [self.photo_button]), _("Attachments"))
        self.tabs.addTab(_tab(self.corrections, []), _("Corrections"))
        self.tabs.addTab(_tab(self.history, []), _("History"))

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
