"""Shared fixtures: a fresh archive home per test, on SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from hexaglot.catalog import dispose_engines

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
def home(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty archive home, with HEXAGLOT_* set for this test (both databases)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("HEXAGLOT_HOME", str(path))
    monkeypatch.setenv("HEXAGLOT_DATABASE_URL", database_url)
    monkeypatch.setenv("HEXAGLOT_SECRET_KEY", "test-secret-key-" + uuid.uuid4().hex)
    monkeypatch.delenv("HEXAGLOT_QUEUE_URL", raising=False)
    monkeypatch.delenv("HEXAGLOT_STORAGE_URL", raising=False)
    return path


@pytest.fixture
def sqlite_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty embedded archive home on SQLite only (for tests not about the database)."""
    path = tmp_path / "home"
    path.mkdir()
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
