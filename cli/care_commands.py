"""Every step of a case headless, as on the desk's case page.

Verification, reception, consent, family assessment, referral, notes, status, follow-ups:
sub-commands of ``cases`` and ``verifications`` (registered by ``cli.case_commands``). Each
prints the case as the acting role sees it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import date

from cli.context import CliContext
from repatriation.domain.actors import Actor
from repatriation.domain.care import Closure, ConsentRecord, FamilyAssessment, Reception, Referral
from repatriation.domain.case import Case
from repatriation.domain.codec import to_jsonable
from repatriation.domain.enums import (
    CaseStatus,
    ConsentScope,
    ConsentSubject,
    FollowUpStatus,
    Outcome,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.errors import ValidationError
from repatriation.services.verifications import VerificationDraft

ANSWERS = {"given": True, "refused": False, "not-asked": None}
Handler = Callable[[argparse.Namespace, CliContext, Actor, date], Case]


def _day(parser: argparse.ArgumentParser, flag: str = "--on", help_text: str = "day (default today)") -> None:
    parser.add_argument(flag, dest=flag.strip("-").replace("-", "_"), type=date.fromisoformat, help=help_text)


def _command(sub: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str,
             handler: Handler) -> argparse.ArgumentParser:  # fmt: skip
    parser = sub.add_parser(name, help=text)
    parser.add_argument("case", help="case reference")
    parser.set_defaults(handler=lambda args, ctx: _run(args, ctx, handler))
    return parser


def _run(args: argparse.Namespace, ctx: CliContext, handler: Handler) -> int:
    case = handler(args, ctx, ctx.actor, ctx.services.clock.today())
    json.dump(to_jsonable(case), ctx.out, ensure_ascii=False, indent=1)
    ctx.out.write("\n")
    return 0


def register_case_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cases receive|consent|family|refer|notes|status|follow-up``."""
    receive = _command(sub, "receive", "the reception centre acknowledges the arrival", _receive)
    receive.add_argument("--facility", required=True)
    receive.add_argument("--received-by", default="")
    _day(receive, "--arrived-on", "day of arrival (default today)")

    consent = _command(sub, "consent", "record the child's and the representative's answers for one purpose",
                       _consent)  # fmt: skip
    consent.add_argument("--scope", choices=[s.value for s in ConsentScope], required=True)
    consent.add_argument("--child", choices=sorted(ANSWERS), default="not-asked",
                         help="the child's answer (needed from the age of 7)")  # fmt: skip
    consent.add_argument("--representative", choices=sorted(ANSWERS), default="not-asked",
                         help="the parent's or legal representative's answer (always needed)")  # fmt: skip
    consent.add_argument("--representative-name", default="")
    consent.add_argument(
        "--exemption", action="store_true", help="law-enforcement exemption: no consent needed"
    )
    _day(consent)

    family = _command(sub, "family", "record the family assessment (tracing, safe to return)", _family)
    family.add_argument("--found", action="store_true", help="the family was found")
    family.add_argument("--safe", choices=("yes", "no", "unknown"), default="unknown")
    family.add_argument("--notes", default="")
    _day(family, "--traced-on", "day the family was traced (default today)")

    refer = _command(sub, "refer", "refer the child to another body", _refer)
    refer.add_argument("--to", dest="to_body", required=True)
    refer.add_argument("--reason", default="")
    _day(refer)

    notes = _command(sub, "notes", "health notes, the account of exploitation, other notes", _notes)
    notes.add_argument("--health")
    notes.add_argument("--narrative", help="the child's account of exploitation (child-private)")
    notes.add_argument("--other", help="other notes")

    status = _command(sub, "status", "move the case to another status (reintegration, closure...)", _status)
    status.add_argument("target", choices=[s.value for s in CaseStatus])
    status.add_argument("--reason", default="")
    status.add_argument("--outcome", choices=[o.value for o in Outcome], help="needed to close")

    follow = _command(sub, "follow-up", "plan or record the 3, 6 or 12-month follow-up visit", _follow_up)
    follow.add_argument("--months", type=int, required=True, choices=(3, 6, 12))
    follow.add_argument("--result", choices=[s.value for s in FollowUpStatus], default="due",
                        help="due: planned, not visited yet")  # fmt: skip
    _day(follow, "--planned-on", "move the planned day")
    _day(follow, "--visited-on", "day of the visit (default today when done or missed)")
    follow.add_argument("--notes", default="")


