"""Transcription checkpoints: every finished window of a channel's transcription, so a
worker killed mid-channel resumes after the last one (`transcript_windows`).

Revision ID: 0009
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "transcript_windows",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("asset_id", sa.String(64), sa.ForeignKey("assets.asset_id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("track", sa.String(16), nullable=False),
        sa.Column("plan", sa.String(400), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("window", sa.JSON, nullable=False),
        sa.Column("created", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("asset_id", "plan", "number", name="uq_transcript_windows_number"),
    )


def downgrade() -> None:
    op.drop_table("transcript_windows")
