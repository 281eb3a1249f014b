"""The preservation log: every asset's PREMIS-style events (`domain.events`), append only.

Use cases append the events of what they did in the same transaction as the change
itself (`append(..., session=tx.session)`): an ingest with its master, a derivation with
its renditions, a repair with the files it replaced, an export or import with its bag,
each fixity check with its findings. Nothing updates or deletes an event (the database
refuses it too, see migration 0007); the log of an asset outlives the asset.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hexaglot.catalog.tables import PreservationEventRow
from hexaglot.domain.events import PreservationEvent

#: Most events a listing gives at once.
MAX_EVENTS = 1000


def _event(row: PreservationEventRow) -> PreservationEvent:
    date = row.date if row.date.tzinfo else row.date.replace(tzinfo=UTC)
    return PreservationEvent(asset_id=row.asset_id, event_type=row.event_type,  # type: ignore[arg-type]
                             date=date, agent=row.agent, outcome=row.outcome,  # type: ignore[arg-type]
                             detail=row.detail, sha256=row.sha256)


class PreservationLog:
    """Append and read events on the catalogue's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def append(self, events: Iterable[PreservationEvent], session: Session | None = None) -> int:
        """Add events to the log; with `session`, inside its transaction. Returns how many."""
        rows = [PreservationEventRow(**e.model_dump()) for e in events]
        if session is not None:
            session.add_all(rows)
            return len(rows)
        with Session(self.engine) as s, s.begin():
            s.add_all(rows)
        return len(rows)

    def events(self, asset_id: str, limit: int | None = MAX_EVENTS) -> list[PreservationEvent]:
        """An asset's events, oldest first: the newest `limit`, or (None) all of them."""
        stmt = (sa.select(PreservationEventRow)
                .where(PreservationEventRow.asset_id == asset_id)
                .order_by(PreservationEventRow.id.desc()))
        if limit is not None:
            stmt = stmt.limit(limit)
        with Session(self.engine) as s:
            return [_event(r) for r in reversed(s.scalars(stmt).all())]

    def count(self, asset_id: str) -> int:
        """How many events the log holds for an asset."""
        stmt = sa.select(sa.func.count()).select_from(PreservationEventRow).where(
            PreservationEventRow.asset_id == asset_id)
        with Session(self.engine) as s:
            return int(s.scalar(stmt) or 0)
