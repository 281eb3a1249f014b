"""Search tables for the PostgreSQL full-text engine (server mode only; SQLite: nothing).

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from hexaglot.search.postgres_sql import ASSETS, DDL, SEGMENTS

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP TABLE IF EXISTS {SEGMENTS}")
    op.execute(f"DROP TABLE IF EXISTS {ASSETS}")
