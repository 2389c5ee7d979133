"""Correcting a recorded case headless: ``cases edit`` (with a reason) and ``cases history``.

``--set field=value`` takes the names of ``services.intake_fields.FIELDS``; identity documents
are ``--document KIND:NUMBER[:COUNTRY]`` (repeated, replacing the list) or ``--no-documents``;
relatives ``--family RELATION:NAME[:BIRTH_YEAR[:PHONE[:guardian]]]``.
The history lists each correction the acting role may see, with old and new value.
"""

from __future__ import annotations

import argparse
import csv
import json
from typing import Any

from cli.context import CliContext
from repatriation.domain.codec import to_jsonable
from repatriation.domain.errors import ValidationError
from repatriation.domain.permissions import Action
from repatriation.services import intake_fields

HISTORY_FIELDS = ("at", "field", "before", "after", "by", "reason")


def register_correction_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``cases edit`` and ``cases history``."""
    edit = sub.add_parser("edit", help="correct intake fields of a case, with a reason")
    edit.add_argument("case", help="case reference")
    edit.add_argument("--set", dest="values", action="append", default=[], metavar="FIELD=VALUE",
                      help="a field to correct: " + ", ".join(intake_fields.correctable()))
    edit.add_argument("--document", dest="documents", action="append", default=[],
                      metavar="KIND:NUMBER[:COUNTRY]",
                      help="an identity document (repeat for each; replaces the list)")
    edit.add_argument("--no-documents", action="store_true",
                      help="the person has no papers at all")
    edit.add_argument("--family", dest="family", action="append", default=[],
                      metavar="RELATION:NAME[:BIRTH_YEAR[:PHONE[:guardian]]]",
                      help="a relative (repeat for each; replaces the list); relations: "
                      + ", ".join(intake_fields.RELATIONS))
    edit.add_argument("--reason", default="", help="why (mandatory; kept in the history)")
    edit.set_defaults(handler=run_edit)
    history = sub.add_parser("history", help="the corrections of a case, field by field")
    history.add_argument("case", help="case reference")
    history.add_argument("--format", choices=("json", "csv"), default="json")
    history.set_defaults(handler=run_history)


def _values(args: argparse.Namespace) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for item in args.values:
        name, equals, text = item.partition("=")
        if not equals:
            raise ValidationError("bad_value", field="--set", value=item)
        values[name.strip()] = intake_fields.parse(name.strip(), text)
    if args.documents and args.no_documents:
        raise ValidationError("documents_and_none", field="documents")
    if args.documents:
        values["documents"] = tuple(intake_fields.parse_document(d) for d in args.documents)
        values.setdefault("no_documents", False)
    if args.no_documents:
        values.update(documents=(), no_documents=True)
    if args.family:
        values["family"] = tuple(intake_fields.parse_member(m) for m in args.family)
    if not values:
        raise ValidationError("nothing_changed", reference=args.case)
    return values


def run_edit(args: argparse.Namespace, ctx: CliContext) -> int:
    case = ctx.services.cases.correct(ctx.actor, args.case, _values(args), args.reason)
    json.dump(to_jsonable(case), ctx.out, ensure_ascii=False, indent=1)
    ctx.out.write("\n")
    return 0


def run_history(args: argparse.Namespace, ctx: CliContext) -> int:
    # The history leaves the desk like ``cases show``: the export column decides what it holds.
    case = ctx.services.cases.get(ctx.actor, args.case, Action.EXPORT)
    rows = []
    for item in case.corrections.all():
        spec = intake_fields.lookup(item.field)
        before, after = ((to_jsonable(intake_fields.from_text(spec, t)) for t in (item.before, item.after))
                         if spec else (item.before, item.after))
        rows.append({"at": item.at.isoformat(), "field": item.field, "before": before,
                     "after": after, "by": item.by, "reason": item.reason})
    if args.format == "json":
        json.dump(rows, ctx.out, ensure_ascii=False, indent=1)
        ctx.out.write("\n")
        return 0
    writer = csv.DictWriter(ctx.out, fieldnames=HISTORY_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
                         for k, v in row.items()})
    return 0
