"""Meeting facts from a press summary: body, meeting number, symbols, date, times."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hexaglot.pages.clock import meeting_times
from hexaglot.pages.meeting_title import record_symbol
from hexaglot.pages.press_summary import BODY_NAMES, DATELINE, MONTHS, PressSummary, words

#: Release-symbol prefixes and the body whose meetings they cover.
SYMBOL_BODIES = {
    "SC": "Security Council", "GA": "General Assembly", "GA/DIS": "First Committee",
    "GA/EF": "Second Committee", "GA/SHC": "Third Committee", "GA/SPD": "Fourth Committee",
    "GA/AB": "Fifth Committee", "GA/L": "Sixth Committee", "ECOSOC": "Economic and Social Council",
    "HRC": "Human Rights Council", "PBC": "Peacebuilding Commission", "DC": "Disarmament Commission",
    "GA/COL": "Special Committee on Decolonization", "WOM": "Commission on the Status of Women",
    "SOC": "Commission for Social Development", "NGO": "Committee on Non-Governmental Organizations",
    "PI": "Committee on Information", "GA/PAL": "Committee on the Exercise of the Inalienable "
    "Rights of the Palestinian People",
}
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_BODY = re.compile(rf"(?<!Peace and )\b(?:{BODY_NAMES})\b", re.IGNORECASE)
_UNITS = {w: i for i, w in enumerate(
    words("zeroth first second third fourth fifth sixth seventh eighth ninth"))}
_UNITS_CARD = {w: i for i, w in enumerate(
    words("zero one two three four five six seven eight nine"))}
_TENS = {w: 10 * (i + 2) for i, w in enumerate(
    words("twent thirt fort fift sixt sevent eight ninet"))}


@dataclass
class MeetingFacts:
    """The facts of the meeting a text covers."""

    body: str | None = None
    meeting_number: int | None = None
    record_symbol: str | None = None
    press_symbol: str | None = None
    date: date | None = None
    began: str | None = None
    ended: str | None = None


def ordinal_number(word: str | None) -> int | None:
    """`Sixty-second` -> 62, `Seventieth` -> 70; None when it is no ordinal word."""
    if not word:
        return None
    w = word.lower()
    tens, _, unit = w.partition("-")
    for stem, value in _TENS.items():
        if tens.startswith(stem):
            if not unit:
                return value if tens.endswith(("ieth", "y")) else None
            return value + _UNITS[unit] if unit in _UNITS else None
    return _UNITS.get(w) or None


def body_of(summary: PressSummary) -> str | None:
    """The body whose meeting the text covers: from the release symbol, else the header
    lines, else the first body the headline or lead paragraph names."""
    if summary.press_symbol:
        prefix = summary.press_symbol.rsplit("/", 1)[0]
        if prefix in SYMBOL_BODIES:
            return SYMBOL_BODIES[prefix]
    bodies = [b for b in summary.header_bodies if b.lower() != "plenary"]
    committees = [b for b in bodies if b.lower().endswith("committee")]
    if committees or bodies:
        return _canonical((committees or bodies)[0])
    probe = " ".join(x for x in (summary.headline, summary.subheadline) if x)
    probe += "\n" + summary.body[:800]
    m = _BODY.search(probe)
    return _canonical(m.group()) if m else None


def _canonical(name: str) -> str:
    return " ".join(w.capitalize() if w.lower() != "and" else "and" for w in name.split())


def meeting_date(summary: PressSummary) -> date | None:
    """The release's own date: its dateline (`NEW YORK, 22 September (UN Headquarters) --`)
    with the year of the date line, else the date line (numeric dates day-first)."""
    m = DATELINE.search(summary.text, 0, min(len(summary.text), summary.body_start + 600))
    if m:
        month = MONTHS.index(m.group("month").lower()) + 1
        year = int(m.group("y")) if m.group("y") else None
        if year is None and summary.date_line:
            year = summary.date_line.year - (1 if month > summary.date_line.month else 0)
        if year is None and (y := _YEAR.search(summary.text, m.end())):
            year = int(y.group())
        if year:
            try:
                return date(year, month, int(m.group("d")))
            except ValueError:
                pass
    return summary.date_line


def meeting_facts(summary: PressSummary) -> MeetingFacts:
    """Everything the header and the closing times say about the meeting."""
    body = body_of(summary)
    began, ended = meeting_times(summary.text)
    session = ordinal_number(summary.session)
    return MeetingFacts(
        body=body, meeting_number=summary.meeting_number,
        record_symbol=record_symbol(body, summary.meeting_number, session),
        press_symbol=summary.press_symbol, date=meeting_date(summary), began=began, ended=ended,
    )
