"""``audit verify|checkpoint|received|export-checkpoints``: the audit log and its checkpoints.

``audit verify`` checks the chain, the desk's own checkpoints (``audit-checkpoints.txt``), any
heads given with ``--anchor`` or collected elsewhere (``--checkpoints FILE``: a receiving desk's
``audit export-checkpoints``) and every case row. Exit 0 when all hold, 1 with the first bad point
and each case changed outside the application otherwise (``docs/tamper-evidence.md``).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cli.context import CliContext
from cli.errors import describe
from cli.keys_commands import key_passphrase
from i18n import N_
from repatriation.domain.audit_records import AuditHead
from repatriation.domain.codec import to_jsonable
from repatriation.domain.errors import DomainError, ValidationError
from repatriation.services.audit_verify import Anchor, AuditVerification, BrokenLink, Problem
from repatriation.services.checkpoints import CheckpointService, as_anchor, read_checkpoints
from repatriation.services.results import SenderProblem

AUDIT_PROBLEMS: dict[str, str] = {
    "entry_altered": N_("entry {sequence} was changed after it was written"),
    "link_broken": N_("entry {sequence} does not link to the entry before it"),
    "entry_missing": N_("entry {sequence} is missing (deleted or moved)"),
    "truncated": N_("the log was cut off before entry {sequence}"),
    "head_mismatch": N_("the recorded last entry ({sequence}) does not match the log"),
    "head_missing": N_("the record of the last entry is missing"),
    "anchor_missing": N_("remembered entry {sequence} is no longer in the log"),
    "anchor_mismatch": N_("entry {sequence} differs from the remembered one"),
    "cut_back": N_(
        "the log ends at entry {last}, but checkpoint {number} ({reason}, {at}) covered entry "
        "{checkpoint_sequence}: entries from {sequence} on were cut off"
    ),
    "wiped": N_(
        "the log is empty, but checkpoint {number} ({reason}, {at}) covered entry "
        "{checkpoint_sequence}: the log was wiped"
    ),
    "rewritten": N_(
        "entry {sequence} differs from checkpoint {number} ({reason}, {at}): the log was "
        "rewritten between entries {since} and {sequence}"
    ),
    "rolled_back": N_(
        "the database was rolled back to the backup of {backup_at} (entry {backup_sequence}): "
        "checkpoint {number} ({reason}, {at}) covered entry {checkpoint_sequence}, which the "
        "log no longer holds"
    ),
    "checkpoint_forged": N_("checkpoint {number} in {file} does not carry this post's valid signature"),
}
CASE_PROBLEMS: dict[str, str] = {
    "case_changed": N_("case {reference} was changed outside the application"),
    "case_deleted": N_("case {reference} was deleted outside the application"),
    "case_unrecorded": N_("case {reference} was added outside the application"),
}
SENDER_PROBLEMS: dict[str, str] = {
    "sender_log_cut_back": N_(
        "{sender}: checkpoint {number} covers entry {sequence}, but checkpoint {earlier_number} "
        "(received {earlier_received_at}) covered entry {earlier_sequence}: the sender's log was cut back"
    ),
    "sender_log_rewritten": N_(
        "{sender}: checkpoint {number} gives entry {sequence} another hash than checkpoint "
        "{earlier_number} (received {earlier_received_at}): the sender's log was rewritten"
    ),
    "sender_checkpoints_reset": N_(
        "{sender}: checkpoint {number} (entry {sequence}) contradicts checkpoint {earlier_number} "
        "(received {earlier_received_at}, entry {earlier_sequence}): the sender's log was rolled back"
    ),
}
REASONS: dict[str, str] = {
    "bundle": N_("bundle"), "form": N_("printed form"), "backup": N_("backup"),
    "daily": N_("daily"), "restore": N_("restore"), "manual": N_("manual"),
}
MAX_CASE_LINES = 50


def checkpoints(ctx: CliContext) -> CheckpointService:
    """The checkpoint service of this run."""
    service: CheckpointService = ctx.services.checkpoints
    return service


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``audit`` and its sub-commands."""
    audit = subparsers.add_parser("audit", help="the tamper-evident audit log")
    asub = audit.add_subparsers(dest="audit_command", required=True)
    verify = asub.add_parser("verify", help="check the log, its checkpoints and the case rows")
    verify.add_argument("--anchor", action="append", default=[], metavar="SEQ:HASH",
                        help="a head printed earlier that must still be in the log")
    verify.add_argument("--checkpoints", action="append", default=[], type=Path, metavar="FILE",
                        help="checkpoints of this post collected elsewhere (audit export-checkpoints)")
    verify.set_defaults(handler=run_verify)
    issue = asub.add_parser("checkpoint", help="record a checkpoint of the log now")
    issue.add_argument("--sign", action="store_true",
                       help="sign it with the post's key (asks for the key-store passphrase)")
    issue.set_defaults(handler=run_checkpoint)
    received = asub.add_parser("received", help="checkpoints received from other posts' bundles")
    received.add_argument("--from", dest="sender", default=None, metavar="KEY")
    received.set_defaults(handler=run_received)
    export = asub.add_parser("export-checkpoints",
                             help="write what a sender's bundles said, for its audit verify")
    export.add_argument("--from", dest="sender", required=True, metavar="KEY")
    export.add_argument("-o", "--output", required=True, type=Path)
    export.set_defaults(handler=run_export)


