"""The catalogue: SQLAlchemy 2 tables (every table of the archive, one metadata), Alembic
migrations and the repository API."""

from __future__ import annotations

import weakref

import sqlalchemy as sa

from hexaglot.catalog import history
from hexaglot.catalog.migrate import upgrade
from hexaglot.catalog.repository import (
    Catalog,
    OutboxEntry,
    ParentCycle,
    UnknownAsset,
    UnknownParent,
    Writer,
    visible_clause,
)
from hexaglot.config import Settings, get_settings

__all__ = ["Catalog", "history", "OutboxEntry", "ParentCycle", "UnknownAsset", "UnknownParent", "Writer",
           "create_engine", "dispose_engines", "open_catalog", "visible_clause"]

_ENGINES: weakref.WeakSet[sa.Engine] = weakref.WeakSet()


def dispose_engines() -> None:
    """Close the connections of every engine this process opened (tests, shutdown)."""
    for engine in list(_ENGINES):
        engine.dispose()


def create_engine(url: str) -> sa.Engine:
    """An engine for the catalogue: SQLite in WAL mode with foreign keys, or PostgreSQL."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    _ENGINES.add(engine)
    return engine


def open_catalog(settings: Settings | None = None, migrate: bool = True) -> Catalog:
    """Open the configured catalogue, upgrading its schema first (unless told not to)."""
    settings = settings or get_settings()
    engine = create_engine(settings.resolved_database_url)
    if migrate:
        upgrade(engine)
    return Catalog(engine)
