"""Bring a catalogue database to the newest schema with Alembic."""

from __future__ import annotations

import contextlib
import fcntl
from collections.abc import Iterator
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: sa.Connection | None = None) -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str | None:
    """The newest revision the code knows."""
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """The revision the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


#: Advisory lock key of a migration (paired with the schema's hash, as the search writer's).
_MIGRATION_LOCK = "SELECT pg_advisory_xact_lock(4244, hashtext(current_schema()))"


@contextlib.contextmanager
def _sqlite_file_lock(engine: sa.Engine) -> Iterator[None]:
    """An exclusive lock beside a SQLite catalogue file while it is migrated (nothing for
    an in-memory database)."""
    database = engine.url.database
    if not database or database == ":memory:":
        yield
        return
    path = Path(database)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".migrating"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Upgrade the database in place to `revision` (no-op when already there). Processes
    that start at once on a new database take turns: the first migrates, the others then
    find it at `revision` (a lock file beside a SQLite database; an advisory lock on
    PostgreSQL)."""
    if revision == "head" and current_revision(engine) == head_revision():
        return
    if engine.dialect.name == "sqlite":
        with _sqlite_file_lock(engine), engine.begin() as conn:
            command.upgrade(alembic_config(conn), revision)
        return
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(sa.text(_MIGRATION_LOCK))
        command.upgrade(alembic_config(conn), revision)
