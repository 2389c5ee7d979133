"""Build the services from settings: engine, schema migration, reference data, use cases."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from repatriation.config import Settings
from repatriation.reference import ReferenceData, load_reference_data
from repatriation.services.cases import CaseService
from repatriation.services.clock import SystemClock
from repatriation.services.demo import DemoService
from repatriation.services.handovers import HandoverService
from repatriation.services.importing import ImportService
from repatriation.services.ports import Clock
from repatriation.services.verifications import VerificationService
from repatriation.storage.database import Engine, make_engine, sqlite_url, upgrade
from repatriation.storage.unit_of_work import SqlAlchemyUnitOfWorkFactory

log = logging.getLogger(__name__)


@dataclass
class Services:
    """Every use case the UI and the CLI call, built once by the composition root."""

    settings: Settings
    clock: Clock
    reference: ReferenceData
    uow_factory: SqlAlchemyUnitOfWorkFactory
    cases: CaseService
    verifications: VerificationService
    handovers: HandoverService
    imports: ImportService
    demo: DemoService
    extras: dict[str, Any] = field(default_factory=dict)  # services added by later modules

    @property
    def engine(self) -> Engine:
        """The database engine (for storage-level maintenance only)."""
        return self.uow_factory.engine

    def close(self) -> None:
        """Release database connections."""
        self.uow_factory.engine.dispose()


def open_engine(settings: Settings) -> Engine:
    """The engine for the configured database (the embedded SQLite file by default)."""
    if settings.database_url:
        return make_engine(settings.database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(sqlite_url(settings.data_dir))


def build_services(
    settings: Settings,
    *,
    clock: Clock | None = None,
    engine: Engine | None = None,
    reference: ReferenceData | None = None,
    migrate: bool = True,
) -> Services:
    """Wire storage, reference data and use cases together (``main.py`` and tests call this)."""
    clock = clock or SystemClock()
    engine = engine or open_engine(settings)
    if migrate:
        upgrade(engine)
    reference = reference or load_reference_data(
        settings.reference_override_dir if settings.reference_override_dir.exists() else None
    )
    uow_factory = SqlAlchemyUnitOfWorkFactory(engine, clock.now)
    post = settings.post_code
    return Services(
        settings=settings,
        clock=clock,
        reference=reference,
        uow_factory=uow_factory,
        cases=CaseService(uow_factory, reference, clock, post),
        verifications=VerificationService(uow_factory, reference, clock),
        handovers=HandoverService(uow_factory, clock, post),
        imports=ImportService(uow_factory, reference, clock, post),
        demo=DemoService(uow_factory, reference, clock, post),
    )
