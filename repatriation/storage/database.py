"""Engine factory: SQLite (embedded default, WAL + FULL sync) or PostgreSQL by URL; schema migrations."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text

__all__ = ["Engine", "current_revision", "head_revision", "make_engine", "sqlite_url", "upgrade"]
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from repatriation.config import SQLITE_FILE_NAME
from repatriation.storage.faults import StorageError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSION_TABLE = "alembic_version"  # Alembic's default, which env.py keeps

ConnectionOpener = Callable[[str], Any]


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Autocommit at the driver level so that SQLAlchemy's BEGIN below is the only transaction.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL + FULL: a committed case survives a crash or power cut (docs/stack-notes.md, Storage).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA temp_store=MEMORY")  # no plaintext temp files
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # Take the write lock up front: a deferred transaction that later upgrades can fail with
    # "database is locked" half-way through a use case.
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def sqlite_url(data_dir: Path) -> URL:
    """The URL of the embedded database inside ``data_dir``."""
    return URL.create("sqlite+pysqlite", database=str(data_dir / SQLITE_FILE_NAME))


def make_engine(url: str | URL, *, opener: ConnectionOpener | None = None) -> Engine:
    """Create an engine for SQLite or PostgreSQL with the project's connection settings.

    Args:
        url: a SQLAlchemy URL (``sqlite+pysqlite:///path`` or ``postgresql+psycopg://...``).
        opener: optional callable ``opener(path) -> DB-API connection`` used for SQLite files,
            e.g. an SQLCipher connection already keyed.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        kwargs: dict[str, Any] = {"poolclass": NullPool}
        if opener is not None:
            path = parsed.database or ":memory:"
            kwargs["creator"] = lambda: opener(path)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    require_tls(parsed)
    return create_engine(parsed, pool_pre_ping=True, pool_size=2, max_overflow=2)


def require_tls(url: URL) -> None:
    """Refuse a PostgreSQL URL that would send case data over the network without verified TLS.

    A province's desks share one server: ``sslmode=verify-full`` (certificate chain and host
    name) is required for any TCP connection, loopback included (another account on the same
    machine can listen on a port). Only a Unix-domain socket (no host, or a host that is a
    folder) is exempt: the kernel carries it, and the socket file's permissions guard it.

    Raises:
        StorageError: ``postgres_tls_required`` with the host.
    """
    host = url.host or url.query.get("host") or ""
    hosts = [host] if isinstance(host, str) else list(host)
    if all(not h or h.startswith("/") for h in hosts):
        return
    if url.query.get("sslmode") != "verify-full":
        raise StorageError("postgres_tls_required", host=",".join(hosts))


def _alembic_config(engine: Engine) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolates '%': a socket folder or password in the URL is %-encoded.
    url = engine.url.render_as_string(hide_password=False).replace("%", "%%")
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (head by default) with Alembic, in one transaction."""
    from alembic import command

    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    log.info("schema at %s", current_revision(engine))


def current_revision(engine: Engine) -> str | None:
    """The schema revision stored in the database, or ``None`` for an empty one.

    Read with one query: Alembic's migration context (and the Mako and Pygments it pulls in)
    costs ~150 ms at every start, for a name in a one-row table.
    """
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return None
        versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).scalars().all()
    if len(versions) > 1:
        raise RuntimeError("the database has several schema heads")
    return versions[0] if versions else None


_REVISION = re.compile(r"""^revision(?:\s*:\s*str)?\s*=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"""^down_revision(?:\s*:[^=]+)?\s*=\s*(?:['"]([^'"]+)['"]|(None))\s*$""", re.MULTILINE
)


def _shipped_head() -> str | None:
    """The single head read off the version files' two lines, or None when they say more."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None  # a merge (tuple of parents) or an unusual file: Alembic decides
        revisions.add(revision.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 and parents <= revisions else None


def head_revision() -> str:
    """The newest migration shipped with this build."""
    head = _shipped_head()
    if head is not None:
        return head
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    alembic_head = script.get_current_head()
    if alembic_head is None:
        raise RuntimeError("no migrations shipped")
    return alembic_head


def needs_upgrade(engine: Engine) -> bool:
    """Whether the database is behind this build's schema."""
    return current_revision(engine) != head_revision()


def table_names(engine: Engine) -> list[str]:
    """Names of the tables present (for diagnostics and tests)."""
    return sorted(inspect(engine).get_table_names())
