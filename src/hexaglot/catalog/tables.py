"""SQLAlchemy 2 tables of the archive, every one of them, under one metadata
(`Base.metadata`): the catalogue (assets and what hangs off them), the outbox, the job
log, masters, the manifest of rendition files, the transcription checkpoints, the OAI-PMH
items, the preservation log, the fixity audit, and the PostgreSQL full-text tables
(`search_tables`). The migrations under `migrations/versions/` create exactly these, so
`alembic revision --autogenerate` on a fresh archive proposes nothing (tested)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every catalogue table."""

    type_annotation_map = {dict[str, Any]: sa.JSON, list[str]: sa.JSON}


class AssetRow(Base):
    """One asset; its speakers, subjects and formats hang off it in their own tables."""

    __tablename__ = "assets"

    asset_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    parent_id: Mapped[str | None] = mapped_column(
        sa.String(64), sa.ForeignKey("assets.asset_id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16), default="video")
    title: Mapped[str] = mapped_column(sa.Text)
    summary: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    recorded_on: Mapped[date | None] = mapped_column(sa.Date, index=True)
    duration_seconds: Mapped[int | None] = mapped_column(sa.Integer)
    preview_language: Mapped[str | None] = mapped_column(sa.String(32))
    available_languages: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    meeting_body: Mapped[str | None] = mapped_column(sa.String(200))
    meeting_number: Mapped[int | None] = mapped_column(sa.Integer)
    record_symbol: Mapped[str | None] = mapped_column(sa.String(64))
    began: Mapped[str | None] = mapped_column(sa.String(5))
    ended: Mapped[str | None] = mapped_column(sa.String(5))
    source: Mapped[str | None] = mapped_column(sa.Text)
    access: Mapped[str] = mapped_column(sa.String(40), default="public")
    status: Mapped[str] = mapped_column(sa.String(16), default="published")
    #: The effective visibility (own access and status narrowed by the parent chain), kept
    #: by the repository on every save: who may see it (0 anyone, 1 signed-in, 2 staff)
    #: and, under an embargo, the first day non-staff may.
    audience: Mapped[int] = mapped_column(sa.SmallInteger, default=0)
    visible_from: Mapped[date | None] = mapped_column(sa.Date)
    translations: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    updated: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)

    speakers: Mapped[list[SpeakerRow]] = relationship(
        cascade="all, delete-orphan", order_by="SpeakerRow.position", lazy="selectin"
    )
    subjects: Mapped[list[SubjectRow]] = relationship(
        cascade="all, delete-orphan", order_by="SubjectRow.position", lazy="selectin"
    )
    formats: Mapped[list[FormatRow]] = relationship(
        cascade="all, delete-orphan", order_by="FormatRow.position", lazy="selectin"
    )

    __table_args__ = (sa.Index("ix_assets_meeting", "meeting_body", "meeting_number"),)


class SpeakerRow(Base):
    """A speaker of an asset, at its position in speaking order."""

    __tablename__ = "speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(sa.Integer)
    name: Mapped[str | None] = mapped_column(sa.String(300))
    role: Mapped[str | None] = mapped_column(sa.String(300))
    affiliation: Mapped[str | None] = mapped_column(sa.String(300))
    affiliation_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    language: Mapped[str | None] = mapped_column(sa.String(16))
    start: Mapped[float | None] = mapped_column(sa.Float)
    end: Mapped[float | None] = mapped_column(sa.Float)
    status: Mapped[str] = mapped_column(sa.String(16), default="suggested")


class SubjectRow(Base):
    """A controlled subject heading attached to an asset."""

    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(16))
    position: Mapped[int] = mapped_column(sa.Integer)
    subject_id: Mapped[str] = mapped_column(sa.String(200), index=True)
    label: Mapped[str] = mapped_column(sa.String(500))
    labels: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(16), default="suggested")
    local: Mapped[bool] = mapped_column(sa.Boolean, default=False)


class FormatRow(Base):
    """A rendition of an asset (or its master), as listed under Other Formats."""

    __tablename__ = "formats"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(sa.Integer)
    rendition: Mapped[str] = mapped_column(sa.String(64))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    url: Mapped[str | None] = mapped_column(sa.Text)


