"""``inbox`` commands: the changes received bundles bring to our cases, applied only by decision.

``inbox list [--case REF] [--state pending|applied|declined|superseded]`` prints them as JSON
(ours | theirs | sender | when | bundle); ``inbox apply ID...`` and ``inbox decline ID...``
decide per change, ``--case REF`` for every pending change of one case; ``inbox reopen ID...``
puts declined changes back.
"""

from __future__ import annotations

import argparse
import json

from cli.context import CliContext

STATES = ("pending", "applied", "declined", "superseded")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``inbox`` command and its sub-commands."""
    inbox = subparsers.add_parser("inbox", help="changes received in bundles, by decision")
    sub = inbox.add_subparsers(dest="inbox_command", required=True)
    lst = sub.add_parser("list", help="received changes as JSON")
    lst.add_argument("--case", metavar="REF")
    lst.add_argument("--state", choices=STATES, nargs="+", default=["pending"])
    lst.set_defaults(handler=run_list)
    for name, text in (("apply", "apply received changes"),
                       ("decline", "keep our values (the changes stay on record)"),
                       ("reopen", "put declined changes back in the inbox")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("ids", nargs="*", type=int, metavar="ID")
        if name != "reopen":
            cmd.add_argument("--case", metavar="REF", help="every pending change of this case")
        cmd.set_defaults(handler=run_decide, decision=name)


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    inbox = ctx.services.exchange.inbox
    rows = inbox.changes(ctx.actor, states=tuple(args.state), reference=args.case)
    json.dump([{
        "id": r.id, "case": r.reference, "field": r.field, "item": r.item_key,
        "ours": r.ours, "theirs": r.theirs, "sender": r.sender,
        "sent_at": r.sent_at.isoformat() if r.sent_at else None, "bundle": r.bundle_id,
        "state": r.state, "decided_by": r.decided_by,
    } for r in rows], ctx.out, ensure_ascii=False, indent=2)
    ctx.out.write("\n")
    return 0


def run_decide(args: argparse.Namespace, ctx: CliContext) -> int:
    inbox = ctx.services.exchange.inbox
    actor = ctx.actor
    _ = ctx.tr.gettext
    case = getattr(args, "case", None)
    if args.decision == "reopen":
        changes = inbox.revisit(actor, args.ids)
    elif case is not None and not args.ids:
        changes = inbox.decide_case(actor, case, args.decision == "apply")
    elif args.ids and case is None:
        decide = inbox.accept if args.decision == "apply" else inbox.decline
        changes = decide(actor, args.ids)
    else:
        ctx.say(_("Name the changes by their numbers, or one case with --case."))
        return 2
    ctx.say(_("Decision recorded for {count} cases.").format(count=len(changes.cases)))
    return 0
