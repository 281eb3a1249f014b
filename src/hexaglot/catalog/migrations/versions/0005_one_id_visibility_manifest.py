"""One id per concept, one visibility rule, media by manifest, jobs with progress.

- `assets`: `status` (draft|published), the effective visibility (`audience`,
  `visible_from`) computed from each asset's access and its parent chain; `restricted`
  becomes `staff`.
- `subjects`: every stored heading resolved through the vocabularies to one id with its
  six labels (a heading they do not know becomes `local:<slug>`, flagged `local`);
  speakers' affiliations likewise.
- `segments`: `origin` (human|machine), `model`, `confidence`.
- `jobs`: `progress`, `step`.
- `rendition_files`: the manifest media are served from. Renditions made before it are
  re-derived: a queued `derive` job is recorded for each asset that has them.
- PostgreSQL: the search tables are made anew (new columns) and every asset is queued in
  the outbox, so the index is rebuilt by the next drain.

Revision ID: 0005
Revises: 0004
"""

import json
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_STAFF, _REGISTERED, _PUBLIC = 2, 1, 0


def _own(access: str, status: str) -> tuple[int, date | None]:
    if status == "draft" or access in ("staff", "restricted"):
        return _STAFF, None
    if access == "registered":
        return _REGISTERED, None
    if access.startswith("embargoed until "):
        try:
            return _PUBLIC, date.fromisoformat(access.removeprefix("embargoed until "))
        except ValueError:
            return _STAFF, None
    return _PUBLIC, None


def _visibility(conn: sa.Connection) -> None:
    rows = conn.execute(sa.text("SELECT asset_id, parent_id, access, status FROM assets")).all()
    own = {r.asset_id: _own(r.access, r.status) for r in rows}
    parent = {r.asset_id: r.parent_id for r in rows}

    def effective(asset_id: str, depth: int = 0) -> tuple[int, date | None]:
        audience, day = own[asset_id]
        up = parent.get(asset_id)
        if up is not None and up in own and depth < 64:
            pa, pd = effective(up, depth + 1)
            days = [d for d in (day, pd) if d is not None]
            return max(audience, pa), max(days) if days else None
        return audience, day

    for asset_id in own:
        audience, day = effective(asset_id)
        conn.execute(sa.text("UPDATE assets SET audience = :a, visible_from = :d WHERE "
                             "asset_id = :i"), {"a": audience, "d": day, "i": asset_id})


def _headings(conn: sa.Connection) -> None:
    from hexaglot.vocab import affiliation_for, subject_for, vocabulary

    vocab = vocabulary()
    rows = conn.execute(sa.text("SELECT id, kind, subject_id, label FROM subjects")).all()
    for r in rows:
        concept = vocab.get(r.subject_id)
        subject = subject_for(r.kind, concept.label if concept else r.label)
        conn.execute(sa.text("UPDATE subjects SET subject_id = :s, label = :l, labels = :ls, "
                             "local = :loc WHERE id = :i"),
                     {"s": subject.id, "l": subject.label, "ls": json.dumps(subject.labels),
                      "loc": subject.local, "i": r.id})
    speakers = conn.execute(sa.text("SELECT id, affiliation, affiliation_id FROM speakers "
                                    "WHERE affiliation IS NOT NULL")).all()
    for r in speakers:
        concept = vocab.get(r.affiliation_id) if r.affiliation_id else None
        label, ident = affiliation_for(concept.label if concept else r.affiliation)
        conn.execute(sa.text("UPDATE speakers SET affiliation = :l, affiliation_id = :a "
                             "WHERE id = :i"), {"l": label, "a": ident, "i": r.id})


