"""PostgreSQL search: a sampling bucket per asset, and a GIN index without a pending list.

- `search_assets.bucket`: 6 bits of a hash of the asset id (a stored generated column, so
  rows already indexed get theirs when the table is rewritten here), with a B-tree index:
  facet counts over a very large match are estimated from its first buckets.
- The GIN indexes of `search_assets.text_tsv` and `search_segments.tsv` get
  `fastupdate = off`: every search would otherwise also scan the unsorted pending list
  that writes leave behind.

Revision ID: 0011
Revises: 0010
"""

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


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER INDEX search_segments_tsv_gin RESET (fastupdate)")
    op.execute("ALTER INDEX search_assets_text_gin RESET (fastupdate)")
    op.execute("DROP INDEX IF EXISTS search_assets_bucket")
    op.execute("ALTER TABLE search_assets DROP COLUMN IF EXISTS bucket")
