"""The release ledger on SQL: one row per release, its specification and entries as JSON.

The method and privacy loss are columns too, so the yearly budget of noisy releases can be read
(and checked by hand) without parsing every document.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from repatriation.services.ports import UnitOfWork
from repatriation.services.statistics_ports import LedgerRecord
from repatriation.storage.statistics_tables import StatisticsReleaseRow


def _session(uow: UnitOfWork) -> Any:
    return uow.session  # type: ignore[attr-defined]  # the SQL unit of work exposes it to storage


class SqlReleaseLedger:
    """Implements ``ReleaseLedger``: rows are appended, never updated or deleted."""

    def records(self, uow: UnitOfWork) -> list[LedgerRecord]:
        """Every release, oldest first."""
        rows = _session(uow).execute(select(StatisticsReleaseRow).order_by(StatisticsReleaseRow.id))
        return [_record(row) for row in rows.scalars()]

    def append(self, uow: UnitOfWork, record: LedgerRecord) -> int:
        """Record a release in the caller's transaction; returns its number."""
        document = {
            "purpose": record.purpose, "measure": record.measure, "k": record.k,
            "method": record.method, "dimensions": list(record.dimensions),
            "categories": [list(c) for c in record.categories],
            "entries": [[*key, text] for key, text in record.entries],
            "scope": dict(record.scope),
        }
        row = StatisticsReleaseRow(
            released_at=record.released_at, actor=record.actor, period=record.period,
            dimensions=",".join(record.dimensions), method=record.method, epsilon=record.epsilon,
            document=json.dumps(document, ensure_ascii=False, sort_keys=True),
        )
        session = _session(uow)
        session.add(row)
        session.flush()
        return int(row.id)


def _record(row: StatisticsReleaseRow) -> LedgerRecord:
    document = json.loads(row.document)
    released_at: datetime = row.released_at
    return LedgerRecord(
        number=row.id, released_at=released_at, actor=row.actor, purpose=document["purpose"],
        dimensions=tuple(document["dimensions"]), period=row.period, measure=document["measure"],
        k=int(document["k"]), method=document["method"],
        categories=tuple(tuple(c) for c in document["categories"]),
        entries=tuple((tuple(e[:-1]), e[-1]) for e in document["entries"]),
        scope=document["scope"], epsilon=float(row.epsilon),
    )