def _rederive(conn: sa.Connection) -> None:
    """Queue a derive job for each asset whose renditions predate the manifest."""
    rows = conn.execute(sa.text(
        'SELECT m.asset_id, m.sha256, m.start, m."end" FROM'
        " media_masters m WHERE EXISTS "
        "(SELECT 1 FROM formats f WHERE f.asset_id = m.asset_id AND f.rendition <> 'master')"
    )).all()
    now = datetime.now(UTC)
    for r in rows:
        params = {"sha256": r.sha256}
        if r.start or r.end is not None:
            params |= {"start": r.start, "end": r.end}
        conn.execute(sa.text(
            "INSERT INTO jobs (id, kind, asset_id, params, status, attempts, created, updated) "
            "VALUES (:id, 'derive', :a, :p, 'queued', 0, :t, :t)"),
            {"id": uuid.uuid4().hex, "a": r.asset_id, "p": json.dumps(params), "t": now})


_TEXT = ("text", "speaker", "affiliation", "body", "subject", "symbol")
_FACET_COLUMNS = ("f_body text[] NOT NULL, f_kind text[] NOT NULL, f_lang text[] NOT NULL, "
                  "f_affiliation text[] NOT NULL, f_personal text[] NOT NULL, "
                  "f_corporate text[] NOT NULL, f_geographic text[] NOT NULL, "
                  "f_topical text[] NOT NULL")


def _search_tables() -> None:
    """PostgreSQL: the search tables anew, and every asset queued for the index."""
    op.execute("DROP TABLE IF EXISTS search_segments")
    op.execute("DROP TABLE IF EXISTS search_assets")
    op.execute(
        "CREATE TABLE search_assets (asset_id text PRIMARY KEY, visible_from integer NOT NULL, "
        "audience smallint NOT NULL DEFAULT 0, day integer NOT NULL, year integer, "
        + _FACET_COLUMNS + ", "
        + "".join(f"{n}_tsv tsvector NOT NULL, " for n in _TEXT)
        + "display jsonb NOT NULL)")
    op.execute(
        "CREATE TABLE search_segments (asset_id text NOT NULL, seq integer NOT NULL, "
        "language text NOT NULL, speaker text, start_s double precision NOT NULL, "
        "end_s double precision NOT NULL, body text NOT NULL, tsv tsvector NOT NULL, "
        "PRIMARY KEY (asset_id, seq))")
    op.execute("CREATE INDEX search_assets_day ON search_assets (day)")
    for n in _TEXT:
        op.execute(f"CREATE INDEX search_assets_{n}_gin ON search_assets USING gin ({n}_tsv)")
    for c in (c.split()[0] for c in _FACET_COLUMNS.split(",")):
        op.execute(f"CREATE INDEX search_assets_{c}_gin ON search_assets USING gin ({c})")
    op.execute("CREATE INDEX search_segments_tsv_gin ON search_segments USING gin (tsv)")
    op.execute("INSERT INTO outbox (asset_id, created) SELECT asset_id, now() FROM assets")


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("assets") as t:
        t.add_column(sa.Column("status", sa.String(16), nullable=False,
                               server_default="published"))
        t.add_column(sa.Column("audience", sa.SmallInteger, nullable=False, server_default="0"))
        t.add_column(sa.Column("visible_from", sa.Date))
    conn.execute(sa.text("UPDATE assets SET access = 'staff' WHERE access = 'restricted'"))
    with op.batch_alter_table("subjects") as t:
        t.add_column(sa.Column("local", sa.Boolean, nullable=False, server_default=sa.false()))
    with op.batch_alter_table("segments") as t:
        t.add_column(sa.Column("origin", sa.String(16), nullable=False, server_default="human"))
        t.add_column(sa.Column("model", sa.String(200)))
        t.add_column(sa.Column("confidence", sa.Float))
    with op.batch_alter_table("jobs") as t:
        t.add_column(sa.Column("progress", sa.Float))
        t.add_column(sa.Column("step", sa.String(80)))
    op.create_table(
        "rendition_files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(64), sa.ForeignKey("assets.asset_id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("rendition", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("path", sa.String(300), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.UniqueConstraint("asset_id", "path", name="uq_rendition_files_path"),
    )
    _visibility(conn)
    _headings(conn)
    _rederive(conn)
    if conn.dialect.name == "postgresql":
        _search_tables()


def downgrade() -> None:
    raise NotImplementedError("0005 rewrites stored ids; restore a backup to go back")
