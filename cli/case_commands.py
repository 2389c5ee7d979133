"""Commands on cases: demo data, import, list, show, and the overdue-verification tracker.

Every command runs as the account signed in with ``--user``; rows and cases come back redacted
for its role. ``demo`` on an empty data directory creates a demo desk with one account per role.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cli.care_commands import register_case_commands, register_verification_commands
from cli.context import CliContext
from cli.correction_commands import register_correction_commands
from cli.demo_desk import create_demo_desk, is_empty_directory
from repatriation.domain.codec import to_jsonable
from repatriation.domain.enums import CaseStatus, Corridor, ReturnChannel, Sex
from repatriation.domain.permissions import Action
from repatriation.services.results import AgeBand, CaseQuery, CaseSummary
from repatriation.services.tabular import write_csv_records

LIST_FIELDS = (
    "reference",
    "full_name",
    "sex",
    "age",
    "corridor",
    "channel",
    "status",
    "screening",
    "received_on",
    "gate_code",
    "ethnic_code",
    "next_due",
    "overdue",
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``demo``, ``cases`` and ``verifications`` commands."""
    demo = subparsers.add_parser("demo", help="seed a clearly fictitious demo data set")
    demo.add_argument("--cases", type=int, default=200, help="how many cases (default 200)")
    demo.add_argument("--seed", type=int, default=2026, help="random seed")
    demo.set_defaults(handler=run_demo)

    cases = subparsers.add_parser("cases", help="import, list and show cases")
    sub = cases.add_subparsers(dest="cases_command", required=True)
    imp = sub.add_parser("import", help="import cases from a .csv or .json file (all or nothing)")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=run_import)
    lst = sub.add_parser("list", help="list cases")
    lst.add_argument("--format", choices=("json", "csv"), default="json")
    lst.add_argument("--search", default="", help="name search, diacritics ignored")
    lst.add_argument("--corridor", choices=[c.value for c in Corridor])
    lst.add_argument("--channel", choices=[c.value for c in ReturnChannel])
    lst.add_argument("--status", choices=[s.value for s in CaseStatus])
    lst.add_argument("--sex", choices=[s.value for s in Sex])
    lst.add_argument("--age", help="age band LOW-HIGH, e.g. 10-15")
    lst.add_argument(
        "--overdue", action="store_true", help="only cases with an overdue verification"
    )
    lst.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")
    lst.set_defaults(handler=run_list)
    show = sub.add_parser("show", help="show one case as JSON, redacted for the acting role")
    show.add_argument("reference")
    show.set_defaults(handler=run_show)
    register_case_commands(sub)
    register_correction_commands(sub)

    ver = subparsers.add_parser("verifications", help="verification tracker")
    vsub = ver.add_subparsers(dest="verifications_command", required=True)
    overdue = vsub.add_parser("overdue", help="open verification requests past their deadline")
    overdue.add_argument("--format", choices=("json", "csv"), default="json")
    overdue.set_defaults(handler=run_overdue)
    register_verification_commands(vsub)


def run_demo(args: argparse.Namespace, ctx: CliContext) -> int:
    if not getattr(args, "user", None) and is_empty_directory(ctx):
        create_demo_desk(ctx)
    created = ctx.services.demo.seed(ctx.actor, args.cases, args.seed)
    ctx.say(
        ctx.tr.ngettext(
            "{count} demo case created.", "{count} demo cases created.", created
        ).format(count=created)
    )
    return 0


def run_import(args: argparse.Namespace, ctx: CliContext) -> int:
    report = ctx.services.imports.import_file(ctx.actor, args.file)
    ctx.say(
        ctx.tr.ngettext("{count} case imported.", "{count} cases imported.", report.created).format(
            count=report.created
        )
    )
    return 0


def _age_band(text: str | None) -> AgeBand | None:
    if not text:
        return None
    low, _, high = text.partition("-")
    return AgeBand(int(low), int(high or low))


def _rows(args: argparse.Namespace, ctx: CliContext) -> list[CaseSummary]:
    query = CaseQuery(
        text=args.search,
        corridor=Corridor(args.corridor) if args.corridor else None,
        channel=ReturnChannel(args.channel) if args.channel else None,
        status=CaseStatus(args.status) if args.status else None,
        sex=Sex(args.sex) if args.sex else None,
        age_band=_age_band(args.age),
        overdue_only=args.overdue,
        limit=1000,
    )
    rows: list[CaseSummary] = []
    actor = ctx.actor  # rows are redacted for the signed-in role's export rights
    while True:
        page = ctx.services.cases.list_cases(query, actor, Action.EXPORT)
        rows.extend(page.rows)
        if len(page.rows) < query.limit or (args.limit and len(rows) >= args.limit):
            break
        query = CaseQuery(**{**query.__dict__, "offset": query.offset + len(page.rows)})
    return rows[: args.limit] if args.limit else rows


def _emit(
    ctx: CliContext, records: list[dict[str, Any]], fmt: str, fields: tuple[str, ...]
) -> None:
    if fmt == "json":
        json.dump(records, ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return
    write_csv_records(ctx.out, records, fields)  # formula-safe: names come from outside


def run_list(args: argparse.Namespace, ctx: CliContext) -> int:
    records = [to_jsonable(r) for r in _rows(args, ctx)]
    _emit(ctx, [{k: r[k] for k in LIST_FIELDS} for r in records], args.format, LIST_FIELDS)
    return 0


def run_show(args: argparse.Namespace, ctx: CliContext) -> int:
    # JSON leaves the desk as a file: the export column of the matrix decides what it holds.
    case = ctx.services.cases.get(ctx.actor, args.reference, Action.EXPORT)
    json.dump(to_jsonable(case), ctx.out, ensure_ascii=False, indent=1)
    ctx.out.write("\n")
    return 0


def run_overdue(args: argparse.Namespace, ctx: CliContext) -> int:
    records = [to_jsonable(d) for d in ctx.services.verifications.overdue(ctx.actor)]
    fields = (
        "case_reference",
        "full_name",
        "request_id",
        "kind",
        "requested_to",
        "sent_on",
        "due_on",
        "days_overdue",
        "legal_reference",
    )
    _emit(ctx, records, args.format, fields)
    return 0