class SegmentRow(Base):
    """A time-coded transcript cue of an asset in one language."""

    __tablename__ = "segments"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(sa.String(16))
    start: Mapped[float] = mapped_column(sa.Float)
    end: Mapped[float] = mapped_column(sa.Float)
    text: Mapped[str] = mapped_column(sa.Text)
    speaker: Mapped[str | None] = mapped_column(sa.String(300))
    #: `human` (imported captions) or `machine` (speech-to-text, with its model and
    #: confidence); a human transcript of a language is preferred to a machine one.
    origin: Mapped[str] = mapped_column(sa.String(16), default="human")
    model: Mapped[str | None] = mapped_column(sa.String(200))
    confidence: Mapped[float | None] = mapped_column(sa.Float)


class OutboxRow(Base):
    """A change to an asset not yet seen by the search index (written in the same transaction)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    asset_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class AssetIdRow(Base):
    """The sequence that hands out new asset ids (portable across SQLite and PostgreSQL)."""

    __tablename__ = "asset_id_sequence"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)


class JobRow(Base):
    """One job of the job log: what to run, its state, its progress, its error."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(40))
    asset_id: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    status: Mapped[str] = mapped_column(sa.String(16), index=True)
    attempts: Mapped[int] = mapped_column(sa.Integer, server_default="0")
    error: Mapped[str | None] = mapped_column(sa.Text)
    worker: Mapped[str | None] = mapped_column(sa.String(200))
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    updated: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    heartbeat: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    progress: Mapped[float | None] = mapped_column(sa.Float)
    step: Mapped[str | None] = mapped_column(sa.String(80))


class MasterRow(Base):
    """An asset's master recording: which blob, which audio stream carries which language,
    and (for a statement clip) which span of its parent's master."""

    __tablename__ = "media_masters"

    asset_id: Mapped[str] = mapped_column(
        sa.String(64), sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), primary_key=True
    )
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    tracks: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    height: Mapped[int] = mapped_column(sa.Integer)
    duration: Mapped[float] = mapped_column(sa.Float)
    start: Mapped[float] = mapped_column(sa.Float, server_default="0")
    end: Mapped[float | None] = mapped_column(sa.Float)
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class RenditionFileRow(Base):
    """One file of a registered rendition (an HLS package has many): the path it is
    served under (`/media/<asset_id>/<path>`) and the blob holding its bytes. Media are
    served only by looking a request up here, never by joining a path onto a folder."""

    __tablename__ = "rendition_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), index=True
    )
    rendition: Mapped[str] = mapped_column(sa.String(64))
    language: Mapped[str | None] = mapped_column(sa.String(16))
    path: Mapped[str] = mapped_column(sa.String(300))
    media_type: Mapped[str] = mapped_column(sa.String(100))
    sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    size: Mapped[int] = mapped_column(sa.BigInteger)

    __table_args__ = (sa.UniqueConstraint("asset_id", "path", name="uq_rendition_files_path"),)



class TranscriptWindowRow(Base):
    """One finished window of a channel's transcription, kept the moment it finishes so a
    killed worker resumes after it (the speech checkpoint protocol): the asset and `track`
    it belongs to, the `plan` it was made under (master, stream, language, backend, model,
    window length), its `number` from 0 and the window itself as JSON (its segments with
    their words)."""

    __tablename__ = "transcript_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("assets.asset_id", ondelete="CASCADE"), index=True
    )
    track: Mapped[str] = mapped_column(sa.String(16))
    plan: Mapped[str] = mapped_column(sa.String(400))
    number: Mapped[int] = mapped_column(sa.Integer)
    window: Mapped[dict[str, Any]] = mapped_column(sa.JSON)
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))

    __table_args__ = (sa.UniqueConstraint("asset_id", "plan", "number",
                                          name="uq_transcript_windows_number"),)


class OaiItemRow(Base):
    """An asset as OAI-PMH harvesters see it, kept by the repository in the same
    transaction as every write of the asset (`catalog.harvest`): `live` while anyone may
    see it, `deleted` once it was live and no longer is (withdrawn, hidden, removed: kept
    for good, never dropped), `unseen` while it never was. `datestamp` is when its public
    record last changed or it stopped being public; `public_from` the day an embargoed
    public asset becomes live by itself. No foreign key: the item outlives its asset."""

    __tablename__ = "oai_items"

    asset_id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    state: Mapped[str] = mapped_column(sa.String(8))
    datestamp: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    public_from: Mapped[date | None] = mapped_column(sa.Date, index=True)

    sets: Mapped[list[OaiSetRow]] = relationship(
        cascade="all, delete-orphan", order_by="OaiSetRow.spec", lazy="selectin"
    )

    __table_args__ = (sa.Index("ix_oai_items_datestamp", "datestamp", "asset_id"),)


