"""The catalogue's repository API: the only way the rest of Hexaglot reads and writes records."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from hexaglot.catalog.mapping import fill_row, format_rows, row_to_asset
from hexaglot.catalog.tables import AssetIdRow, AssetRow, OutboxRow, SegmentRow
from hexaglot.domain import Asset, Format, Segment

#: New asset ids are this offset plus a database sequence (so they are 7 digits or more).
ASSET_ID_OFFSET = 1_000_000


@dataclass(frozen=True)
class OutboxEntry:
    """One change the search index has not seen yet."""

    id: int
    asset_id: str


def _now() -> datetime:
    return datetime.now(UTC)


EMBARGO_PREFIX = "embargoed until "


def public_clause() -> sa.ColumnElement[bool]:
    """SQL for "an anonymous user may see this asset today" (same rule as Asset.is_public)."""
    today = datetime.now(UTC).date().isoformat()
    lifted = sa.and_(
        AssetRow.access.startswith(EMBARGO_PREFIX),
        sa.func.substr(AssetRow.access, len(EMBARGO_PREFIX) + 1) <= today,
    )
    return sa.or_(AssetRow.access == "public", lifted)


class Catalog:
    """Read and write catalogue records; every change also writes an outbox row."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        """A new ORM session (use as a context manager)."""
        return self._sessions()

    # -- reading -----------------------------------------------------------------------

    def get(self, asset_id: str) -> Asset | None:
        """The asset with this id, or None."""
        with self.session() as s:
            row = s.get(AssetRow, asset_id)
            if row is None:
                return None
            return row_to_asset(row, self._child_ids(s, asset_id))

    def _child_ids(self, s: Session, asset_id: str) -> list[str]:
        stmt = (
            sa.select(AssetRow.asset_id)
            .where(AssetRow.parent_id == asset_id)
            .order_by(AssetRow.asset_id)
        )
        return list(s.scalars(stmt))

    def children(self, asset_id: str) -> list[Asset]:
        """The child assets (statement clips) of an asset, in id order."""
        with self.session() as s:
            stmt = (
                sa.select(AssetRow).where(AssetRow.parent_id == asset_id).order_by(AssetRow.asset_id)
            )
            return [row_to_asset(r) for r in s.scalars(stmt)]

    def list(self, limit: int = 50, offset: int = 0, public_only: bool = False) -> list[Asset]:
        """Assets, most recently updated first."""
        with self.session() as s:
            stmt = sa.select(AssetRow).order_by(AssetRow.updated.desc(), AssetRow.asset_id)
            if public_only:
                stmt = stmt.where(public_clause())
            rows = s.scalars(stmt.limit(limit).offset(offset)).all()
            return [row_to_asset(r) for r in rows]

    def count(self, public_only: bool = False) -> int:
        """How many assets the catalogue holds."""
        with self.session() as s:
            stmt = sa.select(sa.func.count()).select_from(AssetRow)
            if public_only:
                stmt = stmt.where(public_clause())
            return int(s.scalar(stmt) or 0)

    def iter_assets(self, batch: int = 500) -> Iterator[Asset]:
        """Every asset, in id order, read in batches."""
        last = ""
        while True:
            with self.session() as s:
                stmt = (
                    sa.select(AssetRow)
                    .where(AssetRow.asset_id > last)
                    .order_by(AssetRow.asset_id)
                    .limit(batch)
                )
                rows = s.scalars(stmt).all()
                assets = [row_to_asset(r) for r in rows]
            if not assets:
                return
            yield from assets
            last = assets[-1].asset_id

    def find_meeting(self, body: str, number: int) -> Asset | None:
        """The top-level asset recording meeting `number` of `body`, if catalogued."""
        with self.session() as s:
            stmt = (
                sa.select(AssetRow)
                .where(
                    sa.func.lower(AssetRow.meeting_body) == body.lower(),
                    AssetRow.meeting_number == number,
                    AssetRow.parent_id.is_(None),
                )
                .order_by(AssetRow.asset_id)
                .limit(1)
            )
            row = s.scalars(stmt).first()
            return row_to_asset(row, self._child_ids(s, row.asset_id)) if row else None

    def find_by_title(self, title: str, recorded_on: object = None) -> Asset | None:
        """The top-level asset with exactly this title (and date, when given)."""
        with self.session() as s:
            stmt = sa.select(AssetRow).where(
                AssetRow.title == title, AssetRow.parent_id.is_(None)
            )
            if recorded_on is not None:
                stmt = stmt.where(AssetRow.recorded_on == recorded_on)
            row = s.scalars(stmt.order_by(AssetRow.asset_id).limit(1)).first()
            return row_to_asset(row) if row else None

    # -- writing -----------------------------------------------------------------------

    def new_asset_id(self) -> str:
        """Hand out a fresh asset id (never reused, safe across processes)."""
        with self.session() as s, s.begin():
            row = AssetIdRow()
            s.add(row)
            s.flush()
            return str(ASSET_ID_OFFSET + row.id)

    def save(self, asset: Asset) -> Asset:
        """Insert or replace the whole record; returns it as stored (with created/updated)."""
        now = _now()
        with self.session() as s, s.begin():
            if asset.parent_id is not None and s.get(AssetRow, asset.parent_id) is None:
                raise KeyError(f"parent asset {asset.parent_id} does not exist")
            row = s.get(AssetRow, asset.asset_id)
            if row is None:
                row = AssetRow(asset_id=asset.asset_id, created=asset.created or now)
                s.add(row)
            fill_row(row, asset)
            row.updated = now
            s.add(OutboxRow(asset_id=asset.asset_id, created=now))
            if asset.parent_id:
                s.add(OutboxRow(asset_id=asset.parent_id, created=now))
        stored = self.get(asset.asset_id)
        assert stored is not None
        return stored

    def delete(self, asset_id: str) -> bool:
        """Delete an asset (its clips keep existing, without a parent). True if it existed."""
        with self.session() as s, s.begin():
            row = s.get(AssetRow, asset_id)
            if row is None:
                return False
            s.delete(row)
            s.add(OutboxRow(asset_id=asset_id, created=_now()))
            return True

    def replace_formats(self, asset_id: str, renditions: set[str], formats: list[Format]) -> None:
        """Atomically drop the formats whose rendition is in `renditions` and add `formats`."""
        with self.session() as s, s.begin():
            row = s.get(AssetRow, asset_id)
            if row is None:
                raise KeyError(f"asset {asset_id} does not exist")
            kept = [f for f in row.formats if f.rendition not in renditions]
            for i, f in enumerate(kept):
                f.position = i
            row.formats = kept + format_rows(formats, start=len(kept))
            row.updated = _now()
            s.add(OutboxRow(asset_id=asset_id, created=row.updated))

    def add_segments(self, asset_id: str, segments: list[Segment], replace: bool = True) -> int:
        """Store transcript segments; by default they replace the asset's segments in the
        same languages. Returns how many were stored."""
        with self.session() as s, s.begin():
            if s.get(AssetRow, asset_id) is None:
                raise KeyError(f"asset {asset_id} does not exist")
            if replace:
                langs = {seg.language for seg in segments}
                s.execute(
                    sa.delete(SegmentRow).where(
                        SegmentRow.asset_id == asset_id, SegmentRow.language.in_(langs)
                    )
                )
            s.add_all(
                SegmentRow(**seg.model_dump() | {"asset_id": asset_id}) for seg in segments
            )
            s.add(OutboxRow(asset_id=asset_id, created=_now()))
        return len(segments)

    def segments(self, asset_id: str, language: str | None = None) -> list[Segment]:
        """The asset's transcript segments in time order (one language or all)."""
        with self.session() as s:
            stmt = sa.select(SegmentRow).where(SegmentRow.asset_id == asset_id)
            if language:
                stmt = stmt.where(SegmentRow.language == language)
            rows = s.scalars(stmt.order_by(SegmentRow.start, SegmentRow.id)).all()
            return [
                Segment(asset_id=r.asset_id, language=r.language, start=r.start, end=r.end,
                        text=r.text, speaker=r.speaker)
                for r in rows
            ]

    # -- outbox ------------------------------------------------------------------------

    def outbox_pending(self, limit: int = 1000) -> list[OutboxEntry]:
        """Changes not yet acknowledged by the search index, oldest first."""
        with self.session() as s:
            stmt = sa.select(OutboxRow).order_by(OutboxRow.id).limit(limit)
            return [OutboxEntry(r.id, r.asset_id) for r in s.scalars(stmt)]

    def outbox_ack(self, ids: list[int]) -> None:
        """Forget changes the search index has applied."""
        if not ids:
            return
        with self.session() as s, s.begin():
            s.execute(sa.delete(OutboxRow).where(OutboxRow.id.in_(ids)))
