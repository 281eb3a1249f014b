"""PostgreSQL search: a sampling bucket per asset, and a GIN index without a pending list.

- `search_assets.bucket`: 6 bits of a hash of the asset id (a stored generated column, so
  rows already indexed get theirs when the table is rewritten here), with a B-tree index:
  facet counts over a very large match are estimated from its first buckets.
- The GIN indexes of `search_assets.text_tsv` and `search_segments.tsv` get
  `fastupdate = off`: every search would otherwise also scan the unsorted pending list
  that writes leave behind.
- Where the RUM extension can be installed (Debian's `postgresql-15-rum`, by a superuser),
  a RUM index `search_assets_text_rum` on `text_tsv`: it orders the matches by rank from the
  index, without reading every match's row. Where it cannot, nothing else changes (the
  engine then ranks with `ts_rank`).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_BUCKET = "CAST(hashtext(asset_id) & 63 AS smallint)"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE search_assets ADD COLUMN IF NOT EXISTS bucket smallint "
               f"GENERATED ALWAYS AS ({_BUCKET}) STORED")
    op.execute("CREATE INDEX IF NOT EXISTS search_assets_bucket ON search_assets (bucket)")
    op.execute("ALTER INDEX search_assets_text_gin SET (fastupdate = off)")
    op.execute("ALTER INDEX search_segments_tsv_gin SET (fastupdate = off)")
    _rum_index(op.get_bind())


def _rum_index(conn: sa.Connection) -> None:
    """The RUM index, if the extension is there or can be made (else nothing)."""
    if conn.execute(sa.text(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")).first() is None:
        return
    try:
        with conn.begin_nested():
            conn.execute(sa.text("CREATE EXTENSION IF NOT EXISTS rum SCHEMA public"))
    except sa.exc.DBAPIError:  # not allowed (not a superuser): rank with ts_rank
        return
    schema = conn.execute(sa.text(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
        "WHERE e.extname = 'rum'")).scalar_one()
    conn.execute(sa.text(
        "CREATE INDEX IF NOT EXISTS search_assets_text_rum ON search_assets "
        f'USING rum (text_tsv "{schema}".rum_tsvector_ops)'))


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS search_assets_text_rum")
    op.execute("ALTER INDEX search_segments_tsv_gin RESET (fastupdate)")
    op.execute("ALTER INDEX search_assets_text_gin RESET (fastupdate)")
    op.execute("DROP INDEX IF EXISTS search_assets_bucket")
    op.execute("ALTER TABLE search_assets DROP COLUMN IF EXISTS bucket")
