"""Read-side SQL for the case list and the verification tracker, returning DTOs, never aggregates."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Select,
    and_,
    func,
    literal_column,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.orm import Session

from repatriation.domain.care import add_months
from repatriation.domain.enums import (
    CaseStatus,
    Corridor,
    ReturnChannel,
    ScreeningStatus,
    Sex,
    VerificationKind,
    VerificationOutcome,
)
from repatriation.domain.people import years_between
from repatriation.domain.text import fold
from repatriation.services.results import (
    CasePage,
    CaseQuery,
    CaseSort,
    CaseSummary,
    DueVerification,
    SearchExpansion,
)
from repatriation.storage.search_index import fts_rowids
from repatriation.storage.tables import CaseRow, VerificationRow

_SORT_COLUMNS: dict[CaseSort, Any] = {
    CaseSort.RECEIVED_ON: CaseRow.received_on,
    CaseSort.NAME: CaseRow.name_folded,
    CaseSort.STATUS: CaseRow.status,
    CaseSort.NEXT_DUE: CaseRow.next_due,
    CaseSort.REFERENCE: CaseRow.reference,
}

_LIST_COLUMNS = (
    CaseRow.reference,
    CaseRow.full_name,
    CaseRow.sex,
    CaseRow.approx_birth_date,
    CaseRow.corridor,
    CaseRow.channel,
    CaseRow.status,
    CaseRow.screening,
    CaseRow.received_on,
    CaseRow.gate_code,
    CaseRow.ethnic_code,
    CaseRow.next_due,
    CaseRow.batch_reference,
)


# Above this many name matches, the first page is found faster by walking the sort column's
# index and probing each row against the matches (the first 50-200 hits come within a few
# thousand index entries) than by fetching and sorting every match: "h" matches 35,000 of
# 100,000 cases, 60 ms sorted against 6 ms walked. Below it, sorting the matches wins.
BROAD_MATCHES = 2000


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like_condition(folded: str, expansion: SearchExpansion) -> ColumnElement[bool]:
    """PostgreSQL: a LIKE on the folded text, or the expanded codes."""
    matches: list[ColumnElement[bool]] = [CaseRow.search_text.like(f"%{_escape_like(folded)}%", escape="\\")]
    if expansion.ethnic_codes:
        matches.append(CaseRow.ethnic_code.in_(expansion.ethnic_codes))
    if expansion.province_codes:
        matches.append(CaseRow.province_old.in_(expansion.province_codes))
        matches.append(CaseRow.province_new.in_(expansion.province_codes))
    return or_(*matches)


def _matching_ids(folded: str, expansion: SearchExpansion) -> list[Select[Any]]:
    """SQLite: the ids the text matches, as one SELECT per source (names, ethnic and province codes).

    Each source is read from its own index; their union replaces an OR that SQLite would
    answer with a scan or a sort of every candidate.
    """
    parts = [fts_rowids(folded)]
    if expansion.ethnic_codes:
        parts.append(select(CaseRow.id).where(CaseRow.ethnic_code.in_(expansion.ethnic_codes)))
    if expansion.province_codes:
        parts.append(select(CaseRow.id).where(CaseRow.province_old.in_(expansion.province_codes)))
        parts.append(select(CaseRow.id).where(CaseRow.province_new.in_(expansion.province_codes)))
    return parts


def _filter_conditions(query: CaseQuery, today: date) -> list[Any]:
    """Every condition of the query except the search text."""
    conditions: list[Any] = []
    simple = (
        (query.corridor, CaseRow.corridor),
        (query.channel, CaseRow.channel),
        (query.status, CaseRow.status),
        (query.screening, CaseRow.screening),
        (query.sex, CaseRow.sex),
        (query.ethnic_code, CaseRow.ethnic_code),
        (query.province_new, CaseRow.province_new),
    )
    conditions.extend(column == str(value) for value, column in simple if value is not None)
    if query.overdue_only:
        conditions.append(CaseRow.next_due < today)
    if query.age_band is not None:
        # Age in [low, high] on ``today`` <=> born in (today - (high+1) years, today - low years].
        youngest_birth = add_months(today, -12 * query.age_band.low)
        oldest_birth = add_months(today, -12 * (query.age_band.high + 1))
        conditions.append(
            and_(
                CaseRow.approx_birth_date > oldest_birth,
                CaseRow.approx_birth_date <= youngest_birth,
            )
        )
    return conditions


class SqlCaseQueries:
    """Paged list and tracker queries."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _capped_count(self, ids: Select[Any] | CompoundSelect[Any], cap: int) -> int:
        # Count at most ``cap + 1`` rows: an exact total of a broad search over 100,000 cases
        # costs more than the page itself, and "more than 5,000" is all an officer needs to know.
        return int(
            self._session.execute(
                select(func.count()).select_from(ids.limit(cap + 1).subquery())
            ).scalar_one()
        )

    def _text_search(
        self, folded: str, expansion: SearchExpansion, filters: list[Any], cap: int
    ) -> tuple[ColumnElement[bool], int | None]:
        """SQLite: the text condition, and the capped total when it can be read off the indexes."""
        parts = _matching_ids(folded, expansion)
        ids: Select[Any] | CompoundSelect[Any] = parts[0] if len(parts) == 1 else union_all(*parts)
        # Counted far enough to tell broad from narrow (duplicates across sources count twice).
        matched = self._capped_count(ids, max(cap, BROAD_MATCHES))
        # A broad match hides the ids from the planner (``id + 0``), which then walks the sort
        # order (or a filter's index) instead of fetching and sorting every match.
        id_column = CaseRow.id + literal_column("0") if matched > BROAD_MATCHES else CaseRow.id
        condition = id_column.in_(ids)
        if filters:
            return condition, None
        if len(parts) == 1:
            return condition, matched  # one row per case in the name index: already exact
        return condition, self._capped_count(union(*parts), cap)

    def page(self, query: CaseQuery, today: date, expansion: SearchExpansion | None = None) -> CasePage:
        """One page of rows plus the total that match (capped at ``query.count_cap``)."""
        dialect = self._session.get_bind().dialect.name
        expansion = expansion or SearchExpansion()
        conditions = _filter_conditions(query, today)
        folded = fold(query.text)
        total: int | None = None
        if folded and dialect == "sqlite":
            condition, total = self._text_search(folded, expansion, conditions, query.count_cap)
            conditions.append(condition)
        elif folded:
            conditions.append(_like_condition(folded, expansion))
        if total is None:
            total = self._capped_count(select(CaseRow.id).where(*conditions), query.count_cap)
        sort_column = _SORT_COLUMNS[query.sort]
        order = sort_column.desc() if query.descending else sort_column.asc()
        statement = (
            select(*_LIST_COLUMNS)
            .where(*conditions)
            .order_by(order, CaseRow.id.desc() if query.descending else CaseRow.id.asc())
            .offset(query.offset)
            .limit(query.limit)
        )
        rows = tuple(_summary(row, today) for row in self._session.execute(statement))
        exact = total <= query.count_cap
        return CasePage(rows=rows, total=min(total, query.count_cap), offset=query.offset, total_exact=exact)

    def due_verifications(self, today: date, horizon_days: int = 0) -> list[DueVerification]:
        """Open requests due on or before ``today + horizon_days``, most overdue first."""
        limit_day = date.fromordinal(today.toordinal() + horizon_days)
        statement = (
            select(
                CaseRow.reference,
                CaseRow.full_name,
                VerificationRow.request_id,
                VerificationRow.kind,
                VerificationRow.requested_to,
                VerificationRow.sent_on,
                VerificationRow.due_on,
                VerificationRow.legal_reference,
            )
            .join(CaseRow, CaseRow.id == VerificationRow.case_id)
            .where(
                VerificationRow.outcome == str(VerificationOutcome.PENDING),
                VerificationRow.due_on.is_not(None),
                VerificationRow.due_on <= limit_day,
            )
            .order_by(VerificationRow.due_on.asc(), CaseRow.reference.asc())
        )
        return [
            DueVerification(
                case_reference=r.reference,
                full_name=r.full_name,
                request_id=r.request_id,
                kind=VerificationKind(r.kind),
                requested_to=r.requested_to,
                sent_on=r.sent_on,
                due_on=r.due_on,
                days_overdue=max(0, (today - r.due_on).days),
                legal_reference=r.legal_reference,
            )
            for r in self._session.execute(statement)
        ]


def _summary(row: Any, today: date) -> CaseSummary:
    born = row.approx_birth_date
    return CaseSummary(
        reference=row.reference,
        full_name=row.full_name,
        sex=Sex(row.sex),
        age=years_between(born, today) if born else None,
        corridor=Corridor(row.corridor),
        channel=ReturnChannel(row.channel),
        status=CaseStatus(row.status),
        screening=ScreeningStatus(row.screening),
        received_on=row.received_on,
        gate_code=row.gate_code,
        ethnic_code=row.ethnic_code,
        next_due=row.next_due,
        overdue=row.next_due is not None and row.next_due < today,
        batch_reference=row.batch_reference,
    )
