"""Handover batches headless: plan, list, show, officials, signatures, hand over, cancel.

The same services as the desk's handover page; the minutes print with
``forms render --form handover_minutes --batch REF``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from datetime import date

from cli.context import CliContext
from repatriation.domain.codec import to_jsonable
from repatriation.domain.enums import Corridor, HandoverDirection, PlaceKind, SignatureMethod
from repatriation.domain.errors import ValidationError
from repatriation.domain.handover import BatchMember, HandoverBatch, Official
from repatriation.services.handovers import BatchDraft

SIDES = ("vn", "foreign")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``batches`` and its sub-commands."""
    batches = subparsers.add_parser(
        "batches", help="handover batches (plan, officials, signatures, hand over)"
    )
    sub = batches.add_subparsers(dest="batches_command", required=True)

    lst = sub.add_parser("list", help="recent batches as JSON")
    lst.add_argument("--limit", type=int, default=100)
    lst.set_defaults(handler=run_list)
    show = sub.add_parser("show", help="one batch as JSON")
    show.add_argument("reference")
    show.set_defaults(handler=run_show)

    plan = sub.add_parser("plan", help="plan a batch with its persons (cases awaiting handover)")
    plan.add_argument("--case", dest="cases", action="append", required=True, help="case reference (repeat)")
    plan.add_argument("--direction", choices=[d.value for d in HandoverDirection], default="inbound")
    plan.add_argument("--corridor", choices=[c.value for c in Corridor if c is not Corridor.OTHER])
    plan.add_argument("--on", dest="planned_on", type=date.fromisoformat, help="planned day (default today)")
    plan.add_argument("--place", choices=[p.value for p in PlaceKind], default="gate")
    plan.add_argument("--gate", help="border gate code (default: the post's gate)")
    plan.add_argument("--place-detail", default="")
    plan.add_argument("--interpreter", default="")
    plan.add_argument("--remarks", default="")

    official = sub.add_parser("official", help="add an official of either side to a planned batch")
    official.add_argument("reference")
    official.add_argument(
        "--side", choices=SIDES, required=True, help="vn: our side; foreign: the counterpart"
    )
    official.add_argument("--name", required=True)
    official.add_argument("--rank", default="")
    official.add_argument("--unit", default="")

    sign = sub.add_parser("sign", help="record how a person signed the minutes, and what they carry")
    sign.add_argument("reference")
    sign.add_argument("case")
    sign.add_argument("--method", choices=[m.value for m in SignatureMethod], required=True)
    sign.add_argument("--belongings")
    sign.add_argument("--documents")
    sign.add_argument("--health")
    sign.add_argument("--witness")

    hand = sub.add_parser("hand-over", help="record the handover now (every person's case moves on)")
    hand.add_argument("reference")
    hand.add_argument(
        "--allow-unsigned", action="store_true", help="hand over even if a person has not signed"
    )
    cancel = sub.add_parser("cancel", help="cancel a planned batch and release its persons")
    cancel.add_argument("reference")
    for parser, handler in ((plan, run_plan), (official, run_official), (sign, run_sign),
                            (hand, run_hand_over), (cancel, run_cancel)):  # fmt: skip
        parser.set_defaults(handler=handler)


def _print(ctx: CliContext, batch: HandoverBatch) -> int:
    json.dump(to_jsonable(batch), ctx.out, ensure_ascii=False, indent=1)
    ctx.out.write("\n")
    return 0


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [to_jsonable(b) for b in ctx.services.handovers.list_recent(ctx.actor, args.limit)]
    json.dump(rows, ctx.out, ensure_ascii=False, indent=1)
    ctx.out.write("\n")
    return 0


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    return _print(ctx, ctx.services.handovers.get(ctx.actor, args.reference))


def run_plan(args: argparse.Namespace, ctx: CliContext) -> int:
    settings, services = ctx.settings, ctx.services
    corridor = args.corridor or services.settings.corridor or settings.corridor
    draft = BatchDraft(
        direction=HandoverDirection(args.direction),
        corridor=Corridor(corridor),
        planned_on=args.planned_on or services.clock.today(),
        place_kind=PlaceKind(args.place),
        gate_code=args.gate or services.settings.gate_code,
        place_detail=args.place_detail,
        members=tuple(BatchMember(case_reference=ref) for ref in dict.fromkeys(args.cases)),
        interpreter=args.interpreter,
        remarks=args.remarks,
    )
    batch = services.handovers.plan_batch(ctx.actor, draft)
    ctx.say(ctx.tr.gettext("Batch {reference} planned.").format(reference=batch.reference))
    return _print(ctx, batch)


def _update(args: argparse.Namespace, ctx: CliContext, batch: HandoverBatch) -> int:
    saved = ctx.services.handovers.update_batch(ctx.actor, batch)
    return _print(ctx, saved)


def run_official(args: argparse.Namespace, ctx: CliContext) -> int:
    batch = ctx.services.handovers.get(ctx.actor, args.reference)
    official = Official(full_name=args.name, rank=args.rank, unit=args.unit, side=args.side)
    return _update(args, ctx, replace(batch, officials=(*batch.officials, official)))


def run_sign(args: argparse.Namespace, ctx: CliContext) -> int:
    batch = ctx.services.handovers.get(ctx.actor, args.reference)
    if args.case not in batch.case_references:
        raise ValidationError("not_in_batch", case=args.case, batch=args.reference)
    changes = {
        field: value
        for field, value in (
            ("belongings", args.belongings),
            ("documents", args.documents),
            ("health_state", args.health),
            ("witnessed_by", args.witness),
        )
        if value is not None
    }
    members = tuple(
        replace(m, signature=SignatureMethod(args.method), **changes) if m.case_reference == args.case else m
        for m in batch.members
    )
    return _update(args, ctx, replace(batch, members=members))


def run_hand_over(args: argparse.Namespace, ctx: CliContext) -> int:
    handovers = ctx.services.handovers
    batch = handovers.get(ctx.actor, args.reference)
    unsigned = [m.case_reference for m in batch.members if m.signature is SignatureMethod.NOT_TAKEN]
    if unsigned and not args.allow_unsigned:
        raise ValidationError("unsigned_members", batch=args.reference, cases=", ".join(unsigned))
    done = handovers.mark_handed_over(ctx.actor, args.reference, ctx.services.clock.now())
    ctx.say(
        ctx.tr.ngettext(
            "{count} person handed over.", "{count} persons handed over.", len(done.members)
        ).format(count=len(done.members))
    )
    return _print(ctx, done)


def run_cancel(args: argparse.Namespace, ctx: CliContext) -> int:
    return _print(ctx, ctx.services.handovers.cancel(ctx.actor, args.reference))
