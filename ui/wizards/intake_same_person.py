"""The intake review lists stored cases that may be a person being registered (never merged)."""

from __future__ import annotations

from html import escape
from typing import Any

from repatriation.domain.errors import DomainError
from repatriation.services.intake_flow import IntakeAnswers, person_from_entry
from ui.context import AppContext


def show_possible_same_persons(ctx: AppContext, answers: IntakeAnswers,
                               append: Any) -> None:
    """Look up possible same persons on the database worker; ``append(html)`` shows them."""
    received = answers.received_on or ctx.today()
    try:
        persons = [person_from_entry(entry, received) for entry in answers.persons]
    except DomainError:
        return  # an incomplete entry: the review's problem list says why
    cases, actor, gt = ctx.services.cases, ctx.actor, ctx.translator.gettext

    def done(found: list[tuple[int, Any]]) -> None:
        if not found:
            return
        items = "".join(
            "<li>{}</li>".format(escape(gt(
                "{name} may be the child of case {reference} ({reasons}): look before "
                "registering; nothing is merged.").format(
                name=answers.persons[index].full_name, reference=match.reference,
                reasons=", ".join(match.reasons))))
            for index, match in found)
        append(f"<p><b>{escape(gt('Possible same person'))}</b></p><ul>{items}</ul>")

    ctx.tasks.run_db(lambda: cases.possible_same_persons(actor, persons), done=done,
                     error=lambda _e: None, owner=None)
