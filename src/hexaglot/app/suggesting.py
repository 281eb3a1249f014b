"""Autocomplete over the vocabularies: headings whose label in any of the six languages
(or an alias, an acronym) begins with what the cataloguer typed."""

from __future__ import annotations

from typing import Any

from hexaglot.vocab import vocabulary

__all__ = ["suggest_headings"]


def suggest_headings(text: str, language: str = "en", limit: int = 10,
                     kind: str | None = None) -> list[dict[str, Any]]:
    """Up to `limit` headings for `text`: id, kind, the label in `language` and in English."""
    limit = max(1, min(limit, 50))
    out = []
    for concept in vocabulary().suggest(text[:200], limit, kind):
        out.append({"id": concept.id, "kind": concept.kind, "label": concept.label,
                    "shown": concept.labels.get(language) or concept.label})
    return out
