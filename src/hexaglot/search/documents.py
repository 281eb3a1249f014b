"""What each engine indexes for an asset and its transcript cues (engine-independent)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from hexaglot.domain import Asset, Audience, Segment, Subject, Visibility
from hexaglot.domain.facets import FACETS
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.search.analysis import find_symbols, symbol_tokens, tokens

#: The language the record's own text fields are written in.
RECORD_LANGUAGE = "en"


@dataclass
class AssetDoc:
    """One asset as both engines index it: token streams per field, facet values, display."""

    asset_id: str
    fields: dict[str, list[str]]
    facets: dict[str, list[str]]  # text facets; numeric ones are in `numbers`
    numbers: dict[str, int | None]
    date: int  # proleptic ordinal of recorded_on (0 when unknown)
    audience: int
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
    audience: int = 0
    extra: dict[str, object] = field(default_factory=dict)


def visibility(asset: Asset) -> tuple[int, int]:
    """The asset's effective visibility as the index stores it: (audience, first day
    non-staff may see it as an ordinal, 0 when there is no embargo). An asset not read
    from the catalogue has no parent chain applied: its own visibility is used."""
    vis: Visibility = asset.visibility or asset.own_visibility()
    return int(vis.audience), vis.visible_from.toordinal() if vis.visible_from else 0


def visible_filter(audience: Audience) -> tuple[int, int] | None:
    """What a viewer may see as bounds on the indexed fields: (highest audience, latest
    `visible_from` ordinal); None for staff, who see everything."""
    if audience >= Audience.STAFF:
        return None
    return int(audience), date.today().toordinal()


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


def _id_labels(concept_id: str) -> Iterable[tuple[str, str | None]]:
    """Every searchable form of a vocabulary concept (an affiliation's six labels, ...)."""
    vocab = _vocabulary()
    concept = vocab.get(concept_id) if vocab is not None else None  # type: ignore[attr-defined]
    if concept is None:
        return
    for lang, label in concept.labels.items():
        yield label, lang
    for alias in concept.aliases:
        yield alias, None


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


def cue_tokens(segments: Sequence[Segment]) -> list[list[str]]:
    """Index tokens of each transcript cue (computed once, shared by both documents)."""
    return [tokens(seg.text, seg.language) for seg in segments]


def asset_doc(asset: Asset, segments: Sequence[Segment] = (),
              spoken: list[list[str]] | None = None) -> AssetDoc:
    """Build the index document of an asset (its transcript words are part of its text;
    `spoken`: the cues' tokens when already computed by `cue_tokens`)."""
    subjects = [s for kind in SUBJECT_KINDS for s in getattr(asset.subjects, kind)]
    speaker_text: list[tuple[str | None, str | None]] = [(s.name, None) for s in asset.speakers]
    speaker_text += [pair for s in asset.subjects.personal for pair in _labels(s)]
    affiliation: list[tuple[str | None, str | None]] = [(s.affiliation, None)
                                                        for s in asset.speakers]
    affiliation += [pair for s in asset.speakers if s.affiliation_id
                    for pair in _id_labels(s.affiliation_id)]
    affiliation += [pair for s in asset.subjects.geographic for pair in _labels(s)]
    subject = [pair for s in subjects for pair in _labels(s)]
    body = [(asset.meeting.body, RECORD_LANGUAGE)]
    own = [(asset.title, RECORD_LANGUAGE), (asset.summary, RECORD_LANGUAGE),
           (asset.description, RECORD_LANGUAGE), (asset.source, None),
           (str(asset.meeting.number) if asset.meeting.number else None, None)]
    own += [(getattr(t, f), lang) for lang, t in asset.translations.items()
            for f in ("title", "summary", "description")]
    own += [(s.role, RECORD_LANGUAGE) for s in asset.speakers]
    if spoken is None:
        spoken = cue_tokens(segments)
    symbols = _symbols(asset)
    fields = {"speaker": _many(speaker_text), "affiliation": _many(affiliation),
              "body": _many(body), "subject": _many(subject), "symbol": symbols}
    fields["text"] = (_many(own) + fields["body"] + fields["speaker"] + fields["affiliation"]
                      + fields["subject"] + symbols + [t for toks in spoken for t in toks])
    facets = {f.name: f.values(asset) for f in FACETS if not f.numeric}
    numbers = {f.name: (int(v[0]) if (v := f.values(asset)) else None)
               for f in FACETS if f.numeric}
    recorded = asset.recorded_on
    audience, first_day = visibility(asset)
    return AssetDoc(
        asset_id=asset.asset_id,
        fields=fields,
        facets=facets,
        numbers=numbers,
        date=recorded.toordinal() if recorded else 0,
        audience=audience,
        visible_from=first_day,
        display={"title": asset.title, "kind": asset.kind, "summary": asset.summary,
                 "description": asset.description,
                 "recorded_on": recorded.isoformat() if recorded else None,
                 "body": asset.meeting.body, "record_symbol": asset.meeting.record_symbol},
    )


def segment_docs(asset: Asset, segments: Sequence[Segment],
                 spoken: list[list[str]] | None = None) -> list[SegmentDoc]:
    """The index documents of an asset's transcript cues (`spoken`: see `asset_doc`)."""
    if spoken is None:
        spoken = cue_tokens(segments)
    audience, first_day = visibility(asset)
    day = asset.recorded_on.toordinal() if asset.recorded_on else 0
    return [
        SegmentDoc(asset_id=asset.asset_id, seq=i, language=seg.language, speaker=seg.speaker,
                   start=seg.start, end=seg.end, text=seg.text, tokens=toks,
                   visible_from=first_day, date=day, audience=audience)
        for i, (seg, toks) in enumerate(zip(segments, spoken, strict=True))
    ]