def register_verification_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``verifications request|reply``."""
    request = _command(sub, "request", "send a verification request for a case", _request)
    request.add_argument("--kind", choices=[k.value for k in VerificationKind], required=True)
    request.add_argument("--to", dest="requested_to", required=True, help="the agency asked")
    request.add_argument("--subject", default="")
    _day(request, "--sent-on", "day sent (default today)")
    reply = _command(sub, "reply", "record the reply to a verification request", _reply)
    reply.add_argument("request_id", help="the request id (cases show lists them)")
    reply.add_argument("--outcome", choices=[o.value for o in VerificationOutcome], required=True)
    reply.add_argument("--reply", default="", help="what the reply says")
    _day(reply, "--received-on", "day received (default today)")


def _receive(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    reception = Reception(args.facility, args.arrived_on or today, received_by=args.received_by)
    return ctx.services.cases.record_reception(actor, args.case, reception)


def _consent(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    scope, on = ConsentScope(args.scope), args.on or today
    if args.exemption:
        exempt = ConsentRecord(
            ConsentSubject.REPRESENTATIVE, scope, False, on, law_enforcement_exemption=True
        )
        records = [exempt]
    else:
        records = [
            ConsentRecord(subject, scope, bool(ANSWERS[answer]), on, given_by=name)
            for subject, answer, name in (
                (ConsentSubject.CHILD, args.child, ""),
                (ConsentSubject.REPRESENTATIVE, args.representative, args.representative_name),
            )
            if ANSWERS[answer] is not None
        ]
        if not records:
            raise ValidationError("consent_no_answer")
        if args.representative != "not-asked" and not args.representative_name.strip():
            raise ValidationError("missing_field", field="representative_name")
    return ctx.services.cases.add_consents(actor, args.case, records)


def _family(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    safe = {"yes": True, "no": False, "unknown": None}[args.safe]
    assessment = FamilyAssessment(args.traced_on or today, args.found, safe, args.notes)
    return ctx.services.cases.record_family_assessment(actor, args.case, assessment)


def _refer(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    referral = Referral(args.to_body, args.on or today, args.reason)
    return ctx.services.cases.add_referral(actor, args.case, referral)


def _notes(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    return ctx.services.cases.update_notes(
        actor, args.case, health_notes=args.health, exploitation_narrative=args.narrative, notes=args.other
    )


def _status(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    target, cases = CaseStatus(args.target), ctx.services.cases
    if target is CaseStatus.CLOSED:
        if not args.outcome:
            raise ValidationError("closing_needs_outcome")
        return cases.close(actor, args.case, Closure(today, Outcome(args.outcome), args.reason))
    return cases.transition(actor, args.case, target, reason=args.reason)


def _follow_up(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    cases = ctx.services.cases
    scheduled = {f.months: f for f in cases.get(actor, args.case).follow_ups}
    if args.months not in scheduled:
        raise ValidationError("unknown_follow_up", months=args.months)
    result = FollowUpStatus(args.result)
    visit = replace(
        scheduled[args.months],
        due_on=args.planned_on or scheduled[args.months].due_on,
        status=result,
        done_on=None if result is FollowUpStatus.DUE else (args.visited_on or today),
        notes=args.notes or scheduled[args.months].notes,
    )
    return cases.record_follow_up(actor, args.case, visit)


def _request(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    draft = VerificationDraft(
        kind=VerificationKind(args.kind),
        requested_by=ctx.services.settings.post_name,
        requested_to=args.requested_to,
        sent_on=args.sent_on or today,
        subject=args.subject,
    )
    return ctx.services.verifications.request(actor, args.case, draft)


def _reply(args: argparse.Namespace, ctx: CliContext, actor: Actor, today: date) -> Case:
    return ctx.services.verifications.reply(
        actor,
        args.case,
        args.request_id,
        received_on=args.received_on or today,
        outcome=VerificationOutcome(args.outcome),
        reply=args.reply,
    )
