"""Headings as the record stores them, resolved through the vocabularies: every reader and
every edit turns a subject heading or a speaker's affiliation into one id this way."""

from __future__ import annotations

from hexaglot.domain import Subject
from hexaglot.domain.records import Status
from hexaglot.vocab.registry import vocabulary


def subject_for(kind: str, label: str, status: Status = "confirmed") -> Subject:
    """The subject for a heading of `kind`: the vocabulary's concept when it knows the
    label (in any language, acronyms too), else a local heading (`local:<slug>`, flagged
    `local`), with its labels in the six languages either way."""
    concept = vocabulary().resolve(kind, label)
    return Subject(id=concept.id, label=concept.label, labels=dict(concept.labels),
                   status=status, local=concept.local)


def affiliation_for(text: str | None) -> tuple[str | None, str | None]:
    """A speaker's affiliation as (label, id): a State or organization of the vocabulary
    (named in any language), else the text as given with a local id; (None, None) when
    empty."""
    text = " ".join((text or "").split())
    if not text:
        return None, None
    vocab = vocabulary()
    concept = (vocab.lookup(text, "geographic") or vocab.lookup(text, "corporate")
               or vocab.resolve("geographic", text))
    return concept.label, concept.id
