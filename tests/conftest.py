"""Shared fixtures: a fresh archive home per test, on SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from hexaglot.catalog import create_engine, dispose_engines, upgrade

POSTGRES_URL = os.environ.get(
    "HEXAGLOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SHARED = Path(__file__).resolve().parents[2] / "shared"


def postgres_reachable() -> str | None:
    """Return why PostgreSQL cannot be used, or None when it can."""
    try:
        engine = sa.create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
    except Exception as exc:  # noqa: BLE001 - any failure means "skip with this reason"
        return f"PostgreSQL at {POSTGRES_URL} unreachable: {exc.__class__.__name__}"
    return None


def _fresh_postgres_schema() -> tuple[str, str]:
    """Create an empty schema for one test and return (url, schema)."""
    schema = f"hx_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in POSTGRES_URL else "?"
    return f"{POSTGRES_URL}{sep}options=-csearch_path%3D{schema}", schema


def _drop_postgres_schema(schema: str) -> None:
    engine = sa.create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of an empty PostgreSQL schema for one test, dropped afterwards (with the
    catalogue's pooled connections); skips the test when PostgreSQL is unreachable."""
    if why := postgres_reachable():
        pytest.skip(why)
    url, schema = _fresh_postgres_schema()
    try:
        yield url
    finally:
        dispose_engines()
        _drop_postgres_schema(schema)


#: Catalogues migrated once per test session and copied for each test that wants a new,
#: migrated catalogue (`home`, `sqlite_home`): a SQLite file, a PostgreSQL template database.
_MIGRATED: dict[str, str] = {}


def _admin_url(database: str) -> str:
    return sa.make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)


def _admin() -> sa.Engine:
    return sa.create_engine(_admin_url("postgres"), isolation_level="AUTOCOMMIT")


def _drop_database(name: str) -> None:
    engine = _admin()
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def migrated_sqlite(path: Path) -> Path:
    """Put a new catalogue at the newest schema at `path` (a copy of one migrated once)."""
    if "sqlite" not in _MIGRATED:
        where = Path(tempfile.mkdtemp(prefix="hexaglot-test-catalogue-"))
        atexit.register(shutil.rmtree, where, True)
        engine = create_engine(f"sqlite:///{where / 'catalogue.sqlite3'}")
        upgrade(engine)
        engine.dispose()
        assert not (where / "catalogue.sqlite3-wal").exists()
        _MIGRATED["sqlite"] = str(where / "catalogue.sqlite3")
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_MIGRATED["sqlite"], path)
    return path


def _postgres_template() -> str:
    """The name of this session's migrated template database (made on first use)."""
    if "postgresql" not in _MIGRATED:
        name = f"hx_template_{uuid.uuid4().hex[:12]}"
        engine = _admin()
        with engine.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        atexit.register(_drop_database, name)
        catalogue = create_engine(_admin_url(name))
        upgrade(catalogue)
        catalogue.dispose()
        _MIGRATED["postgresql"] = name
    return _MIGRATED["postgresql"]


@contextmanager
def migrated_postgres() -> Iterator[str]:
    """The URL of a new PostgreSQL database at the newest schema for one test (a copy of
    the session's template), dropped afterwards; skips when PostgreSQL is unreachable."""
    if why := postgres_reachable():
        pytest.skip(why)
    template, name = _postgres_template(), f"hx_{uuid.uuid4().hex[:12]}"
    engine = _admin()
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    engine.dispose()
    try:
        yield _admin_url(name)
    finally:
        dispose_engines()
        _drop_database(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def migrated_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new catalogue database at the newest schema: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{migrated_sqlite(tmp_path / 'catalogue.sqlite3')}"
        return
    with migrated_postgres() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty catalogue database: SQLite, then PostgreSQL (skipped with the reason
    when PostgreSQL is unreachable)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalogue.sqlite3'}"
        return
    with postgres_schema() as url:
        yield url


@pytest.fixture
def home(tmp_path: Path, migrated_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty archive home with a new catalogue, HEXAGLOT_* set for this test (both
    databases; `database_url` is the fixture for a database not yet migrated)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HEXAGLOT_HOME", str(path))
    monkeypatch.setenv("HEXAGLOT_DATABASE_URL", migrated_database_url)
    monkeypatch.setenv("HEXAGLOT_SECRET_KEY", "test-secret-key-" + uuid.uuid4().hex)
    monkeypatch.delenv("HEXAGLOT_QUEUE_URL", raising=False)
    monkeypatch.delenv("HEXAGLOT_STORAGE_URL", raising=False)
    return path


@pytest.fixture
def sqlite_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty embedded archive home with a new catalogue on SQLite only (for tests not
    about the database)."""
    path = tmp_path / "home"
    migrated_sqlite(path / "catalogue.sqlite3")
    monkeypatch.setenv("HEXAGLOT_HOME", str(path))
    monkeypatch.delenv("HEXAGLOT_DATABASE_URL", raising=False)
    monkeypatch.delenv("HEXAGLOT_QUEUE_URL", raising=False)
    monkeypatch.delenv("HEXAGLOT_STORAGE_URL", raising=False)
    return path


#: The tests' Redis database (`HEXAGLOT_TEST_REDIS_URL`): give each concurrent run its own.
REDIS_URL = os.environ.get("HEXAGLOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
_QUEUE_KEYS = ("huey.redis.hexaglot", "huey.schedule.hexaglot")


@pytest.fixture
def redis_queue(sqlite_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The tests' Redis database as the job queue, its queue emptied before and after
    (skipped with the reason when Redis cannot be reached)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure: skip with the reason
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc.__class__.__name__}")
    client.delete(*_QUEUE_KEYS)
    monkeypatch.setenv("HEXAGLOT_QUEUE_URL", REDIS_URL)
    try:
        yield REDIS_URL
    finally:
        client.delete(*_QUEUE_KEYS)
        client.close()
