"""Each asset's master recording: which blob, which audio stream carries which language,
and (for a statement clip) which span of its parent's master."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

#: Migration 0002's `media_masters` table, as SQLAlchemy Core.
media_masters = sa.Table(
    "media_masters", sa.MetaData(),
    sa.Column("asset_id", sa.String(64), primary_key=True),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("tracks", sa.JSON, nullable=False),
    sa.Column("height", sa.Integer, nullable=False),
    sa.Column("duration", sa.Float, nullable=False),
    sa.Column("start", sa.Float, nullable=False, default=0.0),
    sa.Column("end", sa.Float),
    sa.Column("created", sa.DateTime(timezone=True), nullable=False),
)


@dataclass(frozen=True)
class Master:
    """Where an asset's renditions come from."""

    asset_id: str
    sha256: str
    tracks: dict[str, int]  # language -> audio stream number (from 1)
    height: int
    duration: float  # of the whole master file
    start: float = 0.0
    end: float | None = None


def save_master(engine: sa.Engine, m: Master) -> None:
    """Record (or replace) an asset's master."""
    row = {"asset_id": m.asset_id, "sha256": m.sha256, "tracks": m.tracks, "height": m.height,
           "duration": m.duration, "start": m.start, "end": m.end, "created": datetime.now(UTC)}
    with engine.begin() as conn:
        conn.execute(media_masters.delete().where(media_masters.c.asset_id == m.asset_id))
        conn.execute(media_masters.insert().values(**row))


def get_master(engine: sa.Engine, asset_id: str) -> Master | None:
    """An asset's master, or None."""
    with engine.connect() as conn:
        r = conn.execute(
            media_masters.select().where(media_masters.c.asset_id == asset_id)
        ).mappings().first()
    if r is None:
        return None
    return Master(r["asset_id"], r["sha256"], dict(r["tracks"]), r["height"], r["duration"],
                  r["start"], r["end"])
