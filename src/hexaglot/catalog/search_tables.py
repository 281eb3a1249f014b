"""The PostgreSQL full-text search tables (server mode; SQLite archives have none).

`search_assets` holds one row per asset: its effective visibility, date, sampling bucket,
one `text[]` column per text facet and one integer column per numeric facet of the registry
(`hexaglot.domain.facets`), one `tsvector` per searchable text field, and what a hit
displays. `search_segments` holds one row per transcript cue. The search engine writes
tokens made in Python, so PostgreSQL indexes exactly what Tantivy indexes.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg

from hexaglot.catalog.tables import Base
from hexaglot.domain.facets import BUCKETS, FACETS, TEXT_FIELDS

#: Marks a table that exists only on PostgreSQL (the migrations environment skips it
#: elsewhere).
POSTGRESQL_ONLY = {"dialect": "postgresql"}
#: Indexes the migrations make only where PostgreSQL has what they need (the RUM index of
#: `search_assets.text_tsv`, where the `rum` extension is installed): not in this metadata,
#: so autogenerate leaves them alone (see the migrations environment).
OPTIONAL_INDEXES = frozenset({"search_assets_text_rum"})
#: GIN indexes searched on every query: without a pending list to scan (migration 0011).
_NO_PENDING_LIST = {"fastupdate": "off"}
#: The sampling bucket of an asset (`hexaglot.domain.facets.BUCKETS`, a power of two): the
#: low bits of a hash of its id, computed by PostgreSQL.
BUCKET = f"CAST(hashtext(asset_id) & {BUCKETS - 1} AS smallint)"


def facet_column(name: str, numeric: bool) -> sa.Column[object]:
    """The column of a facet: `year integer`, `f_<name> text[]`."""
    if numeric:
        return sa.Column(name, sa.Integer)
    return sa.Column(f"f_{name}", pg.ARRAY(sa.Text), nullable=False)


search_assets = sa.Table(
    "search_assets", Base.metadata,
    sa.Column("asset_id", sa.Text, primary_key=True),
    sa.Column("visible_from", sa.Integer, nullable=False),
    sa.Column("audience", sa.SmallInteger, nullable=False, server_default="0"),
    sa.Column("day", sa.Integer, nullable=False),
    sa.Column("bucket", sa.SmallInteger, sa.Computed(BUCKET, persisted=True)),
    *(facet_column(f.name, f.numeric) for f in FACETS),
    *(sa.Column(f"{n}_tsv", pg.TSVECTOR, nullable=False) for n in TEXT_FIELDS),
    sa.Column("display", pg.JSONB, nullable=False),
    sa.Index("search_assets_day", "day"),
    sa.Index("search_assets_bucket", "bucket"),
    *(sa.Index(f"search_assets_{n}_gin", f"{n}_tsv", postgresql_using="gin",
               postgresql_with=_NO_PENDING_LIST if n == "text" else {})
      for n in TEXT_FIELDS),
    *(sa.Index(f"search_assets_f_{f.name}_gin", f"f_{f.name}", postgresql_using="gin")
      for f in FACETS if not f.numeric),
    info=POSTGRESQL_ONLY,
)

search_segments = sa.Table(
    "search_segments", Base.metadata,
    sa.Column("asset_id", sa.Text, primary_key=True),
    sa.Column("seq", sa.Integer, primary_key=True),
    sa.Column("language", sa.Text, nullable=False),
    sa.Column("speaker", sa.Text),
    sa.Column("start_s", pg.DOUBLE_PRECISION, nullable=False),
    sa.Column("end_s", pg.DOUBLE_PRECISION, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("tsv", pg.TSVECTOR, nullable=False),
    sa.Index("search_segments_tsv_gin", "tsv", postgresql_using="gin",
             postgresql_with=_NO_PENDING_LIST),
    info=POSTGRESQL_ONLY,
)

#: Moved on after every change of the index: its value names the index's state.
search_generation = sa.Sequence("search_generation", metadata=Base.metadata)
