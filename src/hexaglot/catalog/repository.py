"""The catalogue's repository API: the only way the rest of Hexaglot reads and writes records.

Reads take the viewer's `Audience` and see only what it may see: the visibility test is in
the SQL itself, so an asset a viewer may not see costs the same to ask for as one that does
not exist. Writes happen in a `transaction()`: everything one use case changes (an asset,
its master, its formats and their files, its job) commits together or not at all, with an
outbox row for every asset whose index document changed. Saving an asset recomputes its
effective visibility from its own access and its parent's, and brings its descendants'
in step in the same transaction (a clip is never more visible than its meeting).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, sessionmaker

from hexaglot.catalog import harvest, history
from hexaglot.catalog.mapping import (
    file_of,
    fill_row,
    format_rows,
    master_of,
    row_to_asset,
    segment_of,
    visibility_of,
)
from hexaglot.catalog.tables import (
    AssetIdRow,
    AssetRow,
    MasterRow,
    OutboxRow,
    RenditionFileRow,
    SegmentRow,
    SpeakerRow,
    SubjectRow,
    UserRow,
)
from hexaglot.domain import (
    Asset,
    Audience,
    Format,
    Master,
    RenditionFile,
    Segment,
    Visibility,
    own_visibility,
)
from hexaglot.errors import BadInput, Conflict, NotFound

#: New asset ids are this offset plus a database sequence (so they are 7 digits or more).
ASSET_ID_OFFSET = 1_000_000
#: How deep a parent chain may go (meeting → clip is 2; anything near this is a mistake).
MAX_DEPTH = 32


class UnknownAsset(NotFound):
    """No asset with this id (or none the caller may see)."""

    def __init__(self, asset_id: str) -> None:
        super().__init__(f"no asset with id {asset_id!r}")
        self.asset_id = asset_id


class UnknownParent(BadInput):
    """A record names a parent asset the catalogue does not hold."""


class ParentCycle(Conflict):
    """A parent chain that would loop back to the asset itself (or go too deep)."""


@dataclass(frozen=True)
class OutboxEntry:
    """One change the search index has not seen yet."""

    id: int
    asset_id: str


def _now() -> datetime:
    return datetime.now(UTC)


def visible_clause(viewer: Audience, today: date | None = None) -> sa.ColumnElement[bool]:
    """SQL for "`viewer` may see this asset today" (the rule of `Visibility.allows`)."""
    if viewer >= Audience.STAFF:
        return sa.true()
    day = today or datetime.now(UTC).date()
    return sa.and_(AssetRow.audience <= int(viewer),
                   sa.or_(AssetRow.visible_from.is_(None), AssetRow.visible_from <= day))


def _meeting_stmt(body: str, number: int) -> sa.Select[AssetRow]:
    return (sa.select(AssetRow)
            .where(sa.func.lower(AssetRow.meeting_body) == body.lower(),
                   AssetRow.meeting_number == number, AssetRow.parent_id.is_(None))
            .order_by(AssetRow.asset_id).limit(1))


def _title_stmt(title: str, recorded_on: date | None) -> sa.Select[AssetRow]:
    stmt = sa.select(AssetRow).where(AssetRow.title == title, AssetRow.parent_id.is_(None))
    if recorded_on is not None:
        stmt = stmt.where(AssetRow.recorded_on == recorded_on)
    return stmt.order_by(AssetRow.asset_id).limit(1)


def _child_ids(s: Session, asset_id: str, viewer: Audience) -> list[str]:
    stmt = (sa.select(AssetRow.asset_id)
            .where(AssetRow.parent_id == asset_id, visible_clause(viewer))
            .order_by(AssetRow.asset_id))
    return list(s.scalars(stmt))


def _asset(s: Session, row: AssetRow | None) -> Asset | None:
    return row_to_asset(row, _child_ids(s, row.asset_id, Audience.STAFF)) if row else None


def _new_asset_id(s: Session) -> str:
    """The next id of the sequence that no asset holds yet (a page or a bag may have
    brought its own numeric id)."""
    while True:
        row = AssetIdRow()
        s.add(row)
        s.flush()
        candidate = str(ASSET_ID_OFFSET + row.id)
        if s.get(AssetRow, candidate) is None:
            return candidate


#: Fields of a record its history does not follow: set by the catalogue itself
#: (formats by the derive job, clips by their own saves, times, the computed duration).
_UNTRACKED = {"formats", "children", "created", "updated", "duration"}


def tracked(asset: Asset | None) -> dict[str, object]:
    """The fields of a record its history follows, as JSON values."""
    if asset is None:
        return {}
    return {k: v for k, v in asset.model_dump(mode="json").items() if k not in _UNTRACKED}


def drafts_hidden(s: Session) -> bool:
    """Whether drafts are staff only: as soon as the archive has an account that can sign
    in (with none, an embedded single-user archive, everyone sees them)."""
    stmt = sa.select(UserRow.id).where(UserRow.disabled.is_(False)).limit(1)
    return s.scalar(stmt) is not None


class Writer:
    """The writes of one transaction (see `Catalog.transaction`). Its reads see the
    transaction's own writes. Every change of a record is entered in the history as the
    transaction's `actor` did it, under its `action` (or `create`/`update`)."""

    def __init__(self, session: Session, actor: str | None = None,
                 action: str | None = None) -> None:
        self.session = session
        self.changed: set[str] = set()
        self.actor = actor or history.current_actor()
        self.action = action
        self._drafts_hidden: bool | None = None

    @property
    def drafts_hidden(self) -> bool:
        """See `drafts_hidden` (asked once per transaction)."""
        if self._drafts_hidden is None:
            self._drafts_hidden = drafts_hidden(self.session)
        return self._drafts_hidden

    def record(self, subject: str, subject_id: str, changes: dict[str, list[object]],
               action: str | None = None) -> None:
        """Enter a change in the history (nothing when `changes` is empty)."""
        if changes:
            history.record(self.session, self.actor, subject, subject_id,
                           action or self.action or "update", changes)

    def _own(self, access: str, status: str) -> Visibility:
        return own_visibility(access, status, self.drafts_hidden)

    def recompute_visibility(self) -> int:
        """Recompute every asset's effective visibility (after the rule itself changed:
        the first account made, the last one disabled); returns how many changed."""
        self._drafts_hidden = None
        before = len(self.changed)
        roots = self.session.scalars(sa.select(AssetRow).where(AssetRow.parent_id.is_(None)))
        for row in roots:
            vis = self._own(row.access, row.status)
            if (row.audience, row.visible_from) != (int(vis.audience), vis.visible_from):
                row.audience, row.visible_from = int(vis.audience), vis.visible_from
                self._touch(row.asset_id)
                self._harvested(row)
            self._cascade(row.asset_id, vis)
        return len(self.changed) - before

    def get(self, asset_id: str) -> Asset | None:
        """The record as this transaction sees it, or None."""
        return _asset(self.session, self.session.get(AssetRow, asset_id))

    def find_meeting(self, body: str, number: int) -> Asset | None:
        """See `Catalog.find_meeting`."""
        return _asset(self.session, self.session.scalars(_meeting_stmt(body, number)).first())

    def find_by_title(self, title: str, recorded_on: date | None = None) -> Asset | None:
        """See `Catalog.find_by_title`."""
        return _asset(self.session,
                      self.session.scalars(_title_stmt(title, recorded_on)).first())

    def new_asset_id(self) -> str:
        """A fresh asset id, handed out inside this transaction."""
        return _new_asset_id(self.session)

    def _touch(self, asset_id: str) -> None:
        self.changed.add(asset_id)
        self.session.add(OutboxRow(asset_id=asset_id, created=_now()))

    def _harvested(self, row: AssetRow) -> None:
        """Keep the asset's OAI-PMH item in step with its public record and visibility."""
        harvest.track(self.session, row, _now())

    def _row(self, asset_id: str) -> AssetRow:
        row = self.session.get(AssetRow, asset_id)
        if row is None:
            raise UnknownAsset(asset_id)
        return row

    def _parent_visibility(self, asset_id: str, parent_id: str | None) -> Visibility | None:
        if parent_id is None:
            return None
        parent = self.session.get(AssetRow, parent_id)
        if parent is None:
            raise UnknownParent(f"asset {asset_id}: parent asset {parent_id} is not in the "
                                "catalogue")
        seen: set[str] = {asset_id}
        up: AssetRow | None = parent
        while up is not None:
            if up.asset_id in seen or len(seen) > MAX_DEPTH:
                raise ParentCycle(f"asset {asset_id}: parent {parent_id} would make a loop "
                                  "of parents")
            seen.add(up.asset_id)
            up = self.session.get(AssetRow, up.parent_id) if up.parent_id else None
        return visibility_of(parent)

    def save(self, asset: Asset) -> None:
        """Insert or replace the whole record (its effective visibility recomputed, its
        descendants' brought in step)."""
        now = _now()
        hidden = self.drafts_hidden  # asked before the new row can be flushed half-filled
        inherited = self._parent_visibility(asset.asset_id, asset.parent_id)
        found = self.session.get(AssetRow, asset.asset_id)
        row = found if found is not None else AssetRow(asset_id=asset.asset_id,
                                                       created=asset.created or now)
        if found is None:
            self.session.add(row)
        old_parent = row.parent_id
        before = tracked(_asset(self.session, found)) if found is not None else {}
        fill_row(row, asset)
        self.record("asset", asset.asset_id, history.diff(before, tracked(asset)),
                    None if found is not None else (self.action or "create"))
        vis = own_visibility(asset.access, asset.status, hidden).within(inherited)
        row.audience, row.visible_from = int(vis.audience), vis.visible_from
        row.updated = now
        self.session.flush()
        self._touch(asset.asset_id)
        self._harvested(row)
        for parent in {asset.parent_id, old_parent}:
            if parent is not None:
                self._touch(parent)  # its list of clips changed
        self._cascade(asset.asset_id, vis)

    def _cascade(self, asset_id: str, vis: Visibility, depth: int = 0) -> None:
        """Recompute the effective visibility of every descendant of `asset_id`."""
        if depth > MAX_DEPTH:
            return
        kids = self.session.scalars(sa.select(AssetRow).where(AssetRow.parent_id == asset_id))
        for kid in kids:
            own = self._own(kid.access, kid.status).within(vis)
            if (kid.audience, kid.visible_from) != (int(own.audience), own.visible_from):
                kid.audience, kid.visible_from = int(own.audience), own.visible_from
                self._touch(kid.asset_id)
                self._harvested(kid)
            self._cascade(kid.asset_id, own, depth + 1)

    def delete(self, asset_id: str) -> bool:
        """Delete an asset (its clips keep existing, without a parent). True if it existed."""
        row = self.session.get(AssetRow, asset_id)
        if row is None:
            return False
        kids = list(self.session.scalars(
            sa.select(AssetRow).where(AssetRow.parent_id == asset_id)))
        self.record("asset", asset_id, {"asset_id": [asset_id, None]}, "delete")
        self.session.delete(row)
        self._touch(asset_id)
        harvest.track_gone(self.session, asset_id, _now())
        for kid in kids:
            kid.parent_id = None
            own = self._own(kid.access, kid.status)
            kid.audience, kid.visible_from = int(own.audience), own.visible_from
            self._touch(kid.asset_id)
            self._harvested(kid)
        return True

    def save_master(self, m: Master) -> None:
        """Record (or replace) an asset's master."""
        self._row(m.asset_id)
        old = self.session.get(MasterRow, m.asset_id)
        self.record("asset", m.asset_id, history.diff(
            {"master": old.sha256} if old is not None else {}, {"master": m.sha256}),
            self.action or "ingest")
        self.session.merge(MasterRow(**m.model_dump(), created=_now()))

    def replace_formats(self, asset_id: str, renditions: Iterable[str], formats: list[Format],
                        files: list[RenditionFile] | None = None) -> None:
        """Drop the formats (and their files) whose rendition is in `renditions`, then add
        `formats` and `files`."""
        names = set(renditions)
        row = self._row(asset_id)
        kept = [f for f in row.formats if f.rendition not in names]
        for i, f in enumerate(kept):
            f.position = i
        row.formats = kept + format_rows(formats, start=len(kept))
        self.session.execute(sa.delete(RenditionFileRow).where(
            RenditionFileRow.asset_id == asset_id, RenditionFileRow.rendition.in_(names)))
        self.session.add_all(RenditionFileRow(asset_id=asset_id, **f.model_dump())
                             for f in files or [])
        row.updated = _now()
        self._touch(asset_id)
        self._harvested(row)

    def rendition_files(self, asset_id: str, rendition: str) -> list[RenditionFile]:
        """The registered files of one rendition of the asset, as this transaction sees
        them (path order)."""
        stmt = (sa.select(RenditionFileRow).where(RenditionFileRow.asset_id == asset_id,
                                                  RenditionFileRow.rendition == rendition)
                .order_by(RenditionFileRow.path))
        return [file_of(r) for r in self.session.scalars(stmt)]

    def replace_file(self, asset_id: str, path: str, sha256: str, size: int) -> None:
        """Register other bytes under a rendition file's path (a rewritten playlist); its
        format follows when the file is the format's main one."""
        row = self.session.scalars(sa.select(RenditionFileRow).where(
            RenditionFileRow.asset_id == asset_id, RenditionFileRow.path == path)).first()
        if row is None:
            raise NotFound(f"asset {asset_id} has no rendition file {path}")
        for f in self._row(asset_id).formats:
            if f.rendition == row.rendition and f.sha256 == row.sha256:
                f.sha256, f.size = sha256, (f.size or 0) + size - row.size
        row.sha256, row.size = sha256, size
        self._touch(asset_id)

    def lock(self, asset_id: str) -> None:
        """Hold the asset for the rest of the transaction: other writers of it wait, so
        what this transaction reads of it stays current until it commits."""
        done = self.session.execute(sa.update(AssetRow).where(AssetRow.asset_id == asset_id)
                                    .values(updated=_now()))
        if not done.rowcount:  # type: ignore[attr-defined]
            raise UnknownAsset(asset_id)

    def replace_segments(self, asset_id: str, language: str, origin: str,
                         segments: list[Segment]) -> int:
        """Make `segments` the asset's transcript of `origin` in `language` (none: that
        transcript is dropped); other languages and origins are untouched."""
        self._row(asset_id)
        if any(s.language != language or s.origin != origin for s in segments):
            raise BadInput(f"segments of another language or origin than {language} "
                           f"{origin}")
        self.session.execute(sa.delete(SegmentRow).where(
            SegmentRow.asset_id == asset_id, SegmentRow.language == language,
            SegmentRow.origin == origin))
        return self.add_segments(asset_id, segments, replace=False)

    def add_segments(self, asset_id: str, segments: list[Segment], replace: bool = True) -> int:
        """Store transcript segments; by default they replace the asset's segments of the
        same languages and origin. Returns how many were stored."""
        self._row(asset_id)
        if replace:
            for origin in {seg.origin for seg in segments}:
                langs = {seg.language for seg in segments if seg.origin == origin}
                self.session.execute(sa.delete(SegmentRow).where(
                    SegmentRow.asset_id == asset_id, SegmentRow.language.in_(langs),
                    SegmentRow.origin == origin))
        self.session.add_all(
            SegmentRow(**seg.model_dump() | {"asset_id": asset_id}) for seg in segments)
        self._touch(asset_id)
        return len(segments)

    def segments(self, asset_id: str) -> list[Segment]:
        """The asset's transcript segments as this transaction sees them, in time order."""
        self.session.flush()
        rows = self.session.scalars(sa.select(SegmentRow).where(SegmentRow.asset_id == asset_id)
                                    .order_by(SegmentRow.start, SegmentRow.id)).all()
        return [segment_of(r) for r in rows]


