"""One extraction: meeting facts, headline, speakers, subjects and resolutions of a text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hexaglot.enrich.evidence import PageOffsets, shift
from hexaglot.enrich.facts import MeetingFacts, meeting_facts
from hexaglot.enrich.resolutions import extract_resolutions
from hexaglot.enrich.speakers import extract_speakers
from hexaglot.enrich.subjects import evidence, extract_subjects
from hexaglot.pages.catalogue_page import CataloguePage, read_catalogue_page
from hexaglot.pages.detect import detect_format
from hexaglot.pages.errors import InputError
from hexaglot.pages.press_summary import PressSummary, read_press_summary
from hexaglot.vocab import entity_gazetteer, topic_gazetteer, unify_punctuation, vocabulary

#: The fields of an extraction, in the order `hexaglot extract --json` prints them.
FIELDS = ("body", "meeting_number", "record_symbol", "press_symbol", "date", "began", "ended",
          "headline", "speakers", "subjects", "resolutions")


@dataclass
class Extraction:
    """What Hexaglot drafts from one press summary or catalogue page."""

    body: str | None = None
    meeting_number: int | None = None
    record_symbol: str | None = None
    press_symbol: str | None = None
    date: str | None = None
    began: str | None = None
    ended: str | None = None
    headline: str | None = None
    speakers: list[dict[str, Any]] = field(default_factory=list)
    subjects: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    resolutions: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The extraction as JSON-ready data with exactly the documented field names."""
        return {name: getattr(self, name) for name in FIELDS}


def _analyse(summary: PressSummary, facts: MeetingFacts) -> Extraction:
    vocab = vocabulary()
    text = unify_punctuation(summary.text)
    masked = _mask_capitals(text)
    mentions = entity_gazetteer().scan(masked)
    topics = topic_gazetteer().scan(text)
    head = " ".join(x for x in (summary.headline, summary.subheadline) if x)
    speakers, used = extract_speakers(text, summary.body_start, mentions, vocab, head)
    rows = []
    for s in speakers:
        concept = vocab.get(s.affiliation_id) if s.affiliation_id else None
        rows.append({"name": s.name, "role": s.role,
                     "affiliation": concept.label if concept else None,
                     "affiliation_id": s.affiliation_id, "evidence": evidence(s.spans)})
    return Extraction(
        body=facts.body, meeting_number=facts.meeting_number, record_symbol=facts.record_symbol,
        press_symbol=facts.press_symbol, date=facts.date.isoformat() if facts.date else None,
        began=facts.began, ended=facts.ended, headline=summary.headline, speakers=rows,
        subjects=extract_subjects(text, mentions, topics, speakers, used, vocab),
        resolutions=[r.as_dict() for r in extract_resolutions(text)],
    )


def _mask_capitals(text: str) -> str:
    """Blank out all-capitals lines (old headlines) so that acronym forms such as `US` are
    not found in ordinary words; offsets are kept."""
    lines = text.split("\n")
    return "\n".join(" " * len(x) if len(x) > 30 and x.isupper() else x for x in lines)


def extract_press(text: str, source: str = "<text>") -> Extraction:
    """Extract from a press summary."""
    summary = read_press_summary(text, source)
    return _analyse(summary, meeting_facts(summary))


def extract_page(page: CataloguePage, source: str = "<text>",
                 text: str | None = None) -> Extraction:
    """Extract from a catalogue page: its title and date give the meeting facts, its press
    text (the description) the rest. With `text`, the page text it was read from, evidence
    offsets point into that text (else into the description)."""
    described = page.description or page.title
    summary = read_press_summary(described, source)
    facts = meeting_facts(summary)
    facts.body = page.meeting_body or facts.body
    facts.meeting_number = page.meeting_number or facts.meeting_number
    facts.record_symbol = page.record_symbol or facts.record_symbol
    facts.date = page.recorded_on or facts.date
    facts.began, facts.ended = page.began or facts.began, page.ended or facts.ended
    x = _analyse(summary, facts)
    if text is not None:
        offsets = PageOffsets(text, described)
        shift(x.speakers, offsets)
        shift(x.resolutions, offsets)
        for items in x.subjects.values():
            shift(items, offsets)
    return x


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Detect the format of `text` and extract from it (InputError when it is neither)."""
    if detect_format(text, source) == "catalogue-page":
        try:
            page = read_catalogue_page(text, source)
        except InputError:
            raise
        except (ValueError, IndexError) as exc:  # a page too garbled for the page reader
            raise InputError(source, f"malformed catalogue page ({exc})") from None
        return extract_page(page, source, text)
    return extract_press(text, source)
