"""A cataloguer's edits to a record; every edited value becomes `confirmed`."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from hexaglot.domain import Asset, parse_access
from hexaglot.domain.languages import language_code, ordered
from hexaglot.domain.records import SUBJECT_KINDS, check_asset_id, parse_duration
from hexaglot.errors import BadInput, Conflict
from hexaglot.vocab.headings import affiliation_for, subject_for


class EditError(BadInput):
    """An edit that cannot be made (names the problem)."""


class EditConflict(Conflict):
    """An edit that does not fit the record as it stands (a speaker it does not have, a
    heading it does not carry)."""


def _kind_label(value: str) -> tuple[str, str]:
    kind, sep, label = value.partition(":")
    if not sep or kind not in SUBJECT_KINDS or not label.strip():
        raise EditError(f"subject {value!r}: want KIND:LABEL with KIND one of "
                        f"{', '.join(SUBJECT_KINDS)}")
    return kind, label.strip()


def add_subject(asset: Asset, value: str) -> None:
    """`KIND:LABEL`: add (or confirm) a subject heading."""
    kind, label = _kind_label(value)
    new = subject_for(kind, label)
    items = getattr(asset.subjects, kind)
    kept = [s for s in items if s.id != new.id and s.label.casefold() != new.label.casefold()]
    setattr(asset.subjects, kind, [*kept, new])


def remove_subject(asset: Asset, value: str) -> None:
    """`KIND:LABEL` or `KIND:ID`: remove a subject heading; the others of that kind become
    confirmed, so that a later extraction does not bring the removed one back."""
    kind, label = _kind_label(value)
    items = getattr(asset.subjects, kind)
    kept = [s for s in items if label not in (s.id, s.label)
            and s.label.casefold() != label.casefold()]
    if len(kept) == len(items):
        raise EditConflict(f"no {kind} subject {label!r} on {asset.asset_id}")
    for s in kept:  # the cataloguer has reviewed this kind: the rest stays, removed stays out
        s.status = "confirmed"
    setattr(asset.subjects, kind, kept)


def edit_speaker(asset: Asset, number: int, name: str | None, role: str | None,
                 affiliation: str | None, start: float | None = None,
                 end: float | None = None) -> None:
    """Change speaker `number` (1-based) and confirm it (its turn too: a proposed start
    and end become the cataloguer's)."""
    if not 1 <= number <= len(asset.speakers):
        raise EditConflict(f"no speaker {number} on {asset.asset_id} "
                        f"(it has {len(asset.speakers)})")
    speaker = asset.speakers[number - 1]
    if name is not None:
        speaker.name = name or None
    if role is not None:
        speaker.role = role or None
    if affiliation is not None:
        speaker.affiliation, speaker.affiliation_id = affiliation_for(affiliation)
    if start is not None:
        speaker.start = start
    if end is not None:
        speaker.end = end
    if speaker.start is not None and speaker.end is not None and speaker.end <= speaker.start:
        raise EditError(f"speaker {number}: the turn must end after it starts (got "
                        f"{speaker.start:g} to {speaker.end:g} s)")
    speaker.status = "confirmed"


def confirm_speakers(asset: Asset) -> None:
    """Confirm the whole list of speakers as it stands."""
    for speaker in asset.speakers:
        speaker.status = "confirmed"


_TEXT = 2000  # characters of one edited value, at most
_CLOCK = r"^(|([01]\d|2[0-3]):[0-5]\d)$"
_DURATION = r"^(|\d{1,4}:[0-5]\d:[0-5]\d)$"
_KIND = "(personal|corporate|geographic|topical)"
_HEADING = Annotated[str, StringConstraints(pattern=rf"^{_KIND}:.*\S", max_length=_TEXT)]
#: Access values as the schema states them; an embargo must also be a real calendar day.
ACCESS_PATTERN = (r"^(public|registered|staff|restricted|embargoed until "
                  r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))$")


class SpeakerEdit(BaseModel):
    """A change to one speaker (1-based `number`); an empty string clears a value."""

    model_config = ConfigDict(extra="forbid")
    number: int = Field(ge=1, le=10_000)
    name: str | None = Field(default=None, max_length=_TEXT)
    role: str | None = Field(default=None, max_length=_TEXT)
    affiliation: str | None = Field(default=None, max_length=_TEXT)
    start: float | None = Field(default=None, ge=0, le=1_000_000,
                                description="Start of the speaker's turn, seconds")
    end: float | None = Field(default=None, ge=0, le=1_000_000,
                              description="End of the speaker's turn, seconds")


class MeetingEdit(BaseModel):
    """Changes to the meeting facts; an empty string clears a value."""

    model_config = ConfigDict(extra="forbid")
    body: str | None = Field(default=None, max_length=_TEXT)
    number: int | None = Field(default=None, ge=1, le=1_000_000)
    record_symbol: str | None = Field(default=None, max_length=_TEXT)
    began: str | None = Field(default=None, pattern=_CLOCK, description="HH:MM, 24 h")
    ended: str | None = Field(default=None, pattern=_CLOCK, description="HH:MM, 24 h")


