"""The catalogue: assets, speakers, subjects, formats, segments, outbox.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _asset_fk(ondelete: str = "CASCADE") -> sa.ForeignKey:
    return sa.ForeignKey("assets.asset_id", ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "assets",
        sa.Column("asset_id", sa.String(64), primary_key=True),
        sa.Column("parent_id", sa.String(64), _asset_fk("SET NULL"), index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("summary", sa.Text),
        sa.Column("description", sa.Text),
        sa.Column("recorded_on", sa.Date, index=True),
        sa.Column("duration_seconds", sa.Integer),
        sa.Column("preview_language", sa.String(32)),
        sa.Column("available_languages", sa.JSON, nullable=False),
        sa.Column("meeting_body", sa.String(200)),
        sa.Column("meeting_number", sa.Integer),
        sa.Column("record_symbol", sa.String(64)),
        sa.Column("began", sa.String(5)),
        sa.Column("ended", sa.String(5)),
        sa.Column("source", sa.Text),
        sa.Column("access", sa.String(40), nullable=False),
        sa.Column("translations", sa.JSON, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated", sa.DateTime(timezone=True), nullable=False, index=True),
    )
    op.create_index("ix_assets_meeting", "assets", ["meeting_body", "meeting_number"])
    op.create_table(
        "speakers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(64), _asset_fk(), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("name", sa.String(300)),
        sa.Column("role", sa.String(300)),
        sa.Column("affiliation", sa.String(300)),
        sa.Column("affiliation_id", sa.String(64), index=True),
        sa.Column("language", sa.String(16)),
        sa.Column("start", sa.Float),
        sa.Column("end", sa.Float),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_table(
        "subjects",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(64), _asset_fk(), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("subject_id", sa.String(200), nullable=False, index=True),
        sa.Column("label", sa.String(500), nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
    )
    op.create_table(
        "formats",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(64), _asset_fk(), nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("rendition", sa.String(64), nullable=False),
        sa.Column("language", sa.String(16)),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger),
        sa.Column("sha256", sa.String(64)),
        sa.Column("url", sa.Text),
    )
    op.create_table(
        "segments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(64), _asset_fk(), nullable=False, index=True),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("start", sa.Float, nullable=False),
        sa.Column("end", sa.Float, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("speaker", sa.String(300)),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("asset_id", sa.String(64), nullable=False, index=True),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "asset_id_sequence",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    )


def downgrade() -> None:
    for name in ("asset_id_sequence", "outbox", "segments", "formats", "subjects", "speakers"):
        op.drop_table(name)
    op.drop_index("ix_assets_meeting", table_name="assets")
    op.drop_table("assets")
