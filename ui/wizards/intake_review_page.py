"""The intake's last page: what will be registered (added fields' values too), and what is missing."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QTextBrowser

from repatriation.domain.fields import extra_fields
from repatriation.services import intake_flow as flow
from repatriation.services.intake_flow import IntakeAnswers, IntakeStep, PersonEntry
from ui.context import AppContext
from ui.pages.case_sections import added_value_text
from ui.wizards.intake_place_pages import IntakePage
from ui.wizards.intake_same_person import show_possible_same_persons


class ReviewPage(IntakePage):
    """What will be registered, and anything still missing."""

    step = IntakeStep.REVIEW

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, ctx.translator.gettext("Check and register"))
        self.summary = QTextBrowser(self)
        self.body.addWidget(self.summary, 1)
        self.body.addWidget(self.problems)

    def load(self, answers: IntakeAnswers) -> None:
        labels = self.ctx.labels
        place = answers.gate_code or answers.place_detail
        head = (
            f"<p><b>{escape(labels.enum(answers.channel))}</b> \u00b7 {escape(labels.enum(answers.corridor))}"
            f" \u00b7 {escape(labels.date(answers.received_on))} \u00b7 {escape(place)}</p>"
        )
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                number,
                escape(p.full_name),
                escape(labels.enum(p.sex)),
                escape(str(flow.age_on(p, answers.received_on, self.ctx.today()) or "?")),
                escape(labels.spoken_language(p.preferred_language)),
                self._added(p),
            )
            for number, p in enumerate(answers.persons, start=1)
        )
        count = self.ctx.translator.ngettext(
            "{count} person will be registered.", "{count} persons will be registered.", len(answers.persons)
        ).format(count=len(answers.persons))
        self.summary.setHtml(f"{head}<p>{escape(count)}</p><table cellpadding='4'>{rows}</table>")
        show_possible_same_persons(self.ctx, answers, self.summary.append)
        found = flow.all_problems(answers, self.ctx.today())
        if found:
            self.show_problems(found)

    def _added(self, entry: PersonEntry) -> str:
        """The added fields' values typed: the last cell of the person's row, so the others stay narrow."""
        labels = self.ctx.labels
        shown = []
        for spec in extra_fields():  # in the order the person's page asked them
            value = entry.extra_fields.get(spec.name)
            if value is None:
                continue
            label = labels.field(spec.name)
            shown.append(f"{label[:1].upper()}{label[1:]}: {added_value_text(value, labels)}")
        return escape(" \u00b7 ".join(shown))

    def commit(self, answers: IntakeAnswers) -> IntakeAnswers:
        return answers
