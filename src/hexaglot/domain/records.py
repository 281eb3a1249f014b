"""The catalogue record of DESIGN.md as pydantic models (no I/O)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from hexaglot.domain.access import Visibility, normalize_access, own_visibility

Kind = Literal["video", "audio", "photo", "document"]
Status = Literal["suggested", "confirmed"]
Publication = Literal["draft", "published"]
SUBJECT_KINDS: tuple[str, ...] = ("personal", "corporate", "geographic", "topical")
#: The one form of an asset id, at every entry point (readers, CLI, API, media routes):
#: 1 to 64 ASCII letters, digits, `-` and `_`, starting with a letter or digit.
ASSET_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
ASSET_ID_FORM = "1-64 letters, digits, '-' or '_', starting with a letter or digit"


def check_asset_id(value: str) -> str:
    """Return `value` when it is a well-formed asset id; else ValueError saying the form."""
    if not isinstance(value, str) or not ASSET_ID.fullmatch(value):
        shown = value if isinstance(value, str) and len(value) <= 80 else f"{str(value)[:80]}…"
        raise ValueError(f"not an asset id: {shown!r} (want {ASSET_ID_FORM})")
    return value


def format_duration(seconds: int | None) -> str | None:
    """Format whole seconds as `HH:MM:SS` (hours may exceed 99)."""
    if seconds is None:
        return None
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}"


_DURATION = re.compile(r"^(?:(\d+):)?([0-5]?\d):([0-5]\d)(?:\.(\d+))?$")


def parse_duration(text: str) -> float:
    """Parse `H:MM:SS`, `MM:SS` or `HH:MM:SS.fff` (or plain seconds) into seconds.

    Raises ValueError naming the text when it is not a duration."""
    value = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        return float(value)
    m = _DURATION.match(value)
    if not m:
        raise ValueError(f"not a duration (want HH:MM:SS): {text!r}")
    h, mi, s, frac = m.groups()
    seconds = int(h or 0) * 3600 + int(mi) * 60 + int(s)
    return seconds + (float(f"0.{frac}") if frac else 0.0)


class Record(BaseModel):
    """Base of every record: unknown fields are errors, not silently dropped."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Meeting(Record):
    """The meeting an asset records."""

    body: str | None = None
    number: int | None = None
    record_symbol: str | None = None
    began: str | None = None  # "HH:MM", 24 h
    ended: str | None = None


class Speaker(Record):
    """One speaker of a meeting, in speaking order."""

    name: str | None = None
    role: str | None = None
    affiliation: str | None = None
    affiliation_id: str | None = None
    language: str | None = None
    start: float | None = None  # seconds into the recording
    end: float | None = None
    status: Status = "suggested"


class Subject(Record):
    """A subject heading with its labels in the six languages. `local` marks a heading
    the vocabularies do not know (its id is then `local:<slug>`)."""

    id: str
    label: str
    labels: dict[str, str] = Field(default_factory=dict)
    status: Status = "suggested"
    local: bool = False


class Subjects(Record):
    """Subject headings by kind."""

    personal: list[Subject] = Field(default_factory=list)
    corporate: list[Subject] = Field(default_factory=list)
    geographic: list[Subject] = Field(default_factory=list)
    topical: list[Subject] = Field(default_factory=list)


class Format(Record):
    """A rendition a user can download or play ("Other Formats")."""

    rendition: str  # e.g. master, hls, mp4, audio-m4a, audio-mp3, poster, thumbnails, waveform
    language: str | None = None
    media_type: str
    size: int | None = None
    sha256: str | None = None
    url: str | None = None


class Translation(Record):
    """Text fields in another language."""

    title: str | None = None
    summary: str | None = None
    description: str | None = None


class Asset(Record):
    """One catalogued asset: a meeting recording, a statement clip, a photo or a document."""

    asset_id: str
    parent_id: str | None = None
    kind: Kind = "video"
    title: str
    summary: str | None = None
    description: str | None = None
    recorded_on: date | None = None
    duration_seconds: int | None = None
    preview_language: str | None = None
    available_languages: list[str] = Field(default_factory=list)
    meeting: Meeting = Field(default_factory=Meeting)
    speakers: list[Speaker] = Field(default_factory=list)
    subjects: Subjects = Field(default_factory=Subjects)
    formats: list[Format] = Field(default_factory=list)
    source: str | None = None
    access: str = "public"  # public | registered | staff | "embargoed until YYYY-MM-DD"
    status: Publication = "published"
    translations: dict[str, Translation] = Field(default_factory=dict)
    children: list[str] = Field(default_factory=list)
    created: datetime | None = None
    updated: datetime | None = None
    #: Who may see it, its parent chain included: set by the catalogue, not part of the JSON.
    visibility: Visibility | None = Field(default=None, exclude=True)

    @field_validator("access")
    @classmethod
    def _check_access(cls, value: str) -> str:
        return normalize_access(value)

    @field_validator("asset_id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        return check_asset_id(value)

    @field_validator("parent_id")
    @classmethod
    def _check_parent(cls, value: str | None) -> str | None:
        return None if value is None else check_asset_id(value)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration(self) -> str | None:
        """The duration as `HH:MM:SS`."""
        return format_duration(self.duration_seconds)

    def own_visibility(self) -> Visibility:
        """Who its own access and status let see it (before its parents narrow it)."""
        return own_visibility(self.access, self.status)


class Segment(Record):
    """A time-coded piece of what was said (a caption cue) in one language: `human`
    (imported captions) or `machine` (speech-to-text, with the model and its confidence)."""

    asset_id: str
    language: str
    start: float
    end: float
    text: str
    speaker: str | None = None
    origin: Literal["human", "machine"] = "human"
    model: str | None = None
    confidence: float | None = None


def preferred_segments(segments: list[Segment]) -> list[Segment]:
    """The transcript to show and search, per language: the human one where there is one
    (imported captions), else the machine one; order kept. A machine transcript never
    hides or replaces a human transcript of its language."""
    human = {s.language for s in segments if s.origin == "human"}
    return [s for s in segments if s.origin == "human" or s.language not in human]


class Master(Record):
    """Where an asset's renditions come from: a blob, which audio stream (from 1) carries
    which language, the video height, the whole file's duration, and for a statement
    clip the span of its parent's master it covers."""

    asset_id: str
    sha256: str
    tracks: dict[str, int]
    height: int
    duration: float
    start: float = 0.0
    end: float | None = None


class RenditionFile(Record):
    """One file of a registered rendition, served as `/media/<asset_id>/<path>`."""

    rendition: str
    language: str | None = None
    path: str
    media_type: str
    sha256: str
    size: int
