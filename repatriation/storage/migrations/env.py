"""Alembic environment: runs on the connection handed in by ``storage.database.upgrade``."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from repatriation.storage import table_modules
from repatriation.storage.tables import Base

table_modules.load_all()
target_metadata = Base.metadata


def run_migrations_online() -> None:
    """Run with the caller's connection (normal path) or a fresh engine (alembic CLI)."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations_online()