def _anchor(text: str) -> AuditHead:
    sequence, _, digest = text.partition(":")
    if not sequence.isdigit() or len(digest) != 64:
        raise ValidationError("unknown_code", field="--anchor", value=text[:80])
    return AuditHead(int(sequence), digest.lower())


def _outside(ctx: CliContext, paths: list[Path]) -> tuple[list[Anchor], BrokenLink | None, int]:
    """Anchors from checkpoint files; a checkpoint not signed by this post is reported."""
    service = checkpoints(ctx)
    own = service.own_keys()
    anchors: list[Anchor] = []
    for path in paths:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            raise ValidationError("file_unreadable", file=str(path)) from None
        found, bad = read_checkpoints(lines)
        if bad or not found:
            raise ValidationError("checkpoint_file", file=str(path), lines=bad)
        for made in found:
            if not service.genuine(made) or made.ed25519 not in own:
                anchor = as_anchor(made, "outside")
                return anchors, BrokenLink(made.sequence, Problem.CHECKPOINT_FORGED, anchor), len(found)
            anchors.append(as_anchor(made, "outside"))
    return anchors, None, len(anchors)


def describe_break(ctx: CliContext, broken: BrokenLink, file: str = "") -> str:
    """The translated sentence for the first bad point."""
    gettext = ctx.tr.gettext
    anchor, backup = broken.anchor, broken.backup
    params: dict[str, Any] = {"sequence": broken.sequence, "since": broken.since,
                              "last": broken.last, "file": file}
    if anchor is not None:
        params |= {"number": anchor.number, "checkpoint_sequence": anchor.sequence,
                   "reason": gettext(REASONS.get(anchor.reason, anchor.reason)),
                   "at": anchor.at.strftime("%Y-%m-%d %H:%M UTC") if anchor.at else ""}
    if backup is not None and backup.at is not None:
        params |= {"backup_at": backup.at.strftime("%Y-%m-%d %H:%M UTC"),
                   "backup_sequence": backup.sequence}
    template = AUDIT_PROBLEMS.get(broken.problem, broken.problem)
    return gettext(template).format(**params)


def _report(result: AuditVerification, broken: BrokenLink | None) -> dict[str, Any]:
    return {
        "ok": result.ok and broken is None,
        "entries": result.entries,
        "last_sequence": result.last_sequence,
        "last_hash": result.last_hash,
        "checkpoints": result.checkpoints,
        "broken": None if broken is None else to_jsonable(broken),
        "cases": [to_jsonable(c) for c in result.cases],
    }