class OaiSetRow(Base):
    """One leaf set of an OAI item (`body:security-council`, `year:2022`): its current
    sets while live, the ones it had last once deleted."""

    __tablename__ = "oai_item_sets"

    asset_id: Mapped[str] = mapped_column(
        sa.ForeignKey("oai_items.asset_id", ondelete="CASCADE"), primary_key=True
    )
    spec: Mapped[str] = mapped_column(sa.String(200), primary_key=True, index=True)
    name: Mapped[str] = mapped_column(sa.String(300))


class PreservationEventRow(Base):
    """One event of an asset's preservation log (PREMIS-style; `domain.events`). Append
    only: the migration makes the database refuse updates and deletes. No foreign key:
    the log outlives its asset."""

    __tablename__ = "preservation_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    asset_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    event_type: Mapped[str] = mapped_column(sa.String(32))
    date: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    agent: Mapped[str] = mapped_column(sa.String(200))
    outcome: Mapped[str] = mapped_column(sa.String(16))
    detail: Mapped[str] = mapped_column(sa.Text, default="")
    sha256: Mapped[str | None] = mapped_column(sa.String(64))


class BlobFixityRow(Base):
    """The fixity state of one blob the catalogue names (a master, a rendition file, a
    transcript): when the audit first saw it, when it last re-read it, and what it found
    (`intact`, `damaged` with the SHA-256 it read, `missing`)."""

    __tablename__ = "blob_fixity"

    sha256: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    first_seen: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    checked: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[str | None] = mapped_column(sa.String(16), index=True)
    found: Mapped[str | None] = mapped_column(sa.String(64))


class AuditRunRow(Base):
    """One fixity audit: `all` (every blob) or `due` (the share that keeps every blob read
    once per audit interval). A blob re-read after `started` is done for this run, so a
    killed run resumes where it stopped. `slot` names the period a scheduled run is for
    (one per period, whichever worker schedules it)."""

    __tablename__ = "audit_runs"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(sa.String(8))
    slot: Mapped[str | None] = mapped_column(sa.String(40))
    started: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    finished: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    blobs: Mapped[int] = mapped_column(sa.Integer, default=0)
    bytes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    failures: Mapped[int] = mapped_column(sa.Integer, default=0)

    __table_args__ = (sa.UniqueConstraint("slot", name="uq_audit_runs_slot"),)


class UserRow(Base):
    """One account: a `reader`, `cataloguer` or `admin`, signed in with an email and an
    Argon2id password hash. A disabled account cannot sign in, and its sessions and tokens
    stop working; `session_epoch` grows whenever its sessions must end (disable, role or
    password change)."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(sa.String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(200))
    role: Mapped[str] = mapped_column(sa.String(16))
    disabled: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    session_epoch: Mapped[int] = mapped_column(sa.Integer, default=0)
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))


class ApiTokenRow(Base):
    """One API token of a user: only the SHA-256 of the token is stored; `scope` is `read`
    or `write`; a revoked token stays (with `revoked`) so its id keeps meaning one token."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    scope: Mapped[str] = mapped_column(sa.String(8))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    revoked: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))


class HistoryRow(Base):
    """One change of the archive (append only: the migration makes the database refuse
    updates and deletes): who (`actor`: `user:EMAIL`, `token:ID (EMAIL)`, `cli:LOGIN`,
    `job:KIND`), when, what (`subject` `asset`, `user` or `token` and its id, the
    `action`) and, field by field, the value before and after (`changes`)."""

    __tablename__ = "history"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(sa.String(400))
    subject: Mapped[str] = mapped_column(sa.String(16))
    subject_id: Mapped[str] = mapped_column(sa.String(320))
    action: Mapped[str] = mapped_column(sa.String(32))
    changes: Mapped[dict[str, Any]] = mapped_column(sa.JSON)

    __table_args__ = (sa.Index("ix_history_subject", "subject", "subject_id", "id"),)


from hexaglot.catalog import search_tables  # noqa: E402,F401 - same metadata
