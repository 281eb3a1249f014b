"""Alembic environment: run with a connection handed over by `hexaglot.catalog.migrate`
(or by anything that sets `config.attributes["connection"]`, as `alembic check` does)."""

from __future__ import annotations

from argparse import Namespace
from typing import Any

from alembic import context

from hexaglot.catalog.search_tables import OPTIONAL_INDEXES
from hexaglot.catalog.tables import Base

config = context.config
connection: Any = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations with `hexaglot migrate`")
if config.cmd_opts is None:  # run from code (`hexaglot migrate`, a check): print nothing
    config.cmd_opts = Namespace(quiet=True)
    config.__dict__.pop("messaging_opts", None)  # a memoized property: read it anew


def include_object(obj: Any, name: str | None, type_: str, reflected: bool,
                   compare_to: Any) -> bool:
    """Tables for one database only (the PostgreSQL search tables) exist only there;
    indexes made only where PostgreSQL has an extension are left alone."""
    if type_ == "index" and reflected and compare_to is None and name in OPTIONAL_INDEXES:
        return False
    table = obj if type_ == "table" else getattr(obj, "table", None)
    wanted = getattr(table, "info", {}).get("dialect") if table is not None else None
    return wanted is None or wanted == connection.dialect.name


context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
