"""The report PDF (Vietnamese and English) and the ``stats`` command, end to end on SQLite."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from forms.statistics_report import render_statistics_report
from i18n import translator
from repatriation.bootstrap import Services, build_services
from repatriation.config import Settings
from repatriation.domain.actors import Actor, Role
from repatriation.domain.clock import FixedClock
from repatriation.domain.statistics_spec import Dimension, StatisticsSpec
from repatriation.domain.suppression import TOTAL
from repatriation.services.statistics_report import build_report, report_period
from tests.cli_kit import Desk, demo_desk

STATISTICIAN = Actor("thu.stat", Role.STATISTICIAN)
_DESKS: dict[Path, Desk] = {}
STATISTICIAN_VIEW = Actor("chief", Role.SUPERVISOR)  # counting cases needs a role that sees them


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Services, Path]]:
    data = tmp_path_factory.mktemp("desk")
    _DESKS[data] = demo_desk(data, cases=0)  # the accounts the CLI signs in with
    built = build_services(Settings(data_dir=data), clock=FixedClock(datetime(2026, 7, 3, 9, 0)))
    built.demo.seed(Actor("chief", Role.SUPERVISOR), 300, 2026)
    yield built, data
    built.close()


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_report_in_both_languages(desk: tuple[Services, Path]) -> None:
    services, _ = desk
    service = services.statistics
    report = build_report(services.releases, STATISTICIAN, year=2026, half=1, post_name="Post (demo)",
                          today=date(2026, 7, 3), reference=services.reference,
                          gettexts={lang: translator(lang, "statistics").gettext for lang in ("vi", "en")})
    assert report.period_code == "2026-H1" and len(report.tables) == 12
    first = report.tables[0]
    assert first.row_codes[:-1] == tuple(f"2026-{m:02d}" for m in range(1, 7))
    exact = service.crosstab(STATISTICIAN, service_spec(report))
    # Every figure the first table shows is the exact count (totals included); withheld ones say so.
    months = service.crosstab(STATISTICIAN, service_spec(report, (Dimension.MONTH, Dimension.CORRIDOR)))
    shown = 0
    for r, row in enumerate(first.cells):
        for c, text in enumerate(row):
            month, corridor = first.row_codes[r], first.column_codes[c]
            truth = sum(n for (m, co), n in months.counts.items()
                        if month in (TOTAL, m) and corridor in (TOTAL, co))
            assert text in ("<5", "x") or int(text) == truth, (month, corridor, text, truth)
            shown += text.isdigit() and int(text) > 0
    assert shown >= 2 and months.total == exact.total  # not withheld wholesale
    for table in report.tables:
        for row in table.cells:
            assert all(c in ("<5", "x") or (c.isdigit() and not 0 < int(c) < 5) for c in row)
    vi = _text(render_statistics_report(report, "vi"))
    en = _text(render_statistics_report(report, "en"))
    assert "BÁO CÁO THỐNG KÊ" in vi and "Trung Quốc" in vi and "Tự trở về" in vi
    assert "STATISTICAL REPORT" in en and "Self-return" in en and "Page 1 of" in en
    assert all(c in vi for row in first.cells for c in row if c.isdigit() and int(c) >= 5)


def service_spec(report: object, dimensions: tuple[Dimension, ...] = ()) -> StatisticsSpec:
    start, end, _ = report_period(2026, 1)
    return StatisticsSpec(dimensions, date_from=start, date_to=end)


def _run(data: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    del capsys
    code, out, err = _DESKS[data].run(Role.STATISTICIAN, *args)
    assert code == 0 or err, "a refusal says why"
    return code, out + ("" if code == 0 else err)


def test_cli_csv_json_xlsx_and_exact(desk: tuple[Services, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    services, data = desk
    # A release: a release table over a whole half-year that has ended (the CLI's clock is today's).
    h1 = ("--period", "2026-H1")
    code, out = _run(data, "stats", "--by", "corridor,channel", *h1, "--format", "csv", capsys=capsys)
    assert code == 0
    text = out.lstrip("\ufeff")
    table, notes = text.split("\n\n", 1)
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["corridor", "channel", "count"]
    legend = {row[0]: row[1] for row in csv.reader(io.StringIO(notes))}
    assert legend["k"] == "5" and legend["period"] == "2026-H1" and legend["method"] == "suppression"
    assert legend["measure"] == "cases" and legend["release"].isdigit() and "<5" in legend
    assert all(r[2] in ("<5", "x") or not 0 < int(r[2]) < 5 for r in rows[1:])
    code, out = _run(data, "stats", "--by", "ethnic_group,sex", "--from", "2026-01-01", "--to", "2026-06-30",
                     "--format", "json", "--suppress", "10", capsys=capsys)
    assert code == 2  # (ethnic, sex) is not a release table: a free choice stays inside the post
    # Another period: a k = 10 release beside k = 5 ones of the same months would be refused
    # (a k = 5 table's "x" means 5 or more, which narrows a k = 10 "<10").
    code, out = _run(data, "stats", "--by", "month,sex,age_at_return", "--period", "2025-H2",
                     "--format", "json", "--suppress", "10", capsys=capsys)
    document = json.loads(out)
    assert code == 0 and document["k"] == 10
    assert {e["month"] for e in document["entries"]} >= {"2025-07", "total"}
    assert all(e["count"] in ("<10", "x") or e["count"] == 0 or e["count"] >= 10
               for e in document["entries"])
    target = tmp_path / "t.xlsx"
    code, err = _run(data, "stats", "--by", "ethnic_group,age_at_return", *h1, "--format", "xlsx",
                   "--output", str(target), capsys=capsys)
    assert code == 0, err
    book = load_workbook(target)
    assert book["grid"].cell(1, 1).value == "ethnic_group \\ age_at_return"
    codes = [row[0] for row in book["table"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(c, str) for c in codes) and any(len(c) == 2 and c[0] == "0" for c in codes)
    assert {row[0] for row in book["notes"].iter_rows(values_only=True)} >= {"k", "period", "measure"}
    code, out = _run(data, "stats", "--by", "year,corridor,gate,channel,age_at_return,sex,ethnic_group",
                     "--suppress", "0", capsys=capsys)
    table, _ = out.lstrip("\ufeff").split("\n\n", 1)
    rows = list(csv.reader(io.StringIO(table)))
    assert code == 0 and rows[-1][-1] == str(services.cases.count(STATISTICIAN_VIEW))
    assert sum(int(r[-1]) for r in rows[1:-1]) == services.cases.count(STATISTICIAN_VIEW)
    assert "inside the post only" in out
    assert _run(data, "stats", "--by", "colour", capsys=capsys)[0] == 2
    assert TOTAL == "*"


def test_cli_noisy_release_within_the_yearly_budget(desk: tuple[Services, Path],
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    _, data = desk
    noisy = ("stats", "--by", "corridor,channel", "--period", "2025", "--method", "noise",
             "--format", "json")
    code, out = _run(data, *noisy, "--epsilon", "1.5", capsys=capsys)
    assert code == 0, out
    document = json.loads(out)
    legend = document["legend"]
    assert legend["method"] == "noise" and legend["epsilon"] == "1.5" and legend["period"] == "2025"
    values = {(e["corridor"], e["channel"]): e["count"] for e in document["entries"]}
    assert all(isinstance(v, int) and v >= 0 for v in values.values())
    cells = {k: v for k, v in values.items() if "total" not in k}
    assert values[("total", "total")] == sum(cells.values())  # totals add up
    assert ("none", "total") in values  # the grid is fixed: every country, the empty ones too
    again = json.loads(_run(data, *noisy, "--epsilon", "1.5", capsys=capsys)[1])
    assert again["entries"] == document["entries"]  # recorded, not drawn again
    code, err = _run(data, "stats", "--by", "sex,age_at_return", "--period", "2025", "--method",
                     "noise", "--epsilon", "1.0", "--format", "json", capsys=capsys)
    assert code != 0 and "budget" in err and "1.5 of 2" in err
