"""Search tables for the PostgreSQL full-text engine (server mode only; SQLite: nothing).

The statements are written out here (not imported from the engine) so that this revision
keeps doing what it did when it was written, whatever the engine's module becomes.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TEXT = ("text", "speaker", "country", "body", "subject", "symbol")
_FACET_COLUMNS = """f_body text[] NOT NULL, f_kind text[] NOT NULL, f_lang text[] NOT NULL,
        f_affiliation text[] NOT NULL, f_personal text[] NOT NULL, f_corporate text[] NOT NULL,
        f_geographic text[] NOT NULL, f_topical text[] NOT NULL"""

DDL = (
    f"""CREATE TABLE IF NOT EXISTS search_assets (
        asset_id text PRIMARY KEY,
        visible_from integer NOT NULL,
        day integer NOT NULL,
        year integer,
        {_FACET_COLUMNS},
        {", ".join(f"{n}_tsv tsvector NOT NULL" for n in _TEXT)},
        display jsonb NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS search_segments (
        asset_id text NOT NULL,
        seq integer NOT NULL,
        language text NOT NULL,
        speaker text,
        start_s double precision NOT NULL,
        end_s double precision NOT NULL,
        body text NOT NULL,
        tsv tsvector NOT NULL,
        PRIMARY KEY (asset_id, seq))""",
    *(f"CREATE INDEX IF NOT EXISTS search_assets_{n}_gin ON search_assets USING gin ({n}_tsv)"
      for n in _TEXT),
    *(f"CREATE INDEX IF NOT EXISTS search_assets_{c}_gin ON search_assets USING gin ({c})"
      for c in (c.split()[0] for c in _FACET_COLUMNS.split(","))),
    "CREATE INDEX IF NOT EXISTS search_assets_day ON search_assets (day)",
    "CREATE INDEX IF NOT EXISTS search_segments_tsv_gin ON search_segments USING gin (tsv)",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in DDL:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_segments")
    op.execute("DROP TABLE IF EXISTS search_assets")
