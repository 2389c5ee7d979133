"""One case: its whole file in tabs, and the actions an officer takes on it.

Every action opens a small dialog, then runs the use case on the database worker; the case
returned replaces the one shown and ``data_changed`` tells the other pages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from repatriation.domain.case import Case
from repatriation.domain.enums import CaseStatus
from repatriation.domain.errors import DomainError
from repatriation.services.intake_flow import store_photo
from repatriation.services.results import AuditEntry, Changes
from ui.context import AppContext
from ui.dialogs.care_dialogs import FamilyAssessmentDialog, NotesDialog, ReferralDialog
from ui.dialogs.consent_dialog import ConsentDialog
from ui.dialogs.follow_up_dialog import FollowUpDialog
from ui.dialogs.reception_dialog import ReceptionDialog
from ui.dialogs.screening_dialog import ScreeningDialog
from ui.dialogs.support_dialog import SupportDialog
from ui.dialogs.transition_dialog import TransitionDialog
from ui.dialogs.verification_reply_dialog import VerificationReplyDialog
from ui.dialogs.verification_request_dialog import VerificationRequestDialog
from ui.labels import STATUS_COLOURS
from ui.pages import case_corrections
from ui.pages import case_sections as sections
from ui.pages.case_view import CaseView
from ui.print_signing import signing_unlock
from ui.qt_helpers import set_widths
from ui.table_models.audit_table_model import AuditTableModel
from ui.table_models.base import ROW_ROLE
from ui.table_models.correction_table_model import CorrectionColumn, CorrectionTableModel
from ui.table_models.verification_table_model import VerificationColumn, VerificationTableModel

# Agency kinds whose names are offered as reception facilities.
FACILITY_KINDS = ("social_welfare", "ngo", "international_org")


class CasePage(QWidget):
    """Shows the case set with ``show_case``; emits ``back`` and ``open_batch``."""

    back = Signal()
    open_batch = Signal(str)
    export_requested = Signal(list)  # case references
    case_shown = Signal(object)  # Case (tests wait on it)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case: Case | None = None
        self.view = CaseView(ctx.translator, self)
        self.verification_model = VerificationTableModel(ctx.labels, ctx.today)
        self.history_model = AuditTableModel(ctx.labels)
        self.corrections_model = CorrectionTableModel(ctx.labels, ctx.services.reference)
        self.correction_dialog: QWidget | None = None  # the open correction dialog (tests)
        self.view.verifications.setModel(self.verification_model)
        self.view.verifications.setItemDelegateForColumn(VerificationColumn.DUE, self.view.badges)
        self.view.history.setModel(self.history_model)
        self.view.corrections.setModel(self.corrections_model)
        set_widths(self.view.corrections, {CorrectionColumn.WHEN: 120, CorrectionColumn.FIELD: 150,
                                           CorrectionColumn.BEFORE: 200, CorrectionColumn.AFTER: 200,
                                           CorrectionColumn.WHO: 110}, stretch=CorrectionColumn.REASON)
        set_widths(
            self.view.verifications,
            {VerificationColumn.ID: 45, VerificationColumn.KIND: 160, VerificationColumn.TO: 230,
             VerificationColumn.SENT: 90, VerificationColumn.DUE: 150, VerificationColumn.OUTCOME: 140,
             VerificationColumn.RECEIVED: 90},
            stretch=VerificationColumn.LEGAL,
        )  # fmt: skip
        set_widths(self.view.history, {0: 130, 1: 130, 2: 220}, stretch=3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self._wire()
        ctx.tasks.data_changed.connect(self._on_data_changed)

    def _wire(self) -> None:
        view = self.view
        view.back_button.clicked.connect(self.back.emit)
        view.transition_button.clicked.connect(self.change_status)
        view.print_button.clicked.connect(self.print_intake_report)
        view.export_button.clicked.connect(self._request_export)
        view.screening_button.clicked.connect(self.record_screening)
        view.request_button.clicked.connect(self.request_verification)
        view.reply_button.clicked.connect(self.record_reply)
        view.open_batch_button.clicked.connect(self._open_batch)
        view.reception_button.clicked.connect(self.record_reception)
        view.support_button.clicked.connect(self.add_support)
        view.consent_button.clicked.connect(self.record_consent)
        view.follow_up_button.clicked.connect(self.record_follow_up)
        view.photo_button.clicked.connect(self.add_photos)
        view.family_button.clicked.connect(lambda: self.record_family_assessment())
        view.referral_button.clicked.connect(lambda: self.add_referral())
        view.notes_button.clicked.connect(lambda: self.edit_notes())
        view.correct_button.clicked.connect(lambda: case_corrections.correct_intake(self))
        view.documents_button.clicked.connect(lambda: case_corrections.edit_documents(self))
        view.family_members_button.clicked.connect(lambda: case_corrections.edit_family(self))
        view.print_button.setVisible(self.ctx.documents is not None)
        # Photos are only ever stored encrypted: without the attachment store, no photo button.
        view.photo_button.setVisible(self.ctx.attachments is not None)

    # -- loading -------------------------------------------------------------------------------

    def show_case(self, reference: str) -> None:
        """Load and show a case (the opening is audited by the service)."""
        cases, actor = self.ctx.services.cases, self.ctx.actor
        self.ctx.tasks.run_db(
            lambda: (cases.get(actor, reference), cases.history(actor, reference)),
            done=lambda loaded: self._fill(*loaded),
            owner=self,
        )

    def _fill(self, case: Case, history: list[AuditEntry]) -> None:
        self.case = case
        ctx, labels, today = self.ctx, self.ctx.labels, self.ctx.today()
        reference = ctx.services.reference
        view = self.view
        view.title.setText(f"{case.person.full_name}  \u00b7  {case.reference}")
        view.subtitle.setText(
            " \u00b7 ".join(
                part
                for part in (
                    labels.enum(case.corridor),
                    labels.enum(case.channel),
                    labels.date(case.received_on),
                    labels.enum(case.screening.status),
                )
                if part
            )
        )
        background, foreground = STATUS_COLOURS[case.status]
        view.status.setText(labels.enum(case.status))
        view.status.setStyleSheet(
            f"background:{background};color:{foreground};border-radius:9px;padding:3px 10px;font-weight:600"
        )
        view.identity.setHtml(sections.identity_html(case, labels, reference, today))
        view.return_info.setHtml(sections.return_html(case, labels, reference))
        view.screening.setHtml(sections.screening_html(case, labels))
        view.care.setHtml(sections.care_html(case, labels))
        view.consent.setHtml(sections.consent_html(case, labels, today))
        view.follow_ups.setHtml(sections.follow_ups_html(case, labels))
        view.attachments.setHtml(sections.attachments_html(case, labels))
        self._load_thumbnails(case)
        self.verification_model.set_rows(case.verifications)
        self.history_model.set_rows(history)
        self.corrections_model.set_rows(case.corrections.all())
        view.open_batch_button.setEnabled(case.batch_reference is not None)
        view.reply_button.setEnabled(bool(case.open_verifications()))
        view.follow_up_button.setEnabled(bool(case.follow_ups))
        view.reception_button.setEnabled(case.reception is None)
        self.case_shown.emit(case)

    def _on_data_changed(self, changes: Changes) -> None:
        if self.case is not None and self.case.reference in changes.cases:
            self.show_case(self.case.reference)

    # -- actions -------------------------------------------------------------------------------

    def run_change(self, work: Callable[[], Case]) -> None:
        """Run a change of the case on the database worker; every page refreshes after it."""
        self.ctx.tasks.run_db(work, changes=self.ctx.services.cases.changes_for)

    def change_status(self) -> None:
        if self.case is None:
            return
        dialog = TransitionDialog(self.ctx.translator, self.case.status, self.ctx.today(), self)
        if not dialog.exec():
            return
        move, ref, actor = dialog.decision(), self.case.reference, self.ctx.actor
        cases = self.ctx.services.cases
        if move.target is CaseStatus.REINTEGRATION and not self._confirm_reintegration(self.case):
            return
        if move.target is CaseStatus.CLOSED and move.closure is not None:
            self.run_change(lambda: cases.close(actor, ref, move.closure))  # type: ignore[arg-type]
        else:
            self.run_change(lambda: cases.transition(actor, ref, move.target, reason=move.reason))

    def record_screening(self) -> None:
        if self.case is None:
            return
        dialog = ScreeningDialog(self.ctx.translator, self.case.screening, self.ctx.today(), self)
        if dialog.exec():
            screening, ref = dialog.screening(), self.case.reference
            self.run_change(lambda: self.ctx.services.cases.record_screening(self.ctx.actor, ref, screening))

    def request_verification(self) -> None:
        if self.case is None:
            return
        reference = self.ctx.services.reference
        agencies = [a.name for a in getattr(reference, "agencies_on", lambda *_: ())(self.ctx.today(), "VN")]
        dialog = VerificationRequestDialog(
            self.ctx.translator, self.ctx.today(), self.ctx.services.settings.post_name, agencies, self
        )
        if dialog.exec():
            draft, ref = dialog.draft(), self.case.reference
            self.run_change(lambda: self.ctx.services.verifications.request(self.ctx.actor, ref, draft))

    def record_reply(self) -> None:
        if self.case is None:
            return
        selected = self.view.verifications.currentIndex().data(ROW_ROLE)
        open_requests = self.case.open_verifications()
        request = selected if selected in open_requests else (open_requests[0] if open_requests else None)
        if request is None:
            return
        kind = self.ctx.labels.enum(request.kind)
        question = f"{request.request_id} \u00b7 {kind} \u00b7 {request.requested_to}"
        dialog = VerificationReplyDialog(self.ctx.translator, self.ctx.today(), question, self)
        if dialog.exec():
            reply, ref = dialog.reply(), self.case.reference
            self.run_change(
                lambda: self.ctx.services.verifications.reply(
                    self.ctx.actor,
                    ref,
                    request.request_id,
                    received_on=reply.received_on,
                    outcome=reply.outcome,
                    reply=reply.reply,
                )
            )

    def record_reception(self) -> None:
        if self.case is None:
            return
        today = self.ctx.today()
        agencies = getattr(self.ctx.services.reference, "agencies_on", lambda *_: ())(today, "VN")
        facilities = [a.name for a in agencies if a.kind in FACILITY_KINDS]
        dialog = ReceptionDialog(self.ctx.translator, today, facilities, self.ctx.actor.username, self)
        if dialog.exec():
            reception, ref = dialog.reception(), self.case.reference
            self.run_change(lambda: self.ctx.services.cases.record_reception(self.ctx.actor, ref, reception))

    def add_support(self) -> None:
        self._simple(
            SupportDialog,
            "support",
            lambda ref, item: self.ctx.services.cases.add_support(self.ctx.actor, ref, item),
        )

    def record_consent(self) -> None:
        if self.case is None:
            return
        today = self.ctx.today()
        child = self.case.person.must_consent_personally(today)
        dialog = ConsentDialog(self.ctx.translator, today, child, self)
        if dialog.exec():
            records, ref = dialog.consents(), self.case.reference
            self.run_change(lambda: self.ctx.services.cases.add_consents(self.ctx.actor, ref, records))

    def record_family_assessment(self) -> None:
        if self.case is None:
            return
        dialog = FamilyAssessmentDialog(
            self.ctx.translator, self.ctx.today(), self.case.family_assessment, self
        )
        if dialog.exec():
            assessment, ref = dialog.assessment(), self.case.reference
            cases = self.ctx.services.cases
            self.run_change(lambda: cases.record_family_assessment(self.ctx.actor, ref, assessment))

    def add_referral(self) -> None:
        self._simple(
            ReferralDialog,
            "referral",
            lambda ref, item: self.ctx.services.cases.add_referral(self.ctx.actor, ref, item),
        )

    def edit_notes(self) -> None:
        if self.case is None:
            return
        case = self.case
        dialog = NotesDialog(
            self.ctx.translator, case.health_notes, case.exploitation_narrative, case.notes, self
        )
        if dialog.exec():
            values = {k: v for k, v in dialog.values().items() if v != getattr(case, k)}
            if values:
                cases = self.ctx.services.cases
                self.run_change(lambda: cases.update_notes(self.ctx.actor, case.reference, **values))

    def _confirm_reintegration(self, case: Case) -> bool:
        """Reintegration starts the follow-up clock: confirm, and name a missing family assessment."""
        _ = self.ctx.translator.gettext
        assessment = case.family_assessment
        if assessment is None:
            question = _(
                "No family assessment is recorded for {name}. Reintegration should start only once "
                "the family was traced and found safe. Start reintegration anyway?"
            )
        elif assessment.safe_to_return is not True:
            question = _(
                "The family assessment of {name} does not say that return is safe. Start "
                "reintegration anyway?"
            )
        else:
            question = _(
                "Start reintegration for {name}? Follow-up visits are planned at 3, 6 and 12 months."
            )
        return self.ctx.prompter.confirm(
            _("Start reintegration"),
            question.format(name=case.person.full_name),
            ok_label=_("Start reintegration"),
        )

    def _simple(self, dialog_type: Any, accessor: str, apply: Callable[[str, Any], Case]) -> None:
        if self.case is None:
            return
        dialog = dialog_type(self.ctx.translator, self.ctx.today(), self)
        if dialog.exec():
            item, ref = getattr(dialog, accessor)(), self.case.reference
            self.run_change(lambda: apply(ref, item))

    def record_follow_up(self) -> None:
        if self.case is None or not self.case.follow_ups:
            return
        dialog = FollowUpDialog(self.ctx.translator, self.case.follow_ups, self.ctx.today(), self)
        if dialog.exec():
            follow_up, ref = dialog.follow_up(), self.case.reference
            self.run_change(lambda: self.ctx.services.cases.record_follow_up(self.ctx.actor, ref, follow_up))

    def _load_thumbnails(self, case: Case) -> None:
        store = self.ctx.attachments
        if store is None or not case.person.photos:
            return

        def load() -> dict[str, bytes]:
            found = {}
            for photo in case.person.photos:
                try:
                    found[photo.sha256] = store.load(photo.sha256)
                except DomainError:
                    continue  # missing or damaged: listed without a thumbnail
            return found

        labels = self.ctx.labels
        self.ctx.tasks.run(
            load,
            done=lambda images: self.view.attachments.setHtml(
                sections.attachments_html(case, labels, images)
            ),
            owner=self,
        )

    def add_photos(self) -> None:
        store = self.ctx.attachments
        if self.case is None or store is None:
            return
        _ = self.ctx.translator.gettext
        paths = self.ctx.prompter.open_files(_("Add photos"), _("Photos (*.jpg *.jpeg *.png)"))
        if not paths:
            return
        case, cases = self.case, self.ctx.services.cases

        def work() -> Case:
            stored = tuple(store_photo(p, store) for p in paths)
            person = replace(case.person, photos=(*case.person.photos, *stored))
            return cases.update_person(self.ctx.actor, case.reference, person, case.revision)

        self.run_change(work)

    def _request_export(self) -> None:
        if self.case is not None:
            self.export_requested.emit([self.case.reference])

    def _open_batch(self) -> None:
        if self.case is not None and self.case.batch_reference:
            self.open_batch.emit(self.case.batch_reference)

    def print_intake_report(self) -> None:
        documents = self.ctx.documents
        if self.case is None or documents is None:
            return
        ref, actor = self.case.reference, self.ctx.actor
        title = self.ctx.translator.gettext("Intake report {reference}").format(reference=ref)
        unlock = signing_unlock(self.ctx)

        def render() -> bytes:
            unlock()
            return bytes(documents.render(actor, "intake_report", case_ref=ref, language="vi"))

        self.ctx.tasks.run_db(  # the renderer reads the case from the database
            render,
            # The preview is modal: opened after the task ends, so the status bar is not left busy.
            done=lambda data: QTimer.singleShot(0, lambda: self.ctx.prompter.show_pdf(title, data, ref)),
            label=self.ctx.translator.gettext("Preparing the document..."),
            owner=self,
        )
