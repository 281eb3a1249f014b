"""Merge an extraction into a catalogue record without overriding the cataloguer.

Extracted speakers and subjects are stored as suggestions (`status="suggested"`). What a
cataloguer confirmed or edited stays: a list of speakers with any confirmed entry is the
cataloguer's and is left alone, and so is the list of subjects of a kind with any confirmed
heading; elsewhere earlier suggestions are replaced by the new ones. Scalar fields (title, date, meeting facts, description, source) are only
filled when empty; a disagreement with a value already there is reported by `conflicts`,
never applied."""

from __future__ import annotations

from datetime import date

from hexaglot.domain import Asset, Speaker, Subject
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.enrich.extract import Extraction


def conflicts(asset: Asset, x: Extraction) -> list[str]:
    """Fields where the extraction disagrees with the record (the record wins)."""
    out = []
    m = asset.meeting
    pairs = [("date", asset.recorded_on.isoformat() if asset.recorded_on else None, x.date),
             ("body", m.body, x.body), ("meeting_number", m.number, x.meeting_number),
             ("began", m.began, x.began), ("ended", m.ended, x.ended)]
    for name, have, got in pairs:
        if have is not None and got is not None and str(have).casefold() != str(got).casefold():
            out.append(f"{name} is {have} in the catalogue but {got} in the text (kept {have})")
    return out


def _speakers(asset: Asset, x: Extraction) -> list[Speaker]:
    if any(s.status == "confirmed" for s in asset.speakers):
        return asset.speakers
    return [Speaker(name=s["name"], role=s["role"], affiliation=s["affiliation"],
                    affiliation_id=s["affiliation_id"], status="suggested") for s in x.speakers]


def _subjects(current: list[Subject], extracted: list[dict]) -> list[Subject]:
    if any(s.status == "confirmed" for s in current):
        return current
    kept: list[Subject] = []
    known: set[str] = set()
    for item in extracted:
        if item["id"] in known or item["label"].casefold() in known:
            continue
        kept.append(Subject(id=item["id"], label=item["label"], labels=dict(item["labels"]),
                            status="suggested"))
        known.add(item["id"])
    return kept


def apply_extraction(asset: Asset, x: Extraction, description: str | None = None,
                     source: str | None = None) -> Asset:
    """A copy of `asset` with the extraction merged in (see the module docstring)."""
    out = asset.model_copy(deep=True)
    m = out.meeting
    m.body = m.body or x.body
    m.number = m.number if m.number is not None else x.meeting_number
    m.record_symbol = m.record_symbol or x.record_symbol
    m.began, m.ended = m.began or x.began, m.ended or x.ended
    if out.recorded_on is None and x.date:
        out.recorded_on = date.fromisoformat(x.date)
    out.description = out.description or description
    out.source = out.source or source or x.press_symbol
    out.speakers = _speakers(out, x)
    for kind in SUBJECT_KINDS:
        setattr(out.subjects, kind, _subjects(getattr(out.subjects, kind),
                                              x.subjects.get(kind, [])))
    return out


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def title_for(x: Extraction) -> str:
    """A catalogue title for a meeting known only from its press summary:
    `HEADLINE - Security Council, 9095th Meeting`."""
    parts = [x.headline or "Press summary"]
    if x.body and x.meeting_number is not None:
        parts.append(f"{x.body}, {_ordinal(x.meeting_number)} Meeting")
    elif x.body:
        parts.append(x.body)
    return " - ".join(parts)
