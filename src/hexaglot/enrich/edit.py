"""A cataloguer's edits to a record; every edited value becomes `confirmed`."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hexaglot.domain import Asset
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.errors import BadInput
from hexaglot.vocab.headings import affiliation_for, subject_for


class EditError(BadInput):
    """An edit that cannot be made (names the problem)."""


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
        raise EditError(f"no {kind} subject {label!r} on {asset.asset_id}")
    for s in kept:  # the cataloguer has reviewed this kind: the rest stays, removed stays out
        s.status = "confirmed"
    setattr(asset.subjects, kind, kept)


def edit_speaker(asset: Asset, number: int, name: str | None, role: str | None,
                 affiliation: str | None) -> None:
    """Change speaker `number` (1-based) and confirm it."""
    if not 1 <= number <= len(asset.speakers):
        raise EditError(f"no speaker {number} on {asset.asset_id} "
                        f"(it has {len(asset.speakers)})")
    speaker = asset.speakers[number - 1]
    if name is not None:
        speaker.name = name or None
    if role is not None:
        speaker.role = role or None
    if affiliation is not None:
        speaker.affiliation, speaker.affiliation_id = affiliation_for(affiliation)
    speaker.status = "confirmed"


def confirm_speakers(asset: Asset) -> None:
    """Confirm the whole list of speakers as it stands."""
    for speaker in asset.speakers:
        speaker.status = "confirmed"


class SpeakerEdit(BaseModel):
    """A change to one speaker (1-based `number`); an empty string clears a value."""

    model_config = ConfigDict(extra="forbid")
    number: int
    name: str | None = None
    role: str | None = None
    affiliation: str | None = None


class Edits(BaseModel):
    """A cataloguer's edits to one record (the body of `PATCH /api/assets/{id}`)."""

    model_config = ConfigDict(extra="forbid")
    title: str | None = None
    summary: str | None = None
    access: str | None = Field(default=None, description="public, registered, staff or "
                               "'embargoed until YYYY-MM-DD' (a real calendar day)")
    status: Literal["draft", "published"] | None = None
    speakers: list[SpeakerEdit] = Field(default_factory=list)
    confirm_speakers: bool = False
    add_subjects: list[str] = Field(default_factory=list, description="KIND:LABEL")
    remove_subjects: list[str] = Field(default_factory=list, description="KIND:LABEL or KIND:ID")


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
    except ValidationError as exc:
        raise EditError(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None
    for change in edits.speakers:
        edit_speaker(edited, change.number, change.name, change.role, change.affiliation)
    if edits.confirm_speakers:
        confirm_speakers(edited)
    for value in edits.add_subjects:
        add_subject(edited, value)
    for value in edits.remove_subjects:
        remove_subject(edited, value)
    return edited
