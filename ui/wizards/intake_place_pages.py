"""Intake pages about the return itself: how, when, and where (a gate or another place).

``IntakePage`` is the base of every intake page: it loads the answers when shown, writes them
back on Next, and shows the flow's problems in words instead of letting the officer go on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, cast

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from repatriation.domain.enums import Corridor, PlaceKind, ReturnChannel
from repatriation.domain.errors import ValidationError
from repatriation.services import intake_flow as flow
from repatriation.services.intake_flow import IntakeAnswers, IntakeStep, Problem
from ui.context import AppContext
from ui.error_text import describe_error
from ui.qt_helpers import (
    combo_enum,
    compact,
    date_edit,
    fill_combo,
    from_qdate,
    set_combo_value,
    text_of,
    to_qdate,
)

if TYPE_CHECKING:
    from ui.wizards.intake_wizard import IntakeWizard


def problem_text(ctx: AppContext, problem: Problem) -> str:
    """One problem of the flow in the officer's words, naming the person when there is one."""
    message = describe_error(ValidationError(problem.code, field=problem.field), ctx.translator).message
    if problem.row is None:
        return message
    return ctx.translator.gettext("Person {number}: {problem}").format(
        number=problem.row + 1, problem=message
    )


class IntakePage(QWizardPage):
    """Base: subclasses build a ``form`` and implement ``load`` and ``commit``."""

    step: IntakeStep

    def __init__(self, ctx: AppContext, title: str, subtitle: str = "") -> None:
        super().__init__()
        self.ctx = ctx
        self.setTitle(title)
        if subtitle:
            self.setSubTitle(subtitle)
        self.body = QVBoxLayout(self)
        self.form = QFormLayout()
        self.body.addLayout(self.form)
        self.problems = QLabel(self)
        self.problems.setObjectName("problem")
        self.problems.setWordWrap(True)
        self.problems.hide()

    def finish_layout(self) -> None:
        self.body.addStretch(1)
        self.body.addWidget(self.problems)

    def gt(self, message: str) -> str:
        return self.ctx.translator.gettext(message)

    @property
    def intake(self) -> IntakeWizard:
        return cast("IntakeWizard", self.wizard())

    def initializePage(self) -> None:
        self.problems.hide()
        self.load(self.intake.answers)

    def validatePage(self) -> bool:
        answers = self.commit(self.intake.answers)
        self.intake.answers = answers
        found = flow.problems(answers, self.step, self.intake.today())
        if found:
            self.show_problems(found)
            return False
        self.problems.hide()
        return True

    def show_problems(self, found: Sequence[Problem]) -> None:
        self.problems.setText("\n".join(problem_text(self.ctx, p) for p in found))
        self.problems.show()

    def load(self, answers: IntakeAnswers) -> None:
        raise NotImplementedError

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        raise NotImplementedError


