"""``stats``: counts by any dimensions, suppressed for release (default) or exact for the post."""

from __future__ import annotations

import argparse
import io
import json
from datetime import date
from pathlib import Path

from cli.context import CliContext
from repatriation.domain.errors import ValidationError
from repatriation.domain.statistics_bands import AgeBands
from repatriation.domain.statistics_spec import Dimension, Measure, StatisticsSpec
from repatriation.domain.suppression import DEFAULT_K
from repatriation.files import require_folder, write_output
from repatriation.services import statistics_export as export
from repatriation.services.statistics import CrossTab, ReleasedTable
from repatriation.services.statistics_labels import make_labeler
from repatriation.services.statistics_noisy_releases import DEFAULT_EPSILON, YEARLY_EPSILON, year_of
from repatriation.services.statistics_periods import parse_period
from repatriation.services.statistics_releases import MAX_RELEASE_K, MIN_RELEASE_K
from repatriation.services.tabular import append_xlsx_row, csv_bytes


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``stats`` command."""
    stats = subparsers.add_parser(
        "stats",
        help="counts of cases or persons by dimensions (small counts suppressed)",
        description="Dimensions: " + ", ".join(d.value for d in Dimension),
    )
    stats.add_argument("--by", required=True, help="DIM[,DIM...], e.g. half,corridor,sex")
    stats.add_argument("--from", dest="date_from", type=date.fromisoformat, help="YYYY-MM-DD")
    stats.add_argument("--to", dest="date_to", type=date.fromisoformat, help="YYYY-MM-DD")
    stats.add_argument("--period", help="a whole half-year or year for a release: 2026-H1, 2026")
    stats.add_argument(
        "--suppress", type=int, default=DEFAULT_K, metavar="K",
        help=f"release with counts below K withheld, K from {MIN_RELEASE_K} to {MAX_RELEASE_K} "
        f"(default {DEFAULT_K}); 0 is the same as --internal",
    )
    stats.add_argument(
        "--method", choices=("suppression", "noise"), default="suppression",
        help="a release with small counts withheld (default), or with OpenDP noise on every count",
    )
    stats.add_argument(
        "--epsilon", type=float, default=DEFAULT_EPSILON,
        help=f"privacy loss of a noisy release, paid from the year's budget of {YEARLY_EPSILON:g} "
        f"(default {DEFAULT_EPSILON:g})",
    )
    stats.add_argument("--internal", action="store_true",
                       help="exact counts for use inside the post only (audited)")
    stats.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    stats.add_argument("--measure", choices=[m.value for m in Measure], default="cases")
    stats.add_argument("--age-bands", default="10,15,16,18",
                       help="lower bounds of the age bands after the first (default 10,15,16,18)")
    stats.add_argument("--labels", action="store_true", help="add a name column per dimension")
    stats.add_argument("--output", type=Path, help="write to this file (needed for xlsx on a tty)")
    stats.set_defaults(handler=run_stats)


def _dimensions(text: str) -> tuple[Dimension, ...]:
    out = []
    for part in text.split(","):
        name = part.strip()
        try:
            out.append(Dimension(name))
        except ValueError:
            raise ValidationError("unknown_code", field="--by", value=name) from None
    return tuple(out)


def run_stats(args: argparse.Namespace, ctx: CliContext) -> int:
    date_from, date_to = args.date_from, args.date_to
    if args.period:
        date_from, date_to = parse_period(args.period)
    if args.output is not None:
        require_folder(args.output)  # before the release is audited: a missing folder is refused
    spec = StatisticsSpec(
        dimensions=_dimensions(args.by),
        measure=Measure(args.measure),
        date_from=date_from,
        date_to=date_to,
        age_bands=AgeBands.parse(args.age_bands),
    )
    services = ctx.services
    labeler = make_labeler(ctx.tr.gettext, services.reference, ctx.tr.language) if args.labels else None
    if args.internal or args.suppress == 0:
        data = _exact(services.statistics.crosstab(ctx.actor, spec), labeler, args.format,
                      ctx.tr.gettext)
        ctx.say(ctx.tr.gettext("Exact counts: for use inside the post only."))
    else:
        table = _release(args, ctx, spec)
        gettext = ctx.tr.gettext
        if args.format == "xlsx":
            data = export.to_xlsx(table, labeler, gettext=gettext)
        else:
            data = {"csv": export.to_csv, "json": export.to_json}[args.format](table, labeler, gettext)
    if args.output is not None:
        write_output(args.output, data)  # whole or not at all: a full disk keeps the old file
    else:
        stream = getattr(ctx.out, "buffer", None)
        if stream is None:
            ctx.out.write(data.decode("utf-8") if args.format != "xlsx" else data.hex())
        else:
            ctx.out.flush()
            stream.write(data)
            stream.flush()
    return 0


def _release(args: argparse.Namespace, ctx: CliContext, spec: StatisticsSpec) -> ReleasedTable:
    services = ctx.services
    if args.method == "noise":
        noisy = services.noisy_releases
        table = noisy.publish(ctx.actor, spec, args.epsilon, purpose="cli")
        year = year_of(table.period)
        used, budget = noisy.budget(ctx.actor, year)
        ctx.say(ctx.tr.gettext("Privacy budget for the cases of {year}: {spent} of {budget} spent.").format(
            year=year, spent=f"{used:g}", budget=f"{budget:g}"))
        return table
    table = services.releases.publish(ctx.actor, spec, args.suppress, purpose="cli")
    ctx.say(ctx.tr.ngettext("{count} entry withheld.", "{count} entries withheld.",
                            len(table.table.withheld)).format(count=len(table.table.withheld)))
    return table


def _exact(table: CrossTab, labeler: export.Labeler | None, fmt: str, gettext: export.Gettext) -> bytes:
    rows = export.exact_rows(table, labeler)
    notes = export.internal_legend(table, gettext)
    if fmt == "json":
        header, *body = rows
        entries = [dict(zip(header, row, strict=True)) for row in body]
        return json.dumps({"internal": True, "exact": True, "legend": dict(notes), "entries": entries},
                          ensure_ascii=False, indent=1).encode()
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        sheet.title = "internal"
        count = len(rows[0]) - 1
        for row in rows:  # codes stay text ("01", not 1); only the count column is a number
            append_xlsx_row(
                sheet, [*row[:count], int(row[count]) if row[count].isdigit() else row[count]])
        notes_sheet = workbook.create_sheet("notes")
        for name, value in notes:
            append_xlsx_row(notes_sheet, [name, value])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()
    return csv_bytes([*rows, [], *notes])



