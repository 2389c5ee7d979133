"""SQLAlchemy unit of work: one session and one transaction per use case."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from repatriation.storage.account_store import SqlAccountRepository
from repatriation.storage.audit_log import SqlAuditLog
from repatriation.storage.audit_queries import SqlAuditReader
from repatriation.storage.faults import StorageError as StorageError
from repatriation.storage.faults import storage_fault
from repatriation.storage.queries import SqlCaseQueries
from repatriation.storage.repositories import SqlBatchRepository, SqlCaseRepository
from repatriation.storage.retention_store import SqlRetentionStore

if TYPE_CHECKING:
    from repatriation.storage.bundle_tables import SqlBundleStore
    from repatriation.storage.inbox_tables import SqlInboxStore


def _storage_error(exc: DBAPIError) -> StorageError:
    fault = storage_fault(exc)
    assert fault is not None
    return fault


class SqlAlchemyUnitOfWork:
    """Repositories bound to one session; rolled back unless ``commit`` is called."""

    def __init__(self, session_factory: Callable[[], Session], clock_now: Callable[[], datetime]):
        self._session_factory = session_factory
        self._clock_now = clock_now
        self._session: Session | None = None

    def __enter__(self) -> SqlAlchemyUnitOfWork:
        session = self._session_factory()
        now = self._clock_now()
        self._session = session
        self.cases = SqlCaseRepository(session, now)
        self.batches = SqlBatchRepository(session, now)
        self.audit = SqlAuditLog(session, self.cases.take_written, now)
        self.queries = SqlCaseQueries(session)
        # Stores of the less used tables, in the same transaction (no downcast needed by services).
        self.accounts = SqlAccountRepository(session, now)
        self.retention = SqlRetentionStore(session)
        self.audit_chain = SqlAuditReader(session)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            session.rollback()
        finally:
            session.close()
            self._session = None
        if isinstance(exc, DBAPIError):
            raise _storage_error(exc) from exc

    @property
    def bundle_store(self) -> SqlBundleStore:
        """Key directory and bundle bookkeeping (imported on first use, with crypto's key types)."""
        from repatriation.storage.bundle_tables import SqlBundleStore

        return SqlBundleStore(self.session)

    @property
    def inbox(self) -> SqlInboxStore:
        """Changes received in bundles, waiting for a decision."""
        from repatriation.storage.inbox_tables import SqlInboxStore

        return SqlInboxStore(self.session)

    @property
    def session(self) -> Session:
        """The open session (for adapters in the storage package only)."""
        if self._session is None:
            raise RuntimeError("unit of work is not open")
        return self._session

    def commit(self) -> None:
        """Commit; a database failure becomes a ``StorageError`` and nothing is kept."""
        try:
            self.audit.flush()
            self.session.commit()
        except (OperationalError, DBAPIError) as exc:
            self.session.rollback()
            raise _storage_error(exc) from exc

    def rollback(self) -> None:
        """Drop the changes."""
        self.session.rollback()


class SqlAlchemyUnitOfWorkFactory:
    """Builds units of work on one engine."""

    def __init__(self, engine: Engine, clock_now: Callable[[], datetime]) -> None:
        self.engine = engine
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        self._clock_now = clock_now

    def __call__(self) -> SqlAlchemyUnitOfWork:
        """Open a new unit of work."""
        return SqlAlchemyUnitOfWork(self._sessions, self._clock_now)
