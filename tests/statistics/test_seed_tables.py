"""Two published tables used as a check, through ``cases import`` and ``stats``.

Fictitious records shaped like (a) the 2011 MOLISA/UNICEF study's 19 girls by age at trafficking
and route, and (b) the Border Guard's 2009 figures for 77 child victims by age and ethnic group
(HMong 44%, Kinh 18%, Tay 13%; 57% aged 16-17). The cell counts are our reconstruction, not the
sources' cells. Exact (internal) counts must reproduce them, and their margins must come out as a
release whose shown figures are the true ones.
"""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from repatriation.domain.actors import Role
from tests.cli_kit import Desk, encrypted_desk

GIRLS = {  # (age at trafficking band, route) -> girls received in 2011
    ("10-14", "cross_border"): 6, ("10-14", "inside_viet_nam"): 2, ("10-14", "intercepted"): 1,
    ("15", "cross_border"): 3, ("15", "inside_viet_nam"): 1,
    ("16-17", "cross_border"): 4, ("16-17", "intercepted"): 2,
}
BAND_AGE = {"<10": 8, "10-14": 13, "15": 15, "16-17": 16}
BORDER_GUARD = {  # (ethnic code, age band at return) -> children identified in 2009
    ("08", "16-17"): 20, ("08", "15"): 8, ("08", "10-14"): 5, ("08", "<10"): 1,
    ("01", "16-17"): 8, ("01", "15"): 3, ("01", "10-14"): 3,
    ("02", "16-17"): 6, ("02", "15"): 2, ("02", "10-14"): 2,
    ("09", "16-17"): 4, ("09", "15"): 2, ("09", "10-14"): 1, ("09", "<10"): 1,
    ("07", "16-17"): 3, ("07", "15"): 1, ("07", "10-14"): 2,
    ("03", "16-17"): 3, ("03", "15"): 1, ("03", "10-14"): 1,
}
HEADER = ["family_name", "given_name", "sex", "date_of_birth", "ethnic_code", "channel", "corridor",
          "received_on", "age_at_trafficking", "route"]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _girls() -> list[list[str]]:
    rows = []
    for (band, route), count in GIRLS.items():
        for n in range(count):
            received = date(2011, 3, 1) + timedelta(days=9 * len(rows))
            corridor = "" if route == "inside_viet_nam" else "CN"
            rows.append(["Thử", f"Em {band} {route} {n}", "F", "", "99", "rescue", corridor,
                         received.isoformat(), str(BAND_AGE[band]), route])
    return rows


def _border_guard() -> list[list[str]]:
    rows = []
    for (ethnic, band), count in BORDER_GUARD.items():
        for n in range(count):
            received = date(2009, 1, 2) + timedelta(days=4 * len(rows))
            born = received.replace(year=received.year - BAND_AGE[band]) - timedelta(days=30)
            rows.append(["Thử", f"Em {ethnic} {band} {n}", "F" if n % 2 else "M", born.isoformat(),
                         ethnic, "official_handover", "CN", received.isoformat(), "", ""])
    return rows


def _stats(desk: Desk, *args: str) -> Any:
    return json.loads(desk.ok(Role.STATISTICIAN, "stats", *args, "--format", "json"))


def _margins(table: dict[tuple[str, str], int], position: int) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, count in table.items():
        out[key[position]] = out.get(key[position], 0) + count
    return out


@pytest.mark.parametrize(("rows", "table", "dims", "period"), [
    (_girls, GIRLS, ("age_at_trafficking", "route"), "2011"),
    (_border_guard, BORDER_GUARD, ("ethnic_group", "age_at_return"), "2009"),
])
def test_a_published_table_comes_out_exactly_and_its_margins_as_a_release(
    tmp_path: Path, rows: Any, table: dict[tuple[str, str], int], dims: tuple[str, str], period: str,
) -> None:
    desk = encrypted_desk(tmp_path / "desk")
    source = _write(tmp_path / "seed.csv", rows())
    desk.ok(Role.SUPERVISOR, "cases", "import", str(source))
    exact = _stats(desk, "--by", ",".join(dims), "--period", period, "--internal")
    assert exact["internal"] is True
    cells = {(e[dims[0]], e[dims[1]]): int(e["count"]) for e in exact["entries"]
             if e[dims[0]] != "total"}
    assert cells == table
    for position, dimension in enumerate(dims):
        released = _stats(desk, "--by", dimension, "--period", period)
        truth = _margins(table, position)
        assert released["legend"]["release"] and released["legend"]["period"] == period
        for entry in released["entries"]:
            code, count = entry[dimension], entry["count"]
            expected = sum(table.values()) if code == "total" else truth.get(code, 0)
            if isinstance(count, int):
                assert count == expected, (dimension, code)
            else:
                assert (count == "x" and expected >= 5) or (count == "<5" and expected < 5), (code, count)
        shown = sum(1 for e in released["entries"] if isinstance(e["count"], int) and e["count"])
        assert shown >= 2  # the margins are published, not withheld wholesale
