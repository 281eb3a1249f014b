"""Review the drafts of a text: the speakers and subjects Hexaglot drafted from a pasted
press summary, each with its evidence (character offsets into that text), shown to the
cataloguer, who accepts, rejects, edits, reorders or adds; what is accepted is stored
`confirmed`, as the CLI's edits are, with the text's meeting facts where the record has none."""

from __future__ import annotations

from dataclasses import dataclass, field

from hexaglot.app.archive import Archive
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Speaker, Subject
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.enrich import Extraction, extract_text
from hexaglot.enrich.apply import apply_extraction
from hexaglot.enrich.edit import EditError
from hexaglot.vocab import affiliation_for, subject_for, vocabulary

__all__ = ["MAX_TEXT", "ReviewedSpeaker", "draft", "heading", "save_review"]

#: The longest text a cataloguer may paste (a long press summary is some 60 000 characters).
MAX_TEXT = 500_000


@dataclass
class ReviewedSpeaker:
    """A speaker as the cataloguer left it (in speaking order)."""

    name: str | None
    role: str | None = None
    affiliation: str | None = None
    order: float = field(default=0.0)


def draft(text: str, source: str = "pasted text") -> Extraction:
    """The drafts of a press summary or catalogue page (stores nothing); `InputError`
    when it is neither, or too long."""
    if len(text) > MAX_TEXT:
        raise EditError(f"{source}: {len(text)} characters is more than the {MAX_TEXT} a "
                        "pasted text may have")
    return extract_text(text, source)


def heading(value: str) -> tuple[str, Subject]:
    """A subject heading and its kind from what the cataloguer typed or picked:
    `KIND:LABEL`, a vocabulary id, or a label in any of the six languages; `EditError`
    when it is none of these."""
    value = " ".join(value.split())
    kind, sep, label = value.partition(":")
    vocab = vocabulary()
    concept = vocab.get(value)
    if concept is None and sep and kind in SUBJECT_KINDS and label.strip():
        return kind, subject_for(kind, label.strip())
    concept = concept or vocab.lookup(value)
    if concept is None:
        raise EditError(f"subject {value!r}: no heading of the vocabularies has this label; "
                        "pick a suggestion, or write KIND:LABEL for a local heading")
    return concept.kind, subject_for(concept.kind, concept.label)


def save_review(archive: Archive, asset_id: str, text: str, speakers: list[ReviewedSpeaker],
                subjects: list[str], actor: str | None = None) -> Asset:
    """Store the reviewed drafts on the asset, in one transaction: the speakers in the
    cataloguer's order and the subjects (each read by `heading`), all confirmed; the
    text's meeting facts fill what the record lacks, and the text becomes its description
    when it has none. Raises `UnknownAsset`, `EditError` (changing nothing)."""
    x = draft(text)
    people = []
    for s in sorted(speakers, key=lambda s: s.order):
        name = (s.name or "").strip() or None
        label, aff_id = affiliation_for(s.affiliation)
        if not name and not label:
            raise EditError("speakers: a speaker needs a name or a country or organization")
        people.append(Speaker(name=name, role=(s.role or "").strip() or None,
                              affiliation=label, affiliation_id=aff_id, status="confirmed"))
    by_kind: dict[str, list[Subject]] = {kind: [] for kind in SUBJECT_KINDS}
    for value in subjects:
        if value.strip():
            kind, subject = heading(value)
            if all(s.id != subject.id for s in by_kind[kind]):
                by_kind[kind].append(subject)
    with archive.catalog.transaction(actor, "review") as tx:
        asset = tx.get(asset_id)
        if asset is None:
            raise UnknownAsset(asset_id)
        merged = apply_extraction(asset, x, description=text.strip() or None)
        merged.speakers = people
        for kind, kept in by_kind.items():
            setattr(merged.subjects, kind, kept)
        tx.save(merged)
    archive.changed()
    return archive.catalog.require(asset_id)
