"""Per-case statistics facts: one narrow row per case, plus its multi-valued codes, kept on save.

Why a separate table rather than more columns on ``cases``: a cross-tab scans every case, and a
``cases`` row carries the whole JSON document; this narrow row holds only the dimension codes,
so a 10-dimension count over 100,000 cases stays a fast scan. The rows are derived from the case
on every ``add``/``add_many``/``save`` (:func:`write_statistics_facts`), never edited alone.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    delete,
    insert,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from repatriation.domain.anonymise import person_pseudonym
from repatriation.domain.case import Case
from repatriation.domain.enums import FollowUpStatus, Route
from repatriation.storage.tables import Base, SettingRow

PSEUDONYM_KEY = "pseudonym_key"

EXPLOITATION = "exploitation"
SUPPORT = "support"
_CHUNK = 2000


class CaseFactsRow(Base):
    """Dimension codes of one case, copied from the case on every save."""

    __tablename__ = "case_statistics"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    received_on: Mapped[date] = mapped_column(Date, index=True)
    received_year: Mapped[int] = mapped_column(Integer)
    received_month: Mapped[int] = mapped_column(Integer)
    corridor: Mapped[str] = mapped_column(String(8))  # a country code, or "none" (inside Viet Nam)
    gate_code: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(24))
    sex: Mapped[str] = mapped_column(String(1))
    ethnic_code: Mapped[str] = mapped_column(String(4))
    province_old: Mapped[str] = mapped_column(String(8))
    province_new: Mapped[str] = mapped_column(String(8))
    screening: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24))
    outcome: Mapped[str] = mapped_column(String(32))
    follow_up: Mapped[str] = mapped_column(String(16))
    age_at_return: Mapped[int | None] = mapped_column(Integer)
    age_at_trafficking: Mapped[int | None] = mapped_column(Integer)
    route: Mapped[str] = mapped_column(String(24), server_default="cross_border")
    # Pseudonymous key of the person (folded name, birth date, sex), to count persons once.
    person_key: Mapped[str] = mapped_column(String(32), index=True)


class CaseFactItemRow(Base):
    """One code of a multi-valued fact: a form of exploitation or a support item delivered."""

    __tablename__ = "case_statistic_items"

    case_id: Mapped[int] = mapped_column(
        ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)


class StatisticsReleaseRow(Base):
    """One release in the ledger: its specification and published entries, as a JSON document."""

    __tablename__ = "statistics_releases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    released_at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(64))
    period: Mapped[str] = mapped_column(String(8), index=True)
    dimensions: Mapped[str] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(Text)
    method: Mapped[str] = mapped_column(String(16), server_default="suppression")
    epsilon: Mapped[float] = mapped_column(Float, server_default="0")  # privacy loss (noise only)


def follow_up_summary(case: Case) -> str:
    """One code for the 3/6/12-month follow-ups: none, missed (any), done (all) or due."""
    statuses = {f.status for f in case.follow_ups}
    if not statuses:
        return "none"
    if FollowUpStatus.MISSED in statuses:
        return str(FollowUpStatus.MISSED)
    if statuses == {FollowUpStatus.DONE}:
        return str(FollowUpStatus.DONE)
    return str(FollowUpStatus.DUE)


ANONYMISED_PREFIX = "anon-"


def pseudonym_key(session: Session) -> bytes:
    """The desk's key for person pseudonyms, made on first use.

    Kept in the ``settings`` table: inside the encrypted database (the vault) and its backups,
    never in a file or a bundle, so the pseudonyms in statistics rows and anonymised records
    cannot be recomputed from a guessed name and birth date.
    """
    value = session.execute(
        select(SettingRow.value).where(SettingRow.key == PSEUDONYM_KEY)
    ).scalar_one_or_none()
    if value is None:
        value = secrets.token_hex(32)
        session.add(SettingRow(key=PSEUDONYM_KEY, value=value))
        session.flush()
    return bytes.fromhex(value)


def person_key(case: Case, key: bytes) -> str:
    """A stable pseudonym of the person: the same child received twice gets the same key."""
    person = case.person
    if not person.family_name and person.given_name.startswith(ANONYMISED_PREFIX):
        # Retention replaced the name by "anon-<key>": keep counting the person once.
        return person.given_name[len(ANONYMISED_PREFIX) :]
    return person_pseudonym(case, key)


def statistics_facts(case: Case, key: bytes) -> dict[str, Any]:
    """The facts row of a case (without ``case_id``)."""
    person = case.person
    trafficked = case.trafficked_on
    return {
        "received_on": case.received_on,
        "received_year": case.received_on.year,
        "received_month": case.received_on.month,
        # Trafficked within Viet Nam: counted under no country rather than a made-up one.
        "corridor": "none" if case.route is Route.INSIDE_VIET_NAM else str(case.corridor),
        "gate_code": case.gate_code or "none",
        "channel": str(case.channel),
        "sex": str(person.sex),
        "ethnic_code": person.ethnic_code,
        "province_old": person.address.province_old or "unknown",
        "province_new": person.address.province_new or "unknown",
        "screening": str(case.screening.status),
        "status": str(case.status),
        "outcome": str(case.closure.outcome) if case.closure else "open",
        "follow_up": follow_up_summary(case),
        "age_at_return": person.age_on(case.received_on),
        "age_at_trafficking": person.age_on(trafficked) if trafficked else case.age_at_trafficking,
        "route": str(case.route or Route.CROSS_BORDER),
        "person_key": person_key(case, key),
    }


def statistics_items(case: Case) -> list[tuple[str, str]]:
    """(kind, code) pairs of the multi-valued facts, without duplicates."""
    forms = {(EXPLOITATION, str(f)) for f in case.screening.exploitation_forms}
    support = {(SUPPORT, str(s.kind)) for s in case.support}
    return sorted(forms | support)


def write_statistics_facts(
    session: Session, cases: Sequence[tuple[int, Case]], columns: frozenset[str] | None = None
) -> None:
    """Replace the facts of the given (case id, case) pairs; called by the case repository.

    ``columns``: only these (an old migration's backfill writes the columns it created).
    """
    key = pseudonym_key(session) if cases else b""
    for start in range(0, len(cases), _CHUNK):
        chunk = cases[start : start + _CHUNK]
        ids = [case_id for case_id, _ in chunk]
        session.execute(delete(CaseFactItemRow).where(CaseFactItemRow.case_id.in_(ids)))
        session.execute(delete(CaseFactsRow).where(CaseFactsRow.case_id.in_(ids)))
        # Core inserts through the connection: the ORM bulk path doubled a 10,000-case import.
        connection = session.connection()
        connection.execute(
            insert(CaseFactsRow.__table__),  # type: ignore[arg-type]
            [_only({"case_id": i, **statistics_facts(c, key)}, columns) for i, c in chunk],
        )
        items = [
            {"case_id": i, "kind": kind, "code": code}
            for i, c in chunk
            for kind, code in statistics_items(c)
        ]
        if items:
            connection.execute(insert(CaseFactItemRow.__table__), items)  # type: ignore[arg-type]


def rebuild_statistics_facts(session: Session) -> None:
    """Derive every case's facts again from its stored document (migrations), in chunks."""
    import json

    from repatriation.domain.codec import from_jsonable
    from repatriation.storage.tables import CaseRow

    # Migrations run this before later revisions add their columns: write the ones that exist.
    present = frozenset(c["name"] for c in inspect(session.connection()).get_columns("case_statistics"))
    last = 0
    while True:
        rows = session.execute(
            select(CaseRow.id, CaseRow.document).where(CaseRow.id > last)
            .order_by(CaseRow.id).limit(2000)
        ).all()
        if not rows:
            return
        write_statistics_facts(session, [(row.id, from_jsonable(Case, json.loads(row.document)))
                                         for row in rows], columns=present)
        last = rows[-1].id


def _only(row: dict[str, Any], columns: frozenset[str] | None) -> dict[str, Any]:
    return row if columns is None else {k: v for k, v in row.items() if k in columns}
