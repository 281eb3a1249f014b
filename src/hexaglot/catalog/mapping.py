"""Convert between catalogue rows and domain records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hexaglot.catalog.tables import (
    AssetRow,
    FormatRow,
    MasterRow,
    RenditionFileRow,
    SegmentRow,
    SpeakerRow,
    SubjectRow,
)
from hexaglot.domain import (
    Asset,
    Audience,
    Format,
    Master,
    Meeting,
    RenditionFile,
    Segment,
    Speaker,
    Subject,
    Subjects,
    Translation,
    Visibility,
)
from hexaglot.domain.records import SUBJECT_KINDS


def _aware(value: datetime | None) -> datetime | None:
    """SQLite drops the time zone: stored times are UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _lit(value: str) -> Any:
    """A stored value of a Literal field (the record validates it)."""
    return value


def row_to_asset(row: AssetRow, children: list[str] | None = None) -> Asset:
    """Build the domain record from a row and its related rows."""
    subjects = Subjects()
    for s in row.subjects:
        getattr(subjects, s.kind).append(
            Subject(id=s.subject_id, label=s.label, labels=dict(s.labels or {}), status=_lit(s.status),
                    local=bool(s.local))
        )
    return Asset(
        asset_id=row.asset_id,
        parent_id=row.parent_id,
        kind=_lit(row.kind),
        title=row.title,
        summary=row.summary,
        description=row.description,
        recorded_on=row.recorded_on,
        duration_seconds=row.duration_seconds,
        preview_language=row.preview_language,
        available_languages=list(row.available_languages or []),
        meeting=Meeting(
            body=row.meeting_body,
            number=row.meeting_number,
            record_symbol=row.record_symbol,
            began=row.began,
            ended=row.ended,
        ),
        speakers=[
            Speaker(
                name=s.name, role=s.role, affiliation=s.affiliation,
                affiliation_id=s.affiliation_id, language=s.language,
                start=s.start, end=s.end, status=_lit(s.status),
            )
            for s in row.speakers
        ],
        subjects=subjects,
        formats=[
            Format(
                rendition=f.rendition, language=f.language, media_type=f.media_type,
                size=f.size, sha256=f.sha256, url=f.url,
            )
            for f in row.formats
        ],
        source=row.source,
        access=row.access,
        status=_lit(row.status),
        visibility=visibility_of(row),
        translations={k: Translation(**v) for k, v in (row.translations or {}).items()},
        children=children or [],
        created=_aware(row.created),
        updated=_aware(row.updated),
    )


def format_rows(formats: list[Format], start: int = 0) -> list[FormatRow]:
    """Rows for formats, numbered from `start`."""
    return [
        FormatRow(position=start + i, **f.model_dump()) for i, f in enumerate(formats)
    ]


def fill_row(row: AssetRow, asset: Asset) -> None:
    """Copy every field of the record onto the row (replacing related rows)."""
    row.parent_id = asset.parent_id
    row.kind = asset.kind
    row.title = asset.title
    row.summary = asset.summary
    row.description = asset.description
    row.recorded_on = asset.recorded_on
    row.duration_seconds = asset.duration_seconds
    row.preview_language = asset.preview_language
    row.available_languages = list(asset.available_languages)
    row.meeting_body = asset.meeting.body
    row.meeting_number = asset.meeting.number
    row.record_symbol = asset.meeting.record_symbol
    row.began = asset.meeting.began
    row.ended = asset.meeting.ended
    row.source = asset.source
    row.access = asset.access
    row.status = asset.status
    row.translations = {
        k: v.model_dump(exclude_none=True) for k, v in asset.translations.items()
    }
    row.speakers = [
        SpeakerRow(position=i, **s.model_dump()) for i, s in enumerate(asset.speakers)
    ]
    row.subjects = [
        SubjectRow(
            kind=kind, position=i, subject_id=s.id, label=s.label,
            labels=dict(s.labels), status=s.status, local=s.local,
        )
        for kind in SUBJECT_KINDS
        for i, s in enumerate(getattr(asset.subjects, kind))
    ]
    row.formats = format_rows(asset.formats)


def visibility_of(row: AssetRow) -> Visibility:
    """The effective visibility stored on a row."""
    return Visibility(Audience(row.audience or 0), row.visible_from)


def segment_of(r: SegmentRow) -> Segment:
    """The domain record of a transcript cue."""
    return Segment(asset_id=r.asset_id, language=r.language, start=r.start, end=r.end,
                   text=r.text, speaker=r.speaker, origin=r.origin,  # type: ignore[arg-type]
                   model=r.model, confidence=r.confidence)


def master_of(r: MasterRow) -> Master:
    """The domain record of an asset's master."""
    return Master(asset_id=r.asset_id, sha256=r.sha256, tracks=dict(r.tracks),
                  height=r.height, duration=r.duration, start=r.start, end=r.end)


def file_of(r: RenditionFileRow) -> RenditionFile:
    """The domain record of one registered rendition file."""
    return RenditionFile(rendition=r.rendition, language=r.language, path=r.path,
                         media_type=r.media_type, sha256=r.sha256, size=r.size)
