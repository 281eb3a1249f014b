"""Subject headings by kind from the mentions in a text and its speakers."""

from __future__ import annotations

import re

from hexaglot.enrich.speakers import SpeakerMention
from hexaglot.vocab import Mention, Vocabulary

_LIST_GAP = re.compile(r"[ ]*+(?:,|;|,?[ ]*+and|,?[ ]*+as well as|,?[ ]*+or)[ ]*+(?:the[ ]++)?")
#: The longest gap between two items of a list (`, and the `).
_GAP = 24
_VOTE_WORDS = re.compile(r"(?:against|abstentions?|abstention|favou?r)[ ]*$")
KINDS = ("personal", "corporate", "geographic", "topical")


def _kind(concept_id: str) -> str:
    if concept_id.startswith("org:"):
        return "corporate"
    if concept_id.startswith("topic:"):
        return "topical"
    if concept_id.startswith("person:"):
        return "personal"
    return "geographic"


def _enumerated(text: str, mentions: list[Mention]) -> set[int]:
    """Starts of geographic mentions that are items of a list of three or more (`signed by
    Armenia, Azerbaijan, Belarus …`) or of a vote's parenthesis: a list, not a subject."""
    out: set[int] = set()
    run: list[Mention] = []
    for m in mentions:
        if run and m.start - run[-1].end <= _GAP and _LIST_GAP.fullmatch(
                text, run[-1].end, m.start):
            run.append(m)
            continue
        if len(run) >= 3:
            out.update(x.start for x in run)
        run = [m]
    if len(run) >= 3:
        out.update(x.start for x in run)
    for m in mentions:
        opening = text.rfind("(", max(0, m.start - 300), m.start)
        if (opening >= 0 and ")" not in text[opening:m.start]
                and _VOTE_WORDS.search(text, max(0, opening - 25), opening)):
            out.add(m.start)
    return out


def extract_subjects(text: str, mentions: list[Mention], topics: list[Mention],
                     speakers: list[SpeakerMention], speaker_spans: set[int],
                     vocab: Vocabulary) -> dict[str, list[dict]]:
    """Subjects by kind, in order of first mention, each `{id, label, labels, evidence}`
    (`evidence`: the spans of every mention kept, offsets into `text`)."""
    out: dict[str, dict[str, dict]] = {k: {} for k in KINDS}
    spans: dict[str, list[tuple[int, int]]] = {}
    for s in speakers:
        if s.name and len(s.name.split()) >= 2:
            concept = vocab.person(s.name)
            out["personal"].setdefault(concept.id, concept.subject())
            spans.setdefault(concept.id, []).extend(
                span for span in s.spans if text[span[0]:span[1]] in s.name)
    geographic = [m for m in mentions if _kind(m.concept_id) == "geographic"]
    listed = _enumerated(text, geographic)
    for m in sorted([*mentions, *topics], key=lambda x: x.start):
        kind = _kind(m.concept_id)
        if kind == "geographic" and (m.start in listed or m.start in speaker_spans):
            continue
        if m.concept_id not in out[kind]:
            known = vocab.get(m.concept_id)
            if known is None:
                continue
            out[kind][m.concept_id] = known.subject()
        spans.setdefault(m.concept_id, []).append((m.start, m.end))
    return {k: [{**item, "evidence": evidence(spans.get(cid, []))} for cid, item in v.items()]
            for k, v in out.items()}


def evidence(spans: list[tuple[int, int]]) -> list[dict[str, int]]:
    """`[{start, end}]` of the non-empty spans, in text order, each once."""
    return [{"start": a, "end": b} for a, b in sorted(set(spans)) if b > a]
