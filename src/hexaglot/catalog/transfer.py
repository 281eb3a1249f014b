"""Copying a whole catalogue from one database to another (an embedded SQLite archive into
PostgreSQL for server mode), and the per-table checksums that prove the copy.

Every table of the one metadata is copied except the search index's own tables and the
outbox of changes it has not seen (the target's index is rebuilt from the copied
catalogue). The copy is one transaction on the
target: it lands whole or not at all. A checksum of a table is the SHA-256 of its rows in
primary-key order, each row in one canonical form whatever the database (times in UTC,
JSON with sorted keys), so a SQLite table and its PostgreSQL copy hash alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from hexaglot.catalog.search_tables import search_assets, search_segments
from hexaglot.catalog.tables import Base, OutboxRow
from hexaglot.errors import Conflict

#: Rows read and written per batch.
BATCH = 2000


class TargetNotEmpty(Conflict):
    """The target catalogue already holds other data: nothing is copied over it."""


@dataclass(frozen=True)
class TableSum:
    """One table's row count and checksum."""

    rows: int
    sha256: str


def copied_tables() -> list[sa.Table]:
    """The tables a catalogue copy carries, parents before children."""
    skip = {search_assets.name, search_segments.name, OutboxRow.__tablename__}
    return [t for t in Base.metadata.sorted_tables if t.name not in skip]


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float):
        return repr(value)
    return value


def _rows(conn: sa.Connection, table: sa.Table) -> Iterator[dict[str, Any]]:
    order = list(table.primary_key.columns) or list(table.columns)
    result = conn.execution_options(yield_per=BATCH).execute(
        sa.select(table).order_by(*order))
    for row in result.mappings():
        yield dict(row)


def checksums(engine: sa.Engine) -> dict[str, TableSum]:
    """The row count and checksum of every copied table."""
    out = {}
    with engine.connect() as conn:
        for table in copied_tables():
            digest, n = hashlib.sha256(), 0
            for row in _rows(conn, table):
                line = json.dumps({k: _canonical(v) for k, v in row.items()},
                                  sort_keys=True, default=str)
                digest.update(line.encode() + b"\n")
                n += 1
            out[table.name] = TableSum(n, digest.hexdigest())
    return out


def is_empty(engine: sa.Engine) -> bool:
    """True when no copied table holds a row."""
    with engine.connect() as conn:
        return all(conn.execute(sa.select(sa.literal(1)).select_from(t).limit(1)).first()
                   is None for t in copied_tables())


def copy_catalogue(source: sa.Engine, target: sa.Engine) -> dict[str, int]:
    """Copy every row of `source` into the empty catalogue `target` (same schema
    revision), in one target transaction; returns the rows copied per table. Raises
    `TargetNotEmpty` when the target holds any row."""
    if not is_empty(target):
        raise TargetNotEmpty(f"the target catalogue {target.url.render_as_string()} already "
                             "holds records; migrate into an empty database")
    counts: dict[str, int] = {}
    with source.connect() as src, target.begin() as dst:
        for table in copied_tables():
            n, batch = 0, []
            for row in _rows(src, table):
                batch.append(row)
                if len(batch) >= BATCH:
                    dst.execute(table.insert(), batch)
                    n, batch = n + len(batch), []
            if batch:
                dst.execute(table.insert(), batch)
                n += len(batch)
            counts[table.name] = n
        if target.dialect.name == "postgresql":
            _advance_sequences(dst)
    return counts


def _advance_sequences(conn: sa.Connection) -> None:
    """Integer keys the database hands out continue after the copied ones."""
    for table in copied_tables():
        for col in table.primary_key.columns:
            if col.autoincrement is True or (col.autoincrement == "auto"
                                             and isinstance(col.type, sa.Integer)
                                             and len(table.primary_key.columns) == 1):
                seq = conn.execute(sa.text("SELECT pg_get_serial_sequence(:t, :c)"),
                                   {"t": table.name, "c": col.name}).scalar()
                if seq:
                    conn.execute(sa.text(
                        f"SELECT setval('{seq}', COALESCE((SELECT max({col.name}) "
                        f"FROM {table.name}), 0) + 1, false)"))
