"""Labels of facet values in the reader's language: vocabulary headings in any of the six,
local headings as the catalogue stores them, languages by name."""

from __future__ import annotations

from functools import lru_cache

from hexaglot.app.archive import Archive
from hexaglot.domain.languages import language_name
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.vocab import is_local, vocabulary

_HEADINGS = {*SUBJECT_KINDS, "affiliation"}


@lru_cache(maxsize=4096)
def _vocab_label(value: str, lang: str) -> str | None:
    concept = vocabulary().get(value)
    return (concept.labels.get(lang) or concept.label) if concept else None


def facet_label(archive: Archive, facet: str, value: str, lang: str = "en") -> str:
    """What a facet value is called in `lang`."""
    if facet == "lang":
        return language_name(value, lang)
    if facet in _HEADINGS:
        label = _vocab_label(value, lang)
        if label is None and is_local(value):
            label = archive.catalog.heading_label(value)
        return label or value
    return value


def other_labels(text: str, lang: str = "en") -> list[str]:
    """When `text` names a vocabulary heading (in any language), its labels in the other
    languages, the reader's first (suggestions for a search that found nothing)."""
    concept = vocabulary().lookup(text.strip()) if text.strip() else None
    if concept is None:
        return []
    labels = [concept.labels.get(lang), *concept.labels.values(), concept.label]
    seen = {text.strip().casefold()}
    out = []
    for label in labels:
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            out.append(label)
    return out
