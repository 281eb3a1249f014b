"""The fixity audit's state: every blob the catalogue names, when it was last re-read and
what was found, and the audit runs.

The blobs to audit are those the catalogue names: each master (`media_masters`; a
statement clip names its meeting's) and each registered rendition file, transcripts
included (`rendition_files`). A blob seen for the first time is recorded with
`first_seen` = now, so "when was it last known good" is its last check, else its first
sighting (it was hashed when it was written). Results are committed in batches together
with their events and the run's counters, so a run killed at any moment keeps every
result it reported, and its resumption skips them (a blob checked after the run started
is done for that run).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from hexaglot.catalog.preservation import PreservationLog
from hexaglot.catalog.tables import (
    AuditRunRow,
    BlobFixityRow,
    FormatRow,
    MasterRow,
    RenditionFileRow,
)
from hexaglot.domain.events import PreservationEvent

INTACT, DAMAGED, MISSING = "intact", "damaged", "missing"
#: What a failing blob's last check found.
FAILING = (DAMAGED, MISSING)
MASTER, RENDITION, TRANSCRIPT = "master", "rendition", "transcript"


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


@dataclass(frozen=True)
class BlobUse:
    """One place the catalogue names a blob: an asset's master, or one of its rendition
    files (`role` transcript for a transcript's WebVTT file)."""

    sha256: str
    asset_id: str
    role: str
    rendition: str | None = None
    language: str | None = None
    path: str | None = None

    @property
    def label(self) -> str:
        """`master`, or the rendition, its language and its file (`audio-mp3 fr a/fr.mp3`)."""
        if self.role == MASTER:
            return MASTER
        return " ".join(x for x in (self.rendition, self.language, self.path) if x)


@dataclass(frozen=True)
class BlobState:
    """A blob to audit: its size, when it was last known good, and the last finding."""

    sha256: str
    size: int | None
    first_seen: datetime
    checked: datetime | None
    outcome: str | None
    master: bool = False

    @property
    def known_good(self) -> datetime:
        """Its last check, else when the audit first saw it."""
        return self.checked or self.first_seen


@dataclass(frozen=True)
class Finding:
    """What one re-read found: `intact`, `damaged` (with the SHA-256 read) or `missing`."""

    sha256: str
    outcome: str
    size: int | None
    found: str | None
    checked: datetime


@dataclass(frozen=True)
class AuditRun:
    """One audit run and what it has done so far."""

    id: int
    scope: str
    started: datetime
    finished: datetime | None
    blobs: int
    bytes: int
    failures: int


def _run(r: AuditRunRow) -> AuditRun:
    return AuditRun(r.id, r.scope, _aware(r.started) or r.started, _aware(r.finished),
                    r.blobs, r.bytes, r.failures)


def _referenced(s: Session) -> tuple[dict[str, int | None], set[str]]:
    """Every blob the catalogue names, with its size when the catalogue knows it, and
    which of them are masters."""
    sizes: dict[str, int | None] = {}
    masters_seen: set[str] = set()
    files = sa.select(RenditionFileRow.sha256, sa.func.max(RenditionFileRow.size)).group_by(
        RenditionFileRow.sha256)
    sizes.update({sha: size for sha, size in s.execute(files).all()})
    masters = (sa.select(MasterRow.sha256, sa.func.max(FormatRow.size))
               .outerjoin(FormatRow, sa.and_(FormatRow.sha256 == MasterRow.sha256,
                                             FormatRow.rendition == MASTER))
               .group_by(MasterRow.sha256))
    for sha, size in s.execute(masters).all():
        sizes[sha] = sizes.get(sha) or size
        masters_seen.add(sha)
    return sizes, masters_seen


class FixityStore:
    """Read and write the fixity audit's state on the catalogue's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def blobs(self, now: datetime) -> list[BlobState]:
        """Every blob the catalogue names, with its state; blobs seen for the first time
        are recorded now."""
        with Session(self.engine) as s, s.begin():
            sizes, masters = _referenced(s)
            rows = {r.sha256: r for r in s.scalars(sa.select(BlobFixityRow))}
            new = [BlobFixityRow(sha256=sha, size=size, first_seen=now)
                   for sha, size in sizes.items() if sha not in rows]
            s.add_all(new)
            rows.update({r.sha256: r for r in new})
            return [BlobState(sha, rows[sha].size if rows[sha].size is not None else size,
                              _aware(rows[sha].first_seen) or now, _aware(rows[sha].checked),
                              rows[sha].outcome, sha in masters)
                    for sha, size in sorted(sizes.items())]

    def uses(self, shas: Iterable[str] | None = None, asset_id: str | None = None
             ) -> dict[str, list[BlobUse]]:
        """Where the catalogue names each blob (of `shas`, or of one asset, or all)."""
        files = sa.select(RenditionFileRow)
        masters = sa.select(MasterRow.sha256, MasterRow.asset_id)
        if shas is not None:
            wanted = list(shas)
            files = files.where(RenditionFileRow.sha256.in_(wanted))
            masters = masters.where(MasterRow.sha256.in_(wanted))
        if asset_id is not None:
            files = files.where(RenditionFileRow.asset_id == asset_id)
            masters = masters.where(MasterRow.asset_id == asset_id)
        out: dict[str, list[BlobUse]] = {}
        with Session(self.engine) as s:
            for sha, owner in s.execute(masters.order_by(MasterRow.asset_id)).all():
                out.setdefault(sha, []).append(BlobUse(sha, owner, MASTER))
            for f in s.scalars(files.order_by(RenditionFileRow.asset_id,
                                              RenditionFileRow.path)):
                role = TRANSCRIPT if f.rendition == TRANSCRIPT else RENDITION
                out.setdefault(f.sha256, []).append(
                    BlobUse(f.sha256, f.asset_id, role, f.rendition, f.language, f.path))
        return out

    def states(self, shas: Iterable[str]) -> dict[str, BlobState]:
        """The recorded state of these blobs (those the audit has seen)."""
        with Session(self.engine) as s:
            rows = s.scalars(sa.select(BlobFixityRow).where(
                BlobFixityRow.sha256.in_(list(shas)))).all()
            return {r.sha256: BlobState(r.sha256, r.size, _aware(r.first_seen) or r.first_seen,
                                        _aware(r.checked), r.outcome) for r in rows}

    def failing(self) -> list[str]:
        """Blobs whose last check found them damaged or missing."""
        with Session(self.engine) as s:
            return list(s.scalars(sa.select(BlobFixityRow.sha256).where(
                BlobFixityRow.outcome.in_(FAILING)).order_by(BlobFixityRow.sha256)))

    # -- runs ------------------------------------------------------------------------

    def start_run(self, scope: str, now: datetime) -> AuditRun:
        """A new run (not a scheduled one: see `schedule`)."""
        with Session(self.engine) as s, s.begin():
            row = AuditRunRow(scope=scope, started=now, blobs=0, bytes=0, failures=0)
            s.add(row)
            s.flush()
            return _run(row)

    def schedule(self, scope: str, slot: str, now: datetime,
                 make_job: Callable[[Session, int], str]) -> str | None:
        """Start the run of a scheduled `slot` and, in the same transaction, its job
        (`make_job(session, run_id)` gives the job id); None when the slot has its run
        already (another worker scheduled it first)."""
        try:
            with Session(self.engine) as s, s.begin():
                if s.scalar(sa.select(AuditRunRow.id).where(AuditRunRow.slot == slot)):
                    return None
                row = AuditRunRow(scope=scope, slot=slot, started=now, blobs=0, bytes=0,
                                  failures=0)
                s.add(row)
                s.flush()  # a worker that scheduled the slot meanwhile: IntegrityError
                return make_job(s, row.id)
        except IntegrityError:
            return None

    def run(self, run_id: int) -> AuditRun | None:
        """One run."""
        with Session(self.engine) as s:
            row = s.get(AuditRunRow, run_id)
            return _run(row) if row else None

    def unfinished(self, scope: str) -> AuditRun | None:
        """The latest run of `scope` that never finished (killed), to resume."""
        with Session(self.engine) as s:
            row = s.scalars(sa.select(AuditRunRow).where(
                AuditRunRow.scope == scope, AuditRunRow.finished.is_(None))
                .order_by(AuditRunRow.id.desc()).limit(1)).first()
            return _run(row) if row else None

    def last_finished(self) -> AuditRun | None:
        """The latest run that finished, of any scope."""
        with Session(self.engine) as s:
            row = s.scalars(sa.select(AuditRunRow).where(AuditRunRow.finished.is_not(None))
                            .order_by(AuditRunRow.finished.desc()).limit(1)).first()
            return _run(row) if row else None

    def record(self, run_id: int, findings: list[Finding], read: int,
               events: list[PreservationEvent]) -> None:
        """Store findings, their events and the run's counters in one transaction."""
        with Session(self.engine) as s, s.begin():
            for f in findings:
                row = s.get(BlobFixityRow, f.sha256) or BlobFixityRow(
                    sha256=f.sha256, first_seen=f.checked)
                row.size = f.size if f.size is not None else row.size
                row.checked, row.outcome, row.found = f.checked, f.outcome, f.found
                s.merge(row)
            PreservationLog(self.engine).append(events, session=s)
            s.execute(sa.update(AuditRunRow).where(AuditRunRow.id == run_id).values(
                blobs=AuditRunRow.blobs + len(findings), bytes=AuditRunRow.bytes + read,
                failures=AuditRunRow.failures + sum(f.outcome != INTACT for f in findings)))

    def mark_intact(self, shas: Iterable[str], now: datetime, session: Session) -> None:
        """Blobs just written and verified (a repair): intact as of now, in `session`."""
        for sha in shas:
            row = session.get(BlobFixityRow, sha)
            if row is not None:
                row.checked, row.outcome, row.found = now, INTACT, None

    def finish(self, run_id: int, now: datetime) -> None:
        """Mark a run finished."""
        with Session(self.engine) as s, s.begin():
            s.execute(sa.update(AuditRunRow).where(AuditRunRow.id == run_id)
                      .values(finished=now))
