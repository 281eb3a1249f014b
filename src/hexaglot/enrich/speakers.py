"""Ordered speakers of a meeting from its press summary.

Candidates come from the phrase families of `data/phrases.yaml` (named persons with role or
country, delegates named by their State, possessives and attributives, closing lists,
officials by title), found by `candidates`; they are then sorted by position, merged (the
same person or delegation mentioned twice is one speaker, every mention kept as evidence)
and resolved against the vocabulary."""

from __future__ import annotations

from hexaglot.enrich import candidates as c
from hexaglot.enrich.candidates import Reading, SpeakerMention
from hexaglot.enrich.lists import from_headline
from hexaglot.vocab import Mention, Vocabulary

__all__ = ["SpeakerMention", "extract_speakers"]


def _title(s: SpeakerMention) -> str:
    return (s.role or "").split(" for ")[0].split(" of ")[0].casefold()


class _Merged:
    """Speakers found so far, indexed so that each candidate is placed in constant time
    (by surname, by affiliation, and officials without either by title)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.out: list[SpeakerMention] = []
        self.order: dict[int, int] = {}
        self.by_surname: dict[str, SpeakerMention] = {}
        self.by_name_word: dict[str, SpeakerMention] = {}
        self.by_affiliation: dict[str, SpeakerMention] = {}
        self.unnamed_by_title: dict[str, SpeakerMention] = {}
        self.named_by_prefix: dict[str, SpeakerMention] = {}
        self.first_unnamed: SpeakerMention | None = None
        self.first_roleless: SpeakerMention | None = None

    def _earliest(self, found: list[SpeakerMention | None]) -> SpeakerMention | None:
        hits = [s for s in found if s is not None]
        return min(hits, key=lambda s: self.order[id(s)]) if hits else None

    def find(self, m: SpeakerMention) -> SpeakerMention | None:
        if m.name and (hit := self.by_surname.get(m.surname() or "")):
            return hit
        if m.name and " " not in m.name and (hit := self.by_name_word.get(m.name.casefold())):
            return hit  # `Mr. Ban` after `Ban Ki-moon`, `Ms. Espinosa` after `… Espinosa Garcés`
        if m.affiliation_id:
            hit = self.by_affiliation.get(m.affiliation_id)
            return hit if hit and not (hit.name and m.name) else None
        title = _title(m)
        if m.name:  # a named briefer: the official introduced before by title alone
            if m.role is None:
                return self.first_unnamed
            return self._earliest([self.unnamed_by_title.get(title[:i])
                                   for i in range(1, len(title) + 1)])
        return self._earliest([self.unnamed_by_title.get(title), self.first_roleless,
                               self.named_by_prefix.get(title)])

    def add(self, m: SpeakerMention) -> None:
        same = self.find(m)
        last = self.out[-1] if self.out else None
        if same is None and last is not None and _apposed(last, m, self.text):
            same = last
        if same is None:
            self.out.append(m)
            self.order[id(m)] = len(self.out)
            same = m
        else:
            name = same.name if same.name and len(same.name) >= len(m.name or "") else m.name
            same.name, same.role = name, same.role or m.role
            same.affiliation_id = same.affiliation_id or m.affiliation_id
            same.spans.extend(m.spans)
        self._index(same)

    def _index(self, s: SpeakerMention) -> None:
        if s.name:
            self.by_surname.setdefault(s.surname() or "", s)
            for word in s.name.split()[:-1]:
                if len(word) > 2 and word[0].isupper() and not word.endswith("."):
                    self.by_name_word.setdefault(word.casefold(), s)
        if s.affiliation_id:
            self.by_affiliation.setdefault(s.affiliation_id, s)
            return
        title = _title(s)
        if s.name is None:
            self.unnamed_by_title.setdefault(title, s)
            self.first_unnamed = self.first_unnamed or s
        elif s.role is None:
            self.first_roleless = self.first_roleless or s
        else:
            for i in range(1, len(title) + 1):
                self.named_by_prefix.setdefault(title[:i], s)


def _apposed(a: SpeakerMention, b: SpeakerMention, text: str) -> bool:
    """`Kenya's Foreign Minister, NAME, said`: a name in apposition to an unnamed delegate."""
    return (a.name is None and a.affiliation_id is not None and b.name is not None
            and b.affiliation_id in (None, a.affiliation_id)
            and text[a.end:b.start] in (", ", ","))


def merge(found: list[SpeakerMention], text: str) -> list[SpeakerMention]:
    """One speaker per person or delegation, at its first mention, with every mention's
    span kept (each candidate placed through indexes, never compared pairwise)."""
    merged = _Merged(text)
    for m in sorted(found, key=lambda s: s.start):
        merged.add(m)
    return merged.out


def extract_speakers(text: str, body_start: int, mentions: list[Mention], vocab: Vocabulary,
                     headline: str = "") -> tuple[list[SpeakerMention], set[int]]:
    """Speakers in order of first mention (when the body names none, the delegations or the
    role a headline names: `…, as Israel, Iran Explain Votes`, `…, Says Permanent
    Representative`), and the starts of the mentions that name a delegation (so that they
    are not also taken as geographic subjects)."""
    t = Reading(text, body_start, mentions, vocab)
    speakers = merge(c.named(t) + c.delegates(t) + c.officials(t), text)
    return from_headline(t, headline, speakers), t.used
