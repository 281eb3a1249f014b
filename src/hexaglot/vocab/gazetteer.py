"""Find vocabulary forms in running text with an Aho-Corasick automaton (pyahocorasick).

One pass of the automaton finds every occurrence of every form; occurrences that do not
start and end on word boundaries are dropped, and overlaps are resolved leftmost-longest.
Entities (States, organizations, regions, persons) match case-sensitively; topic terms
match on the lower-cased text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import ahocorasick

from hexaglot.vocab.registry import Vocabulary, vocabulary

_SAME_LENGTH = str.maketrans({"’": "'", "‘": "'", "‑": "-", "–": "-", "\n": " ", "\t": " ",
                              "\xa0": " ", "\r": " "})


@dataclass(frozen=True, slots=True)
class Mention:
    """A vocabulary form found in a text: character span, concept id and whether the form
    was an adjective (`Tajik`) rather than a name."""

    start: int
    end: int
    concept_id: str
    adjective: bool = False


def unify_punctuation(text: str) -> str:
    """Same-length normalization applied before matching (curly apostrophes, odd hyphens,
    no-break spaces); line ends stay."""
    return (text.replace("’", "'").replace("‘", "'").replace("‑", "-").replace("–", "-")
            .replace("\xa0", " "))


def _form(text: str) -> str:
    return " ".join(text.translate(_SAME_LENGTH).split())


class Gazetteer:
    """Forms of concepts, found leftmost-longest on word boundaries."""

    def __init__(self, table: dict[str, tuple[str, bool]], lower: bool) -> None:
        self.lower = lower
        self.automaton = ahocorasick.Automaton()
        for form, value in table.items():
            self.automaton.add_word(form, (len(form), *value))
        self.automaton.make_automaton()

    def scan(self, text: str) -> list[Mention]:
        """All leftmost-longest mentions in `text` (already through `unify_punctuation`)."""
        flat = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
        if self.lower:
            flat = flat.lower()
        n = len(flat)
        found = []
        for end, (length, concept_id, adjective) in self.automaton.iter(flat):
            start = end - length + 1
            if (start > 0 and flat[start - 1].isalnum() and flat[start].isalnum()) or (
                    end + 1 < n and flat[end + 1].isalnum() and flat[end].isalnum()):
                continue
            found.append((start, -length, concept_id, adjective))
        found.sort()
        out: list[Mention] = []
        last = -1
        for start, neg, concept_id, adjective in found:
            if start >= last:
                out.append(Mention(start, start - neg, concept_id, adjective))
                last = start - neg
        return out


def _build(vocab: Vocabulary, topical: bool) -> Gazetteer:
    table: dict[str, tuple[str, bool]] = {}
    for concept in vocab.by_id.values():
        if (concept.kind == "topical") != topical:
            continue
        for form in concept.forms:
            if not topical and form.startswith(("the ", "The ")):
                form = form[4:]
            key = _form(form.lower() if topical else form)
            if key:
                table.setdefault(key, (concept.id, False))
        for form in concept.adjectives:
            table.setdefault(_form(form), (concept.id, True))
    return Gazetteer(table, lower=topical)


@cache
def entity_gazetteer() -> Gazetteer:
    """States, regions, organizations and known persons (case-sensitive)."""
    return _build(vocabulary(), topical=False)


@cache
def topic_gazetteer() -> Gazetteer:
    """Topic terms (case-insensitive)."""
    return _build(vocabulary(), topical=True)
