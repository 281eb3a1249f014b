"""OAI-PMH items with their sets, the preservation log, the fixity audit.

- `oai_items`, `oai_item_sets`: every asset's OAI-PMH state (live, deleted, unseen), its
  datestamp and sets; filled here from each asset's effective visibility (a public asset
  is live since its last update; deletions before this revision are not known).
- `preservation_events`: the append-only preservation log (updates and deletes refused
  by the database itself).
- `blob_fixity`, `audit_runs`: what the fixity audit last found for each blob, and its
  runs.
- A queued `transcripts` job for each asset with transcript segments, so its transcripts
  become WebVTT blobs the audit and bags cover.

Revision ID: 0007
Revises: 0005
"""

import json
import uuid
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

_APPEND_ONLY = "preservation events are append-only"


def _tables() -> None:
    op.create_table(
        "oai_items",
        sa.Column("asset_id", sa.String(64), primary_key=True),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("datestamp", sa.DateTime(timezone=True), nullable=False),
        sa.Column("public_from", sa.Date, index=True),
    )
    op.create_index("ix_oai_items_datestamp", "oai_items", ["datestamp", "asset_id"])
    op.create_table(
        "oai_item_sets",
        sa.Column("asset_id", sa.String(64),
                  sa.ForeignKey("oai_items.asset_id", ondelete="CASCADE"), primary_key=True),
        sa.Column("spec", sa.String(200), primary_key=True, index=True),
        sa.Column("name", sa.String(300), nullable=False),
    )
    op.create_table(
        "preservation_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("asset_id", sa.String(64), nullable=False, index=True),
        sa.Column("event_type", sa.String(32), nullable=False),
        sa.Column("date", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent", sa.String(200), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64)),
    )
    op.create_table(
        "blob_fixity",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("size", sa.BigInteger),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked", sa.DateTime(timezone=True)),
        sa.Column("outcome", sa.String(16), index=True),
        sa.Column("found", sa.String(64)),
    )
    op.create_table(
        "audit_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scope", sa.String(8), nullable=False),
        sa.Column("slot", sa.String(40)),
        sa.Column("started", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished", sa.DateTime(timezone=True)),
        sa.Column("blobs", sa.Integer, nullable=False),
        sa.Column("bytes", sa.BigInteger, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.UniqueConstraint("slot", name="uq_audit_runs_slot"),
    )


def _append_only(conn: sa.Connection) -> None:
    """The database refuses to change or remove a preservation event."""
    if conn.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER preservation_events_no_{action.lower()} BEFORE {action} "
                       f"ON preservation_events BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END")
    elif conn.dialect.name == "postgresql":
        op.execute("CREATE OR REPLACE FUNCTION preservation_events_append_only() RETURNS trigger "
                   f"AS $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER preservation_events_append_only BEFORE UPDATE OR DELETE ON "
                   "preservation_events FOR EACH ROW EXECUTE FUNCTION "
                   "preservation_events_append_only()")


def _aware(value: object) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _day(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[return-value]


def _items(conn: sa.Connection) -> None:
    """Every asset's OAI item from its effective visibility."""
    from hexaglot.domain.sets import harvest_sets

    rows = conn.execute(sa.text("SELECT asset_id, audience, visible_from, updated, "
                                "meeting_body, recorded_on FROM assets")).all()
    today = datetime.now(UTC).date()
    for r in rows:
        since = _day(r.visible_from)
        live = r.audience == 0 and (since is None or since <= today)
        pending = since if r.audience == 0 and not live else None
        conn.execute(sa.text("INSERT INTO oai_items (asset_id, state, datestamp, public_from) "
                             "VALUES (:a, :s, :d, :p)"),
                     {"a": r.asset_id, "s": "live" if live else "unseen",
                      "d": _aware(r.updated), "p": pending})
        for spec, name in harvest_sets(r.meeting_body, _day(r.recorded_on)):
            conn.execute(sa.text("INSERT INTO oai_item_sets (asset_id, spec, name) "
                                 "VALUES (:a, :s, :n)"), {"a": r.asset_id, "s": spec, "n": name})


def _transcripts(conn: sa.Connection) -> None:
    """A queued `transcripts` job for each asset with transcript segments."""
    ids = conn.execute(sa.text("SELECT DISTINCT asset_id FROM segments")).scalars().all()
    now = datetime.now(UTC)
    for asset_id in ids:
        conn.execute(sa.text(
            "INSERT INTO jobs (id, kind, asset_id, params, status, attempts, created, updated) "
            "VALUES (:id, 'transcripts', :a, :p, 'queued', 0, :t, :t)"),
            {"id": uuid.uuid4().hex, "a": asset_id, "p": json.dumps({}), "t": now})


def upgrade() -> None:
    conn = op.get_bind()
    _tables()
    _append_only(conn)
    _items(conn)
    _transcripts(conn)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS preservation_events_append_only ON "
                   "preservation_events")
        op.execute("DROP FUNCTION IF EXISTS preservation_events_append_only()")
    for table in ("audit_runs", "blob_fixity", "preservation_events", "oai_item_sets",
                  "oai_items"):
        op.drop_table(table)
    op.execute("DELETE FROM jobs WHERE kind = 'transcripts' AND status = 'queued'")