def run_verify(args: argparse.Namespace, ctx: CliContext) -> int:
    """Exit 0 when the chain, the checkpoints and the case rows hold, 1 otherwise."""
    try:
        anchors: list[AuditHead | Anchor] = [_anchor(a) for a in args.anchor]
        outside, forged, _count = _outside(ctx, args.checkpoints)
    except DomainError as exc:
        ctx.say(describe(exc, ctx.tr))
        return 2
    result = ctx.services.audit.verify(ctx.actor, [*anchors, *outside])
    broken = forged or result.broken
    json.dump(_report(result, broken), ctx.out, indent=1)
    ctx.out.write("\n")
    if broken is None and not result.cases:
        ctx.say(ctx.tr.ngettext(
            "Audit log intact: {count} entry checked.", "Audit log intact: {count} entries checked.",
            result.entries).format(count=result.entries))
        return 0
    if broken is not None:
        file = ", ".join(str(p) for p in args.checkpoints)
        ctx.say(ctx.tr.gettext("Audit log BROKEN: {detail}.").format(
            detail=describe_break(ctx, broken, file)))
    if result.cases:
        ctx.say(ctx.tr.ngettext(
            "{count} case row does not match the audit log:",
            "{count} case rows do not match the audit log:", len(result.cases),
        ).format(count=len(result.cases)))
        for mismatch in result.cases[:MAX_CASE_LINES]:
            ctx.say("  " + ctx.tr.gettext(CASE_PROBLEMS[mismatch.problem]).format(
                reference=mismatch.reference))
        if len(result.cases) > MAX_CASE_LINES:
            ctx.say(ctx.tr.gettext("  ... and {count} more (see the JSON report).").format(
                count=len(result.cases) - MAX_CASE_LINES))
    return 1


def run_checkpoint(args: argparse.Namespace, ctx: CliContext) -> int:
    """Record (and with ``--sign`` sign) a checkpoint of the current head."""
    service = checkpoints(ctx)
    identity = None
    if args.sign:
        identity = ctx.services.exchange.keys.unlock(key_passphrase(ctx)).current
    made = service.issue("manual", identity)
    ctx.out.write(made.text() + "\n")
    ctx.say(ctx.tr.gettext("Checkpoint {number} recorded: entry {sequence}.").format(
        number=made.number, sequence=made.sequence))
    return 0


def describe_sender_problem(ctx: CliContext, problem: SenderProblem) -> str:
    """The translated sentence for a received checkpoint that contradicts an earlier one."""
    params = to_jsonable(problem) | {
        "sender": problem.sender[:16],
        "earlier_received_at": problem.earlier_received_at.strftime("%Y-%m-%d %H:%M"),
    }
    return ctx.tr.gettext(SENDER_PROBLEMS[problem.code]).format(**params)


def run_received(args: argparse.Namespace, ctx: CliContext) -> int:
    """List the checkpoints received; exit 1 if a sender's checkpoints contradict each other."""
    service = checkpoints(ctx)
    for record in service.received(args.sender):
        ctx.out.write(f"{record.sender[:16]}\t{record.received_at.isoformat()}\t"
                      f"{record.bundle_id}\t{record.checkpoint.text()}\n")
    problems = service.problems(args.sender)
    for problem in problems:
        ctx.say(describe_sender_problem(ctx, problem))
    return 1 if problems else 0


def run_export(args: argparse.Namespace, ctx: CliContext) -> int:
    """Write the checkpoints received from one sender."""
    try:
        count = checkpoints(ctx).export_received(args.sender, args.output)
    except DomainError as exc:
        ctx.say(describe(exc, ctx.tr))
        return 2
    ctx.say(ctx.tr.ngettext("{count} checkpoint written to {file}.",
                            "{count} checkpoints written to {file}.", count).format(
        count=count, file=args.output))
    return 0
