"""SQLAlchemy 2 tables of the catalogue."""

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
