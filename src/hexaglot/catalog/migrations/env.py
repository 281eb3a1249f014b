"""Alembic environment: run with a connection handed over by `hexaglot.catalog.migrate`."""

from __future__ import annotations

from alembic import context

from hexaglot.catalog.tables import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations with `hexaglot migrate`")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
