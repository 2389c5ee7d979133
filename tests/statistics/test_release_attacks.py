"""The attack suite: each known recovery of a withheld count, through ``main.py stats`` and the importer.

Each scenario publishes what an officer could publish, then an integer-program attacker
(``ledger_attacker``, independent of the audit) combines everything published. No "<k" entry and
no small derived count (January's children, the one child imported later) may be narrowed below
its protection interval: ``protection(k)`` values (k = 5: three of 0..4), and the new child's
attributes must stay unconfirmed. Run against the code before the ledger, these tests fail.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from repatriation.domain.actors import Role
from repatriation.domain.enums import ReturnChannel
from tests.cli_kit import Desk, encrypted_desk
from tests.statistics.ledger_attacker import Attacker, small_entries

K = 5
PROTECTION = max(2, K - 2)
AGES = ("<10", "10-14", "15", "16-17", "18+", "unknown")
H1_2026 = tuple(f"2026-{m:02d}" for m in range(1, 7))
YEAR_2025 = tuple(f"2025-{m:02d}" for m in range(1, 13))
HEADER = ["family_name", "given_name", "sex", "date_of_birth", "ethnic_code", "channel", "corridor",
          "received_on"]


def _rows(groups: Sequence[tuple[str, str, int, str, int]]) -> list[list[str]]:
    """(ethnic code, sex, age, received on, how many) -> import rows (fictitious names)."""
    out = []
    for ethnic, sex, age, received, count in groups:
        day = date.fromisoformat(received)
        born = day.replace(year=day.year - age) - timedelta(days=100)
        for n in range(count):
            out.append(["Thử", f"Em {ethnic}{sex}{age}{received}{n}", sex, born.isoformat(), ethnic,
                        "official_handover", "CN", received])
    return out


_DESKS: dict[Path, Desk] = {}


def _desk(data: Path) -> Desk:
    """An encrypted desk with one account per role, set up on first use of ``data``."""
    if data not in _DESKS:
        _DESKS[data] = encrypted_desk(data)
    return _DESKS[data]


def _import(data: Path, rows: list[list[str]], tmp: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp / f"import-{len(rows)}-{rows[0][1]}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    _desk(data).ok(Role.SUPERVISOR, "cases", "import", str(path))
    capsys.readouterr()


def _stats(data: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    del capsys
    code, out, err = _desk(data).run(Role.SUPERVISOR, "stats", *args, "--format", "json")
    return code, (json.loads(out) if code == 0 else None), err


def _ethnic_data() -> list[list[str]]:
    # The reported numbers: Tay = 10, all aged 15; Kinh aged 15 = 4 (so the age-15 column is 14).
    return _rows([
        ("01", "F", 15, "2026-03-10", 4), ("01", "F", 16, "2026-03-12", 10),
        ("02", "F", 15, "2026-02-10", 10),
        ("08", "F", 12, "2026-04-02", 3), ("08", "M", 17, "2026-04-20", 20),
    ])


def _attacker(months: Sequence[str], dims: dict[str, Sequence[str]], states: int = 1) -> Attacker:
    return Attacker(months, dims, states)


def _true_count(exact: Any, where: dict[str, str]) -> int:
    """The exact count of an entry, summed from the internal (exact) table's cells."""
    total = 0
    for entry in exact["entries"]:
        if all(v == "total" for k, v in entry.items() if k != "count"):
            continue
        if all(entry.get(d) == c for d, c in where.items()):
            total += int(entry["count"])
    return total


def _assert_protected(attacker: Attacker, documents: Sequence[Any], exact: Sequence[Any]) -> None:
    """Every "<k" entry with a child in it keeps at least PROTECTION consistent values."""
    for document, truth in zip(documents, exact, strict=True):
        for where in small_entries(document):
            if _true_count(truth, where) == 0:
                continue  # a zero shown as "<k" hides nobody
            low, high = attacker.interval(attacker.select(0, where))
            assert high - low + 1 >= PROTECTION, (where, low, high)