class Catalog:
    """Read and write catalogue records (see the module docstring)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        """A new ORM session (use as a context manager)."""
        return self._sessions()

    @contextmanager
    def transaction(self, actor: str | None = None,
                    action: str | None = None) -> Iterator[Writer]:
        """One transaction of writes: committed when the block ends, rolled back (nothing
        stored) when it raises. Its changes are entered in the history as done by `actor`
        (default: the current context's, `history.acting_as`) under `action`."""
        with self.session() as s, s.begin():
            yield Writer(s, actor, action)

    # -- reading -----------------------------------------------------------------------

    def get(self, asset_id: str, viewer: Audience = Audience.STAFF) -> Asset | None:
        """The asset with this id when `viewer` may see it, else None."""
        with self.session() as s:
            stmt = sa.select(AssetRow).where(AssetRow.asset_id == asset_id,
                                             visible_clause(viewer))
            row = s.scalars(stmt).first()
            if row is None:
                return None
            return row_to_asset(row, _child_ids(s, asset_id, viewer))

    def require(self, asset_id: str, viewer: Audience = Audience.STAFF) -> Asset:
        """`get`, raising `UnknownAsset` instead of answering None."""
        asset = self.get(asset_id, viewer)
        if asset is None:
            raise UnknownAsset(asset_id)
        return asset

    def children(self, asset_id: str, viewer: Audience = Audience.STAFF) -> builtins.list[Asset]:
        """The child assets (statement clips) `viewer` may see, in id order."""
        with self.session() as s:
            stmt = (sa.select(AssetRow)
                    .where(AssetRow.parent_id == asset_id, visible_clause(viewer))
                    .order_by(AssetRow.asset_id))
            return [row_to_asset(r) for r in s.scalars(stmt)]

    def list(self, limit: int = 50, offset: int = 0,
             viewer: Audience = Audience.STAFF) -> builtins.list[Asset]:
        """Assets `viewer` may see, most recently updated first."""
        with self.session() as s:
            stmt = (sa.select(AssetRow).where(visible_clause(viewer))
                    .order_by(AssetRow.updated.desc(), AssetRow.asset_id))
            rows = s.scalars(stmt.limit(limit).offset(offset)).all()
            return [row_to_asset(r) for r in rows]

    def count(self, viewer: Audience = Audience.STAFF) -> int:
        """How many assets `viewer` may see."""
        with self.session() as s:
            stmt = sa.select(sa.func.count()).select_from(AssetRow).where(visible_clause(viewer))
            return int(s.scalar(stmt) or 0)

    def iter_assets(self, batch: int = 500) -> Iterator[Asset]:
        """Every asset, in id order, read in batches."""
        last = ""
        while True:
            with self.session() as s:
                stmt = (sa.select(AssetRow).where(AssetRow.asset_id > last)
                        .order_by(AssetRow.asset_id).limit(batch))
                assets = [row_to_asset(r) for r in s.scalars(stmt).all()]
            if not assets:
                return
            yield from assets
            last = assets[-1].asset_id

    def find_meeting(self, body: str, number: int) -> Asset | None:
        """The top-level asset recording meeting `number` of `body`, if catalogued."""
        with self.session() as s:
            return _asset(s, s.scalars(_meeting_stmt(body, number)).first())

    def find_by_title(self, title: str, recorded_on: date | None = None) -> Asset | None:
        """The top-level asset with exactly this title (and date, when given)."""
        with self.session() as s:
            return _asset(s, s.scalars(_title_stmt(title, recorded_on)).first())

    def segments(self, asset_id: str, language: str | None = None) -> builtins.list[Segment]:
        """The asset's transcript segments in time order (one language or all)."""
        with self.session() as s:
            stmt = sa.select(SegmentRow).where(SegmentRow.asset_id == asset_id)
            if language:
                stmt = stmt.where(SegmentRow.language == language)
            rows = s.scalars(stmt.order_by(SegmentRow.start, SegmentRow.id)).all()
            return [segment_of(r) for r in rows]

    def heading_label(self, heading_id: str) -> str | None:
        """The label stored with a subject heading or a speaker's affiliation id (for
        local headings, which no vocabulary names)."""
        with self.session() as s:
            label = s.scalar(sa.select(SubjectRow.label)
                             .where(SubjectRow.subject_id == heading_id).limit(1))
            if label is None:
                label = s.scalar(sa.select(SpeakerRow.affiliation)
                                 .where(SpeakerRow.affiliation_id == heading_id).limit(1))
            return label

    def master(self, asset_id: str) -> Master | None:
        """An asset's master, or None."""
        with self.session() as s:
            row = s.get(MasterRow, asset_id)
            return master_of(row) if row else None

    def rendition_file(self, asset_id: str, path: str) -> RenditionFile | None:
        """The registered rendition file served as `/media/<asset_id>/<path>`, or None."""
        with self.session() as s:
            row = s.scalars(sa.select(RenditionFileRow).where(
                RenditionFileRow.asset_id == asset_id, RenditionFileRow.path == path)).first()
            return file_of(row) if row else None

    def rendition_files(self, asset_id: str) -> builtins.list[RenditionFile]:
        """Every registered rendition file of an asset."""
        with self.session() as s:
            rows = s.scalars(sa.select(RenditionFileRow)
                             .where(RenditionFileRow.asset_id == asset_id)
                             .order_by(RenditionFileRow.path)).all()
            return [file_of(r) for r in rows]

    # -- writing (each in a transaction of its own) ---------------------------------------

    def new_asset_id(self) -> str:
        """Hand out a fresh asset id (never reused, safe across processes)."""
        with self.session() as s, s.begin():
            return _new_asset_id(s)

    def save(self, asset: Asset) -> Asset:
        """Insert or replace one record; returns it as stored (with created/updated)."""
        with self.transaction() as tx:
            tx.save(asset)
        return self.require(asset.asset_id)

    def delete(self, asset_id: str) -> bool:
        """Delete an asset (its clips keep existing, without a parent). True if it existed."""
        with self.transaction() as tx:
            return tx.delete(asset_id)

    def save_master(self, m: Master) -> None:
        """Record (or replace) an asset's master."""
        with self.transaction() as tx:
            tx.save_master(m)

    def replace_formats(self, asset_id: str, renditions: Iterable[str], formats: builtins.list[Format],
                        files: builtins.list[RenditionFile] | None = None) -> None:
        """See `Writer.replace_formats`."""
        with self.transaction() as tx:
            tx.replace_formats(asset_id, renditions, formats, files)

    def add_segments(self, asset_id: str, segments: builtins.list[Segment], replace: bool = True) -> int:
        """See `Writer.add_segments`."""
        with self.transaction() as tx:
            return tx.add_segments(asset_id, segments, replace)

    # -- outbox ------------------------------------------------------------------------

    def outbox_pending(self, limit: int = 1000) -> builtins.list[OutboxEntry]:
        """Changes not yet acknowledged by the search index, oldest first."""
        with self.session() as s:
            stmt = sa.select(OutboxRow).order_by(OutboxRow.id).limit(limit)
            return [OutboxEntry(r.id, r.asset_id) for r in s.scalars(stmt)]

    def outbox_ack(self, ids: builtins.list[int]) -> None:
        """Forget changes the search index has applied."""
        if not ids:
            return
        with self.session() as s, s.begin():
            s.execute(sa.delete(OutboxRow).where(OutboxRow.id.in_(ids)))

    def outbox_everything(self) -> int:
        """Queue every asset for the index (after the index was made anew)."""
        with self.session() as s, s.begin():
            ids = list(s.scalars(sa.select(AssetRow.asset_id)))
            now = _now()
            s.add_all(OutboxRow(asset_id=i, created=now) for i in ids)
            return len(ids)