class Edits(BaseModel):
    """A cataloguer's edits to one record (the body of `PATCH /api/assets/{id}`); an
    empty string clears an optional text."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = Field(default=None, max_length=_TEXT, pattern=r"\S")
    summary: str | None = Field(default=None, max_length=_TEXT)
    description: str | None = Field(default=None, max_length=200_000)
    recorded_on: date | None = Field(default=None, description="The day recorded, YYYY-MM-DD")
    duration: str | None = Field(default=None, pattern=_DURATION,
                                 description="HH:MM:SS (empty: unknown)")
    preview_language: str | None = Field(default=None, max_length=40)
    available_languages: list[str] | None = Field(default=None, max_length=7)
    meeting: MeetingEdit | None = None
    source: str | None = Field(default=None, max_length=_TEXT)
    parent_id: str | None = Field(default=None, max_length=64,
                                  description="The parent asset's id (empty: none)")
    access: str | None = Field(default=None, pattern=ACCESS_PATTERN,
                               description="public, registered, staff or 'embargoed until "
                               "YYYY-MM-DD' (a real calendar day)")
    status: Literal["draft", "published"] | None = None
    speakers: list[SpeakerEdit] = Field(default_factory=list, max_length=1000)
    confirm_speakers: bool = False
    add_subjects: list[_HEADING] = Field(default_factory=list, max_length=1000,
                                         description="KIND:LABEL")
    remove_subjects: list[_HEADING] = Field(default_factory=list, max_length=1000,
                                            description="KIND:LABEL or KIND:ID")


_WANT = {
    "add_subjects": "want KIND:LABEL with KIND one of " + ", ".join(SUBJECT_KINDS),
    "remove_subjects": "want KIND:LABEL or KIND:ID with KIND one of " + ", ".join(SUBJECT_KINDS),
    "access": "want public, registered, staff or 'embargoed until YYYY-MM-DD'",
    "title": "the title cannot be empty",
    "duration": "want HH:MM:SS",
    "meeting": "want HH:MM (24 h)",
}


def parse_edits(values: object) -> Edits:
    """`Edits` from JSON-like values; an `EditError` naming the field and what it wants."""
    try:
        return Edits.model_validate(values)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "body"
        field = str(err["loc"][0]) if err["loc"] else ""
        message = _WANT.get(field) if err["type"] == "string_pattern_mismatch" else None
        shown = f" (got {err['input']!r:.60})" if message and err.get("input") else ""
        if field == "access" and message and isinstance(err.get("input"), str):
            try:
                parse_access(err["input"])
            except ValueError as why:  # says what is wrong with it (a day that does not exist)
                message, shown = str(why), ""
        raise EditError(f"{where}: {message or err['msg']}{shown}") from None


def apply_edits(asset: Asset, edits: Edits) -> Asset:
    """Apply edits to a copy of the record; raises EditError (changing nothing) on a bad edit."""
    edited = asset.model_copy(deep=True)
    try:
        if edits.title is not None:
            if not edits.title.strip():
                raise EditError("the title cannot be empty")
            edited.title = edits.title
        if edits.summary is not None:
            edited.summary = edits.summary or None
        if edits.access is not None:
            edited.access = edits.access
        if edits.status is not None:
            edited.status = edits.status
        _apply_record_fields(edited, edits)
    except ValidationError as exc:
        raise EditError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    for change in edits.speakers:
        edit_speaker(edited, change.number, change.name, change.role, change.affiliation,
                     change.start, change.end)
    if edits.confirm_speakers:
        confirm_speakers(edited)
    for value in edits.add_subjects:
        add_subject(edited, value)
    for value in edits.remove_subjects:
        remove_subject(edited, value)
    return edited


def _language(value: str, field: str) -> str:
    code = language_code(value.strip())
    if code is None:
        raise EditError(f"{field}: {value!r} is not an audio language (want original or one "
                        "of ar zh en fr ru es)")
    return code


def _apply_record_fields(edited: Asset, edits: Edits) -> None:
    """The catalogue record's other fields (the workspace's record form sends them all)."""
    if edits.description is not None:
        edited.description = edits.description or None
    if "recorded_on" in edits.model_fields_set:
        edited.recorded_on = edits.recorded_on
    if edits.duration is not None:
        edited.duration_seconds = round(parse_duration(edits.duration)) if edits.duration \
            else None
    if edits.preview_language is not None:
        edited.preview_language = _language(edits.preview_language, "preview_language") \
            if edits.preview_language.strip() else None
    if edits.available_languages is not None:
        edited.available_languages = ordered(list(dict.fromkeys(
            _language(x, "available_languages") for x in edits.available_languages)))
    if edits.meeting is not None:
        m = edits.meeting
        for name in ("body", "record_symbol", "began", "ended"):
            value = getattr(m, name)
            if value is not None:
                setattr(edited.meeting, name, value.strip() or None)
        if "number" in m.model_fields_set:
            edited.meeting.number = m.number
    if edits.source is not None:
        edited.source = edits.source.strip() or None
    if edits.parent_id is not None:
        parent = edits.parent_id.strip() or None
        if parent is not None:
            try:
                check_asset_id(parent)
            except ValueError as exc:
                raise EditError(f"parent_id: {exc}") from None
            if parent == edited.asset_id:
                raise EditError("parent_id: an asset cannot be its own parent")
        edited.parent_id = parent
