"""The intake wizard shell: one returnee or a group; ``nextId`` asks ``services.intake_flow``.

Pages write their fields into one frozen ``IntakeAnswers`` when the officer presses Next; the
path (gate or other place, one person or a group, language, photos) is decided by the flow,
which is tested without Qt. Finish registers every person in one transaction off the GUI thread.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from repatriation.services import intake_flow as flow
from repatriation.services.intake_flow import IntakeAnswers, IntakeResult, IntakeStep
from ui.context import AppContext
from ui.wizards.intake_person_pages import GroupPage, LanguagePage, PersonPage, PhotosPage
from ui.wizards.intake_place_pages import BorderPlacePage, IntakePage, OtherPlacePage, ReturnPage
from ui.wizards.intake_review_page import ReviewPage

STEP_IDS: dict[IntakeStep, int] = {step: number for number, step in enumerate(IntakeStep)}


class IntakeWizard(QWizard):
    """Emits ``registered(IntakeResult)`` once the cases exist."""

    registered = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        _ = ctx.translator.gettext
        settings = ctx.services.settings
        self.answers = IntakeAnswers(received_on=ctx.today(), gate_code=settings.gate_code)
        self.setWindowTitle(_("Intake"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.resize(980, 640)
        # Qt has no Vietnamese, Khmer or Lao translation of its own buttons (docs/stack-notes.md, Text).
        for button, text in (
            (QWizard.WizardButton.BackButton, _("Back")),
            (QWizard.WizardButton.NextButton, _("Next")),
            (QWizard.WizardButton.FinishButton, _("Register")),
            (QWizard.WizardButton.CancelButton, _("Cancel")),
        ):
            self.setButtonText(button, text)
        pages: dict[IntakeStep, IntakePage] = {
            IntakeStep.RETURN: ReturnPage(ctx),
            IntakeStep.BORDER_PLACE: BorderPlacePage(ctx),
            IntakeStep.OTHER_PLACE: OtherPlacePage(ctx),
            IntakeStep.PERSON: PersonPage(ctx),
            IntakeStep.GROUP: GroupPage(ctx),
            IntakeStep.LANGUAGE: LanguagePage(ctx),
            IntakeStep.PHOTOS: PhotosPage(ctx),
            IntakeStep.REVIEW: ReviewPage(ctx),
        }
        self.steps = pages
        for step, page in pages.items():
            self.setPage(STEP_IDS[step], page)
        self.setStartId(STEP_IDS[IntakeStep.RETURN])
        self._submitting = False

    def step(self) -> IntakeStep:
        """The step on screen."""
        return list(IntakeStep)[max(0, self.currentId())]

    def nextId(self) -> int:
        if self.currentId() < 0:
            return STEP_IDS[IntakeStep.RETURN]
        following = flow.next_step(self.answers, self.step())
        return -1 if following is None else STEP_IDS[following]

    def today(self) -> date:
        return self.ctx.today()

    def accept(self) -> None:
        """Register the persons; the wizard closes only once the cases exist."""
        if self._submitting:
            return
        found = flow.all_problems(self.answers, self.today())
        if found:
            self.steps[IntakeStep.REVIEW].show_problems(found)
            return
        self._submitting = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        services, answers, actor, today = self.ctx.services, self.answers, self.ctx.actor, self.today()
        self.ctx.tasks.run_db(
            lambda: flow.register(
                answers,
                reference=services.reference,
                store=services.imports,
                actor=actor,
                photos=self.ctx.attachments,
                today=today,
            ),
            done=self._registered,
            error=self._failed,
            changes=lambda result: services.cases.changes_for(*result.cases),
            label=self.ctx.translator.gettext("Registering..."),
            owner=self,
        )

    def _registered(self, result: IntakeResult) -> None:
        self._submitting = False
        self.registered.emit(result)
        super().accept()

    def _failed(self, error: BaseException) -> None:
        self._submitting = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.ctx.show_error(error, self.ctx.translator.gettext("The persons were not registered"))
