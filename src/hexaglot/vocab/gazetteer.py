"""Find vocabulary forms in running text: a token dictionary with longest-match look-up.

One pass over the tokens of a text; at each token only the lengths of the forms that start
with that token are tried, longest first. Entities (States, organizations, regions, persons)
match case-sensitively; topic terms match case-insensitively."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from hexaglot.vocab.registry import Vocabulary, vocabulary

TOKEN = re.compile(r"\w+|[^\w\s]")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "‑": "-", "–": "-"})


@dataclass(frozen=True, slots=True)
class Mention:
    """A vocabulary form found in a text: character span, concept id and whether the form
    was an adjective (`Tajik`) rather than a name."""

    start: int
    end: int
    concept_id: str
    adjective: bool = False


def normalize(text: str) -> str:
    """Same-length normalization applied before matching (curly apostrophes, odd hyphens)."""
    return text.translate(_QUOTES)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN.findall(normalize(text)))


class Gazetteer:
    """A dictionary from token sequences to concepts with longest-match scanning."""

    def __init__(self, table: dict[tuple[str, ...], tuple[str, bool]], folded: bool) -> None:
        self.table = table
        self.folded = folded
        lengths: dict[str, set[int]] = {}
        for key in table:
            lengths.setdefault(key[0], set()).add(len(key))
        self.lengths = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def scan(self, text: str) -> list[Mention]:
        """All longest, non-overlapping mentions in `text` (already `normalize`d)."""
        spans = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        words = [w.casefold() if self.folded else w for _, _, w in spans]
        out: list[Mention] = []
        i, n = 0, len(words)
        while i < n:
            for length in self.lengths.get(words[i], ()):
                if i + length <= n and (key := tuple(words[i:i + length])) in self.table:
                    concept_id, adjective = self.table[key]
                    out.append(Mention(spans[i][0], spans[i + length - 1][1], concept_id,
                                       adjective))
                    i += length
                    break
            else:
                i += 1
        return out


def _build(vocab: Vocabulary, topical: bool) -> Gazetteer:
    table: dict[tuple[str, ...], tuple[str, bool]] = {}
    for concept in vocab.by_id.values():
        if (concept.kind == "topical") != topical:
            continue
        for form in concept.forms:
            if not topical and form.startswith(("the ", "The ")):
                form = form[4:]
            key = _tokens(form.casefold() if topical else form)
            if key:
                table.setdefault(key, (concept.id, False))
        for form in concept.adjectives:
            table.setdefault(_tokens(form), (concept.id, True))
    return Gazetteer(table, folded=topical)


@cache
def entity_gazetteer() -> Gazetteer:
    """States, regions, organizations and known persons (case-sensitive)."""
    return _build(vocabulary(), topical=False)


@cache
def topic_gazetteer() -> Gazetteer:
    """Topic terms (case-insensitive)."""
    return _build(vocabulary(), topical=True)