def test_one_way_then_two_way_does_not_give_kinh_aged_15(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    _import(data, _ethnic_data(), tmp_path, capsys)
    period = ("--from", "2026-01-01", "--to", "2026-06-30")
    code1, one_way, err1 = _stats(data, capsys, "--by", "ethnic_group", *period)
    code2, two_way, err2 = _stats(data, capsys, "--by", "ethnic_group,age_at_return", *period)
    assert code1 == 0 and code2 == 0, (err1, err2)
    attacker = _attacker(H1_2026, {"ethnic_group": ("01", "02", "08"), "age_at_return": AGES})
    attacker.add_table(one_way, 0, H1_2026)
    attacker.add_table(two_way, 0, H1_2026)
    low, high = attacker.interval(attacker.select(0, {"ethnic_group": "01", "age_at_return": "15"}))
    assert high - low + 1 >= PROTECTION, (low, high)
    exact = [_stats(data, capsys, "--by", by, *period, "--suppress", "0")[1]
             for by in ("ethnic_group", "ethnic_group,age_at_return")]
    _assert_protected(attacker, [one_way, two_way], exact)


def test_shifted_periods_do_not_give_january(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "desk"
    january = [("01", "F", 15, "2025-01-10", 1), ("02", "F", 15, "2025-01-11", 1),
               ("08", "F", 15, "2025-01-12", 3), ("07", "F", 15, "2025-01-13", 1)]
    later = [(e, "F", 16, "2025-05-10", 12) for e in ("01", "02", "08", "07")]
    _import(data, _rows(january + later), tmp_path, capsys)
    published = []
    for start in ("2025-01-01", "2025-02-01"):
        code, document, _err = _stats(data, capsys, "--by", "ethnic_group", "--from", start,
                                     "--to", "2025-12-31")
        if start == "2025-02-01":
            assert code != 0 or document is not None
        if code == 0:
            published.append((document, YEAR_2025 if start == "2025-01-01" else YEAR_2025[1:]))
    attacker = _attacker(YEAR_2025, {"ethnic_group": ("01", "02", "07", "08")})
    for document, months in published:
        attacker.add_table(document, 0, months)
    for ethnic in ("01", "02", "07", "08"):
        low, high = attacker.interval(attacker.select(0, {"ethnic_group": ethnic}, ["2025-01"]))
        assert high - low + 1 >= PROTECTION, (ethnic, low, high)


def test_a_release_repeated_after_one_import_says_nothing_of_the_new_child(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    more = _rows([("01", "M", 12, "2026-05-05", 6), ("02", "M", 16, "2026-05-06", 7)])
    _import(data, _ethnic_data() + more, tmp_path, capsys)
    period = ("--from", "2026-01-01", "--to", "2026-06-30")
    tables = (("ethnic_group,age_at_return",), ("sex,age_at_return",))
    before = [_stats(data, capsys, "--by", by[0], *period)[1] for by in tables]
    _import(data, _rows([("01", "F", 12, "2026-06-01", 1)]), tmp_path, capsys)
    after = [_stats(data, capsys, "--by", by[0], *period)[1] for by in tables]
    dims = {"ethnic_group": ("01", "02", "08"), "sex": ("F", "M", "U"), "age_at_return": AGES}
    attacker = _attacker(H1_2026, dims, states=2)
    for document in before:
        attacker.add_table(document, 0, H1_2026)
    for old, document in zip(before, after, strict=True):
        if document["legend"].get("release") and document["legend"] == old["legend"]:
            assert document == old  # the recorded release, published again: counts of then
            continue
        attacker.add_table(document, 1, H1_2026)
    attacker.add_change(0, 1, 1, H1_2026)
    for dimension, code in (("ethnic_group", "01"), ("sex", "F"), ("age_at_return", "10-14")):
        low, _high = attacker.interval(attacker.difference(0, 1, {dimension: code}))
        assert low == 0, f"the new child is known to have {dimension} {code}"


def test_two_band_schemes_do_not_give_the_children_aged_13(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    _import(data, _rows([("07", "F", 13, "2026-03-01", 2), ("07", "F", 11, "2026-03-02", 6),
                         ("07", "M", 16, "2026-03-03", 9)]), tmp_path, capsys)
    period = ("--from", "2026-01-01", "--to", "2026-06-30")
    results = [_stats(data, capsys, "--by", "ethnic_group,age_at_return", "--age-bands", bands, *period)
               for bands in ("13", "14")]
    published = [document for code, document, _ in results if code == 0]
    if len(published) == 2:
        below_13 = next(e["count"] for e in published[0]["entries"]
                        if e["ethnic_group"] == "07" and e["age_at_return"] == "<13")
        below_14 = next(e["count"] for e in published[1]["entries"]
                        if e["ethnic_group"] == "07" and e["age_at_return"] == "<14")
        # Both shown: their difference is the number of Nung children aged exactly 13.
        assert not (isinstance(below_13, int) and isinstance(below_14, int)), (below_13, below_14)
    else:
        refused = [err for code, _, err in results if code != 0]
        assert refused and "age bands" in refused[0]


def test_one_three_way_table_pins_no_small_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    groups = []
    for n, (corridor, channel) in enumerate([("CN", "official_handover"), ("CN", "rescue"),
                                             ("KH", "self_return"), ("LA", "rescue"),
                                             ("KH", "official_handover"), ("LA", "self_return")]):
        for month, count in ((2, (n * 3) % 7 + 1), (5, (n * 5) % 6 + 2)):
            groups += [[*row[:5], channel, corridor, row[7]]
                       for row in _rows([("01", "F", 15, f"2026-0{month}-1{n}", count)])]
    _import(data, groups, tmp_path, capsys)
    code, document, err = _stats(data, capsys, "--by", "quarter,corridor,channel",
                                 "--from", "2026-01-01", "--to", "2026-06-30")
    assert code == 0, err
    attacker = _attacker(H1_2026, {"corridor": ("CN", "KH", "LA", "XX"),
                                   "channel": tuple(c.value for c in ReturnChannel)})
    attacker.add_table(document, 0, H1_2026)
    exact = _stats(data, capsys, "--by", "quarter,corridor,channel", "--from", "2026-01-01",
                   "--to", "2026-06-30", "--suppress", "0")[1]
    _assert_protected(attacker, [document], [exact])


@pytest.mark.parametrize("k", ["2", "100000000000000000000"])
def test_a_threshold_outside_the_range_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], k: str
) -> None:
    data = tmp_path / "desk"
    _import(data, _ethnic_data(), tmp_path, capsys)
    code, _, err = _stats(data, capsys, "--by", "ethnic_group", "--from", "2026-01-01",
                          "--to", "2026-06-30", "--suppress", k)
    assert code == 2 and "k must be from 3 to 25" in err


def test_exact_counts_are_audited_and_marked_internal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "desk"
    _import(data, _ethnic_data(), tmp_path, capsys)
    code, document, _ = _stats(data, capsys, "--by", "ethnic_group", "--suppress", "0")
    assert code == 0 and document["internal"] is True
    text = _desk(data).ok(Role.SUPERVISOR, "stats", "--by", "ethnic_group", "--internal",
                          "--format", "csv")
    assert "Exact counts for use inside the post only" in text
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == ["ethnic_group", "count"] and ["02", "10"] in rows

