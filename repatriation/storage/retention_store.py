"""Storage side of the retention job: the stored policy, due records, and search-index residue."""

from __future__ import annotations

from datetime import date

from sqlalchemy import and_, inspect, select, text
from sqlalchemy.orm import Session

from repatriation.domain.anonymise import ANONYMISED_PREFIX
from repatriation.storage.statistics_tables import pseudonym_key
from repatriation.storage.tables import BatchRow, CaseRow, SettingRow

POLICY_KEY = "retention_policy"
_FTS_TABLE = "case_search"  # storage.search_index.FTS_TABLE, looked up by name to stay optional


class SqlRetentionStore:
    """Queries and settings the retention service needs, on one session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def load_policy(self) -> str | None:
        """The stored policy JSON, or ``None``."""
        return self._session.execute(
            select(SettingRow.value).where(SettingRow.key == POLICY_KEY)
        ).scalar_one_or_none()

    def save_policy(self, text_value: str) -> None:
        """Insert or replace the policy JSON."""
        row = self._session.get(SettingRow, POLICY_KEY)
        if row is None:
            self._session.add(SettingRow(key=POLICY_KEY, value=text_value))
        else:
            row.value = text_value
        self._session.flush()

    def closed_cases(self, closed_before: date) -> list[str]:
        """Closed cases closed before the day whose person is not anonymised yet."""
        query = (
            select(CaseRow.reference)
            .where(
                and_(
                    CaseRow.status == "closed",
                    CaseRow.closed_on < closed_before,
                    CaseRow.full_name.not_like(f"{ANONYMISED_PREFIX}%"),
                )
            )
            .order_by(CaseRow.closed_on, CaseRow.reference)
        )
        return list(self._session.execute(query).scalars())

    def finished_batches(self, planned_before: date) -> list[str]:
        """Handed-over or cancelled batches planned before the day."""
        query = (
            select(BatchRow.reference)
            .where(
                and_(
                    BatchRow.status.in_(("handed_over", "cancelled")),
                    BatchRow.planned_on < planned_before,
                )
            )
            .order_by(BatchRow.planned_on, BatchRow.reference)
        )
        return list(self._session.execute(query).scalars())

    def purge_residue(self) -> None:
        """Merge the SQLite full-text index so deleted names leave its old segments.

        An FTS5 'delete' only adds a tombstone; the old tokens stay in earlier segments until
        they are merged, and 'optimize' merges them all.
        """
        connection = self._session.connection()
        if connection.dialect.name != "sqlite":
            return
        if _FTS_TABLE in inspect(connection).get_table_names():
            connection.execute(text(f"INSERT INTO {_FTS_TABLE}({_FTS_TABLE}) VALUES ('optimize')"))


    def pseudonym_key(self) -> bytes:
        """The desk's key for person pseudonyms (``statistics_tables.pseudonym_key``)."""
        return pseudonym_key(self._session)

