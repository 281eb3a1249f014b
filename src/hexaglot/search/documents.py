"""What each engine indexes for an asset and its transcript cues (engine-independent)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from hexaglot.domain import Asset, Segment, Subject
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.search.analysis import find_symbols, symbol_tokens, tokens

#: `visible_from` of an asset no anonymous user may ever see.
NEVER = date(9999, 12, 31).toordinal()
#: The language the record's own text fields are written in.
RECORD_LANGUAGE = "en"


@dataclass
class AssetDoc:
    """One asset as both engines index it: token streams per field, facet values, display."""

    asset_id: str
    fields: dict[str, list[str]]
    facets: dict[str, list[str]]
    date: int  # proleptic ordinal of recorded_on (0 when unknown)
    year: int | None
    visible_from: int
    display: dict[str, object]


@dataclass
class SegmentDoc:
    """One transcript cue as indexed."""

    asset_id: str
    seq: int
    language: str
    speaker: str | None
    start: float
    end: float
    text: str
    tokens: list[str]
    visible_from: int
    date: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def visible_from(asset: Asset) -> int:
    """The first day (ordinal) anonymous users may see the asset."""
    if asset.access == "public":
        return 0
    if asset.access.startswith("embargoed until "):
        try:
            return date.fromisoformat(asset.access.removeprefix("embargoed until ")).toordinal()
        except ValueError:
            return NEVER
    return NEVER


@lru_cache(maxsize=1)
def _vocabulary() -> object | None:
    try:
        from hexaglot.vocab import vocabulary
    except ImportError:  # vocabularies not installed with this build
        return None
    return vocabulary()


@lru_cache(maxsize=16_384)
def subject_aliases(subject_id: str) -> tuple[str, ...]:
    """Other searchable forms of a controlled subject (acronyms such as `OTSC`, former
    names) from the shipped vocabularies; none when the id is not in them."""
    vocab = _vocabulary()
    concept = vocab.get(subject_id) if vocab is not None else None  # type: ignore[attr-defined]
    return tuple(concept.aliases) if concept is not None else ()


def _labels(subject: Subject) -> Iterable[tuple[str, str | None]]:
    yield subject.label, RECORD_LANGUAGE
    for lang, label in subject.labels.items():
        yield label, lang
    for alias in subject_aliases(subject.id):
        yield alias, None


def _many(pairs: Iterable[tuple[str | None, str | None]]) -> list[str]:
    return [tok for text, lang in pairs for tok in tokens(text, lang)]


def _symbols(asset: Asset) -> list[str]:
    texts = [asset.meeting.record_symbol, asset.source, asset.title, asset.summary,
             asset.description]
    out: list[str] = []
    for text in texts:
        for symbol in find_symbols(text or ""):
            out.extend(symbol_tokens(symbol))
    if asset.meeting.record_symbol and "/" in asset.meeting.record_symbol:
        out.extend(symbol_tokens(asset.meeting.record_symbol))
    return out


def asset_doc(asset: Asset, segments: Sequence[Segment] = ()) -> AssetDoc:
    """Build the index document of an asset (its transcript words are part of its text)."""
    subjects = [s for kind in SUBJECT_KINDS for s in getattr(asset.subjects, kind)]
    speaker_text = [(s.name, None) for s in asset.speakers]
    speaker_text += [pair for s in asset.subjects.personal for pair in _labels(s)]
    country = [(s.affiliation, None) for s in asset.speakers]
    country += [pair for s in asset.subjects.geographic for pair in _labels(s)]
    subject = [pair for s in subjects for pair in _labels(s)]
    body = [(asset.meeting.body, RECORD_LANGUAGE)]
    own = [(asset.title, RECORD_LANGUAGE), (asset.summary, RECORD_LANGUAGE),
           (asset.description, RECORD_LANGUAGE), (asset.source, None),
           (str(asset.meeting.number) if asset.meeting.number else None, None)]
    own += [(getattr(t, f), lang) for lang, t in asset.translations.items()
            for f in ("title", "summary", "description")]
    own += [(s.role, RECORD_LANGUAGE) for s in asset.speakers]
    spoken = [(seg.text, seg.language) for seg in segments]
    symbols = _symbols(asset)
    fields = {"speaker": _many(speaker_text), "country": _many(country), "body": _many(body),
              "subject": _many(subject), "symbol": symbols}
    fields["text"] = (_many(own) + fields["body"] + fields["speaker"] + fields["country"]
                      + fields["subject"] + symbols + _many(spoken))
    facets = {
        "body": [asset.meeting.body] if asset.meeting.body else [],
        "kind": [asset.kind],
        "lang": list(dict.fromkeys(asset.available_languages)),
        "affiliation": list(dict.fromkeys(s.affiliation for s in asset.speakers if s.affiliation)),
    }
    for kind in SUBJECT_KINDS:
        facets[kind] = list(dict.fromkeys(s.label for s in getattr(asset.subjects, kind)))
    recorded = asset.recorded_on
    return AssetDoc(
        asset_id=asset.asset_id,
        fields=fields,
        facets=facets,
        date=recorded.toordinal() if recorded else 0,
        year=recorded.year if recorded else None,
        visible_from=visible_from(asset),
        display={"title": asset.title, "kind": asset.kind, "summary": asset.summary,
                 "description": asset.description,
                 "recorded_on": recorded.isoformat() if recorded else None,
                 "body": asset.meeting.body, "record_symbol": asset.meeting.record_symbol},
    )


def segment_docs(asset: Asset, segments: Sequence[Segment]) -> list[SegmentDoc]:
    """The index documents of an asset's transcript cues."""
    vis = visible_from(asset)
    day = asset.recorded_on.toordinal() if asset.recorded_on else 0
    return [
        SegmentDoc(asset_id=asset.asset_id, seq=i, language=seg.language, speaker=seg.speaker,
                   start=seg.start, end=seg.end, text=seg.text,
                   tokens=tokens(seg.text, seg.language), visible_from=vis, date=day)
        for i, seg in enumerate(segments)
    ]
