"""Speakers that a headline names: delegations (`…, as Israel, Iran, Syria, South Africa
Explain Votes`) and roles (`…, Says Permanent Representative`)."""

from __future__ import annotations

import re

from hexaglot.enrich.candidates import P, Reading, SpeakerMention, affiliation_kind

_ITEMS = re.compile(r"[ ]*+(?:,[ ]*+(?:and[ ]++)?|[ ]++and[ ]++)[ ]*+")


def headline_delegations(t: Reading, headline: str) -> list[SpeakerMention]:
    """The delegations a headline says explain their votes or positions, each a speaker
    when every item of the list is a State or organization the vocabulary knows."""
    out: list[SpeakerMention] = []
    for m in P["headline_list"].finditer(headline):
        items = _ITEMS.split(m.group("list"))
        found = [t.vocab.lookup(x) for x in items]
        if len(items) < 2 or not all(c and affiliation_kind(c.id) for c in found):
            continue
        for item, concept in zip(items, found, strict=True):
            at = t.text.find(item, 0, t.body_start)
            spans = [(at, at + len(item))] if at >= 0 else [(0, 0)]
            out.append(SpeakerMention(start=0, role="representative",
                                      affiliation_id=concept.id if concept else None,
                                      spans=spans))
        break
    return out


def headline_role(t: Reading, headline: str) -> list[SpeakerMention]:
    """The role a headline names when the body names no speaker."""
    m = P["headline_role"].search(headline)
    if m is None:
        return []
    role = m.group("a") or m.group("b")
    at = t.text.find(role, 0, t.body_start)
    return [SpeakerMention(start=0, role=role, spans=[(at, at + len(role))] if at >= 0
                           else [(0, 0)])]


def from_headline(t: Reading, headline: str,
                  speakers: list[SpeakerMention]) -> list[SpeakerMention]:
    """Speakers the headline adds: its delegations not already found when the body is cut
    off or names no one; its role when nothing else names a speaker."""
    if not headline or (speakers and t.fragment_start >= len(t.text)):
        return speakers
    have = {s.affiliation_id for s in speakers}
    more = [s for s in headline_delegations(t, headline) if s.affiliation_id not in have]
    if not speakers and not more:
        return headline_role(t, headline)
    return speakers + more