class ReturnPage(IntakePage):
    """Channel, corridor, the day received, and whether one person or a group arrived."""

    step = IntakeStep.RETURN

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            ctx, ctx.translator.gettext("The return"), ctx.translator.gettext("How did they come back?")
        )
        labels = ctx.labels
        self.channel = QComboBox(self)
        fill_combo(self.channel, labels.choices(ReturnChannel))
        self.corridor = QComboBox(self)
        fill_combo(self.corridor, labels.choices(Corridor))
        self.received_on = date_edit(ctx.today(), self)
        self.single = QRadioButton(self.gt("One person"), self)
        self.group = QRadioButton(self.gt("A group received together"), self)
        choice = QButtonGroup(self)
        choice.addButton(self.single)
        choice.addButton(self.group)
        who = QWidget(self)
        who_layout = QVBoxLayout(who)
        who_layout.setContentsMargins(0, 0, 0, 0)
        who_layout.addWidget(self.single)
        who_layout.addWidget(self.group)
        self.notes = QLineEdit(self)
        self.form.addRow(self.gt("Channel"), self.channel)
        self.form.addRow(self.gt("Corridor"), self.corridor)
        self.form.addRow(self.gt("Received on"), self.received_on)
        self.form.addRow(self.gt("Who"), who)
        self.form.addRow(self.gt("Notes"), self.notes)
        self.finish_layout()

    def load(self, answers: IntakeAnswers) -> None:
        set_combo_value(self.channel, answers.channel)
        set_combo_value(self.corridor, answers.corridor)
        if answers.received_on:
            self.received_on.setDate(to_qdate(answers.received_on))
        (self.group if answers.group else self.single).setChecked(True)
        self.notes.setText(answers.notes)

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        channel = combo_enum(self.channel, ReturnChannel) or ReturnChannel.OFFICIAL_HANDOVER
        place_kind = answers.place_kind
        if flow.default_place_kind(channel) is PlaceKind.OTHER:
            place_kind = PlaceKind.OTHER
        elif place_kind is PlaceKind.OTHER:
            place_kind = PlaceKind.GATE
        return replace(
            answers,
            channel=channel,
            corridor=combo_enum(self.corridor, Corridor) or Corridor.CHINA,
            received_on=from_qdate(self.received_on.date()),
            group=self.group.isChecked(),
            place_kind=place_kind,
            notes=text_of(self.notes.text()),
        )


class BorderPlacePage(IntakePage):
    """A gate or auxiliary gate from the reference list, or a border marker by number."""

    step = IntakeStep.BORDER_PLACE

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, ctx.translator.gettext("Where at the border"))
        self.place_kind = QComboBox(self)
        fill_combo(
            self.place_kind,
            [(t, k) for t, k in ctx.labels.choices(PlaceKind) if k is not PlaceKind.OTHER],
        )
        self.gate = QComboBox(self)
        compact(self.gate, chars=30)
        self.detail = QLineEdit(self)
        self.detail.setPlaceholderText(self.gt("e.g. marker 450, or the auxiliary gate's name"))
        self.form.addRow(self.gt("Place"), self.place_kind)
        self.form.addRow(self.gt("Gate"), self.gate)
        self.form.addRow(self.gt("Marker or details"), self.detail)
        self.place_kind.currentIndexChanged.connect(self._update)
        self.finish_layout()

    def _update(self) -> None:
        kind = combo_enum(self.place_kind, PlaceKind)
        self.gate.setEnabled(kind in (PlaceKind.GATE, PlaceKind.AUXILIARY_GATE))

    def load(self, answers: IntakeAnswers) -> None:
        gates = self.ctx.services.reference.gates_for(answers.corridor, answers.received_on)
        fill_combo(self.gate, [(g.name_vi, g.code) for g in gates])
        if answers.gate_code:
            set_combo_value(self.gate, answers.gate_code)
        set_combo_value(self.place_kind, answers.place_kind)
        self.detail.setText(answers.place_detail)
        self._update()

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        kind = combo_enum(self.place_kind, PlaceKind) or PlaceKind.GATE
        return replace(
            answers,
            place_kind=kind,
            gate_code=self.gate.currentData(),
            place_detail=text_of(self.detail.text()),
        )


class OtherPlacePage(IntakePage):
    """Where a person who did not cross at a gate reported: a mission, a town, a commune."""

    step = IntakeStep.OTHER_PLACE

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(
            ctx,
            ctx.translator.gettext("Where they reported"),
            ctx.translator.gettext("The embassy, consulate, town or commune where the person came forward."),
        )
        self.detail = QLineEdit(self)
        self.form.addRow(self.gt("Place"), self.detail)
        self.finish_layout()

    def load(self, answers: IntakeAnswers) -> None:
        self.detail.setText(answers.place_detail)

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        return replace(
            answers, place_kind=PlaceKind.OTHER, gate_code=None, place_detail=text_of(self.detail.text())
        )
