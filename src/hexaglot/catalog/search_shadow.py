"""Shadow tables for a bulk rebuild of the PostgreSQL search tables (the catalogue owns
every table and its DDL; `search.postgres_engine` drives the rebuild).

A rebuild loads every row into fresh tables beside the live ones (`<table>_rebuild`, the
same columns, defaults, generated columns and checks, but no index), builds their indexes
once the rows are in (one sorted build per index instead of an update per row), vacuums
and analyses them, then swaps them in with one short transaction: readers see the old
rows until that commits, and never a half-built table.

The indexes and constraints of the shadow tables are read from the live tables' catalogue
(`pg_index`, `pg_constraint`), so they end up exactly as the migrations made them, the
optional RUM index included, without a second copy of their DDL here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SUFFIX = "_rebuild"
_INDEX_DEF = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (\S+) (USING .*)$", re.DOTALL)


def shadow(name: str) -> str:
    """The name of the shadow of a table, index or constraint (at most 63 bytes)."""
    return name[:63 - len(SUFFIX)] + SUFFIX


@dataclass(frozen=True)
class Plan:
    """What the shadow of one live table needs beyond `CREATE TABLE … (LIKE …)`."""

    table: str
    options: list[str]  # table storage parameters (`fillfactor=90`)
    owner: str
    indexes: list[tuple[str, str]]  # (live index name, CREATE INDEX for the shadow)
    constraints: list[tuple[str, str, str]]  # (live name, shadow name, definition)


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def plan(cur: Any, table: str) -> Plan:
    """Read the live table's storage parameters, owner, indexes and constraints."""
    cur.execute("SELECT c.oid, c.reloptions, pg_get_userbyid(c.relowner) FROM pg_class c "
                "WHERE c.oid = to_regclass(%s)", (table,))
    row = cur.fetchone()
    if row is None:
        raise RuntimeError(f"search table {table!r} missing: run `hexaglot migrate` first")
    oid, options, owner = row
    cur.execute(
        "SELECT conrelid::regclass::text, conname FROM pg_constraint "
        "WHERE confrelid = %s AND conrelid <> %s", (oid, oid))
    if refs := cur.fetchall():
        named = ", ".join(f"{t}.{c}" for t, c in refs)
        raise RuntimeError(f"cannot rebuild {table}: referenced by foreign keys {named}")
    cur.execute(
        "SELECT conname, contype, conindid, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s AND contype IN ('p', 'u', 'x', 'f') ORDER BY conname", (oid,))
    constraints, backed = [], set()
    for name, kind, index_oid, definition in cur.fetchall():
        if kind != "f":
            backed.add(index_oid)
        # a unique/primary/exclusion constraint's index takes the constraint's name
        constraints.append((name, shadow(name) if kind != "f" else name, definition))
    cur.execute(
        "SELECT i.indexrelid, c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s ORDER BY c.relname",
        (oid,))
    indexes = []
    for index_oid, name, definition in cur.fetchall():
        if index_oid in backed:
            continue
        m = _INDEX_DEF.match(definition)
        if m is None:  # pragma: no cover - pg_get_indexdef's form is fixed
            raise RuntimeError(f"unexpected definition of index {name}: {definition}")
        indexes.append((name, f"CREATE {m.group(1) or ''}INDEX {_ident(shadow(name))} "
                              f"ON {_ident(shadow(table))} {m.group(4)}"))
    return Plan(table, list(options or []), owner, indexes, constraints)


def drop(cur: Any, tables: list[str]) -> None:
    """Drop the shadows of `tables` (left behind by a rebuild that was killed)."""
    cur.execute("DROP TABLE IF EXISTS " + ", ".join(_ident(shadow(t)) for t in tables))


def create(cur: Any, p: Plan) -> None:
    """The shadow table of a plan: the live table's columns, without any index."""
    name = _ident(shadow(p.table))
    cur.execute(f"CREATE TABLE {name} (LIKE {_ident(p.table)} INCLUDING ALL EXCLUDING INDEXES)")
    if p.options:
        cur.execute(f"ALTER TABLE {name} SET ({', '.join(p.options)})")
    cur.execute("SELECT current_user")
    if cur.fetchone()[0] != p.owner:
        cur.execute(f"ALTER TABLE {name} OWNER TO {_ident(p.owner)}")


def build_indexes(cur: Any, p: Plan) -> None:
    """Make the live table's indexes and constraints on its (loaded) shadow."""
    name = _ident(shadow(p.table))
    for _live, statement in p.indexes:
        cur.execute(statement)
    for _live, con, definition in p.constraints:
        cur.execute(f"ALTER TABLE {name} ADD CONSTRAINT {_ident(con)} {definition}")


def swap(cur: Any, plans: list[Plan]) -> None:
    """In the caller's transaction: drop the live tables, give their names to the shadows."""
    tables = ", ".join(_ident(p.table) for p in plans)
    cur.execute(f"LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE")  # in this order, as readers
    cur.execute(f"DROP TABLE {tables}")
    for p in plans:
        cur.execute(f"ALTER TABLE {_ident(shadow(p.table))} RENAME TO {_ident(p.table)}")
        for live, _statement in p.indexes:
            cur.execute(f"ALTER INDEX {_ident(shadow(live))} RENAME TO {_ident(live)}")
        for live, con, _definition in p.constraints:
            if con != live:  # renaming the index of a constraint renames the constraint
                cur.execute(f"ALTER INDEX {_ident(con)} RENAME TO {_ident(live)}")
