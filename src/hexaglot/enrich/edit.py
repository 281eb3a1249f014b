"""A cataloguer's edits to a record; every edited value becomes `confirmed`."""

from __future__ import annotations

from hexaglot.domain import Asset, Subject
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.vocab import LABEL_LANGUAGES, slug, vocabulary

_PREFIX = {"personal": "person", "corporate": "org", "geographic": "place", "topical": "topic"}


class EditError(ValueError):
    """An edit that cannot be made (names the problem)."""


def _kind_label(value: str) -> tuple[str, str]:
    kind, sep, label = value.partition(":")
    if not sep or kind not in SUBJECT_KINDS or not label.strip():
        raise EditError(f"subject {value!r}: want KIND:LABEL with KIND one of "
                        f"{', '.join(SUBJECT_KINDS)}")
    return kind, label.strip()


def subject_for(kind: str, label: str) -> Subject:
    """The confirmed subject for a label: the vocabulary's heading when it knows the label (in
    any language, acronyms too), else a new heading with that label in every language."""
    concept = vocabulary().lookup(label, kind)
    if concept:
        return Subject(id=concept.id, label=concept.label, labels=dict(concept.labels),
                       status="confirmed")
    labels = dict.fromkeys(LABEL_LANGUAGES, label)
    return Subject(id=f"{_PREFIX[kind]}:{slug(label)}", label=label, labels=labels,
                   status="confirmed")


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
        concept = vocabulary().lookup(affiliation) if affiliation else None
        speaker.affiliation = concept.label if concept else (affiliation or None)
        speaker.affiliation_id = concept.id if concept else None
    speaker.status = "confirmed"


def confirm_speakers(asset: Asset) -> None:
    """Confirm the whole list of speakers as it stands."""
    for speaker in asset.speakers:
        speaker.status = "confirmed"
