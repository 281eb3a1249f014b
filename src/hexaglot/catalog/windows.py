"""Transcription checkpoints in the catalogue: the finished windows of each channel's
transcription, one row per window (`transcript_windows`).

A row is committed the moment its window finishes (`record`), so a worker killed at any
moment, even by `kill -9`, loses at most the window it was working on; the next run reads
`finished` and goes on after the last one. Windows belong to a plan (the master, stream,
language, backend, model and window length, named by the speech code); a run only ever
resumes windows of its own plan. The window itself is opaque JSON here (the speech layer
reads and writes it). Recording a window number twice under one plan is a `Conflict`:
two runs of the same channel at once.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from hexaglot.catalog.tables import TranscriptWindowRow
from hexaglot.errors import Conflict

windows_table: sa.Table = TranscriptWindowRow.__table__  # type: ignore[assignment]


class TranscriptWindows:
    """Read and write the finished windows of channel transcriptions."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def finished(self, asset_id: str, plan: str) -> list[dict[str, Any]]:
        """The windows recorded under `plan` for the asset, in window order."""
        t = windows_table
        stmt = (sa.select(t.c.window).where(t.c.asset_id == asset_id, t.c.plan == plan)
                .order_by(t.c.number))
        with self.engine.connect() as conn:
            return [dict(w) for w in conn.execute(stmt).scalars()]

    def record(self, asset_id: str, track: str, plan: str, number: int,
               window: dict[str, Any]) -> None:
        """Keep one finished window (committed before this returns)."""
        row = {"asset_id": asset_id, "track": track, "plan": plan, "number": number,
               "window": window, "created": datetime.now(UTC)}
        try:
            with self.engine.begin() as conn:
                conn.execute(windows_table.insert().values(**row))
        except IntegrityError as exc:
            raise Conflict(f"asset {asset_id} track {track}: window {number} of this "
                           "transcription is already recorded (is another worker "
                           "transcribing the same channel?)") from exc

    def forget(self, asset_id: str, track: str, keep: str | None = None) -> int:
        """Drop the windows of a track's transcriptions, except those of plan `keep`
        (older plans: another model, a replaced master). Returns how many rows went."""
        t = windows_table
        stmt = sa.delete(t).where(t.c.asset_id == asset_id, t.c.track == track)
        if keep is not None:
            stmt = stmt.where(t.c.plan != keep)
        with self.engine.begin() as conn:
            return int(conn.execute(stmt).rowcount or 0)

    def numbers(self, asset_id: str, track: str) -> list[tuple[int, int]]:
        """(window number, row id) of every window of a track, in order (what a run kept)."""
        t = windows_table
        stmt = (sa.select(t.c.number, t.c.id).where(t.c.asset_id == asset_id,
                                                     t.c.track == track)
                .order_by(t.c.number, t.c.id))
        with self.engine.connect() as conn:
            return [(int(n), int(i)) for n, i in conn.execute(stmt).all()]
