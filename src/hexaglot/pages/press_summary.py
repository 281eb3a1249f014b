"""Reader for UN-style press summaries (meetings coverage and press releases).

A press summary opens with a few header lines in any order — the meeting (`9095th Meeting
(PM)`), the release symbol (`SC/14973`), a date line, the session (`Sixty-sixth General
Assembly`, `Plenary`), the body — then the headline, an optional sub-headline, and the
body text. Any of the header lines may be missing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from hexaglot.pages.errors import InputError


def words(text: str) -> list[str]:
    """The whitespace-separated words of a text."""
    return text.split()


MONTHS = words("january february march april may june july august september october november "
          "december")
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"

MEETING_LINE = re.compile(
    r"^\s*(?P<num>\d{1,5})(?:st|nd|rd|th)\s*(?P<multi>(?:\s*(?:&|and|,)\s*\d{1,5}(?:st|nd|rd|th))+)?"
    r"\s*Meetings?\b\**\s*(?:\(|$)", re.IGNORECASE)
SYMBOL_LINE = re.compile(
    r"^\s*(?:Press Release\s+)?(?:Security Council|General Assembly|Economic and Social Council"
    r"|Human Rights Council|Meetings Coverage)?"
    r"\s*(?P<symbol>(?:[A-Z]{1,8}/){1,3}\d{1,6}(?:/Rev\.\d+)?)(?=$|[\s|*-])")
DATE_LINE = re.compile(
    r"^\s*(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
    rf"(?:(?P<d>\d{{1,2}})\s+(?P<month>{_MONTH}),?\s+(?P<y>\d{{4}})"
    rf"|(?P<month2>{_MONTH})\s+(?P<d2>\d{{1,2}}),\s+(?P<y2>\d{{4}})"
    r"|(?P<nd>\d{1,2})/(?P<nm>\d{1,2})/(?P<ny>\d{4}))\s*$")
DATELINE = re.compile(
    rf"^[A-Z][A-Z .'-]{{1,40}},\s+(?P<d>\d{{1,2}})\s+(?P<month>{_MONTH})(?:,?\s+(?P<y>\d{{4}}))?"
    r"\s*(?:\([^)\n]{0,60}\))?\s*(?:--|[-–—])", re.MULTILINE)
SESSION_LINE = re.compile(
    r"^\s*(?P<ord>[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?)\s+(?:(?:General Assembly)|(?:[Ss]ession)),?\s*$")
BODY_NAMES = (r"Security Council|General Assembly|Economic and Social Council|Human Rights Council"
              r"|Trusteeship Council|Peacebuilding Commission|Disarmament Commission"
              r"|(?:First|Second|Third|Fourth|Fifth|Sixth) Committee")
BODY_LINE = re.compile(rf"^\s*(?:{BODY_NAMES}|Plenary)\s*$", re.IGNORECASE)
_ORDINAL = re.compile(r"\b\d{1,5}(?:st|nd|rd|th)\b")
_CHROME = re.compile(
    r"^\s*(?:[|\s]*$|Department of Public Information|Meetings Coverage|For information media"
    r"|\*[\s*]*$|Press Release\b|(?:[A-Z]{2,8}/)+\d+\s*\|?\s*$)", re.IGNORECASE)
_MID_SENTENCE = re.compile(r"[a-z)][.!?][\"”’]?\s+[A-Z“\"]")
_TERMINAL = re.compile(r"[.:!?]['\"”’)\]]*\s*$")


@dataclass
class PressSummary:
    """What the header, headline and body of a press summary say."""

    text: str
    meeting_number: int | None = None
    meetings_header: str | None = None
    press_symbol: str | None = None
    date_line: date | None = None
    session: str | None = None
    header_bodies: tuple[str, ...] = ()
    headline: str | None = None
    subheadline: str | None = None
    body_start: int = 0

    @property
    def body(self) -> str:
        """The text after the headline block."""
        return self.text[self.body_start:]


def parse_date_line(line: str) -> date | None:
    """A date line (`28 October 2013`, `21/06/2002` day-first, `June 4, 2020`) as a date."""
    m = DATE_LINE.match(line)
    if not m:
        return None
    try:
        if m.group("month"):
            return date(int(m.group("y")), MONTHS.index(m.group("month").lower()) + 1,
                        int(m.group("d")))
        if m.group("month2"):
            return date(int(m.group("y2")), MONTHS.index(m.group("month2").lower()) + 1,
                        int(m.group("d2")))
        return date(int(m.group("ny")), int(m.group("nm")), int(m.group("nd")))
    except ValueError:
        return None


def _is_header(line: str, summary: PressSummary) -> bool:
    """Classify one header line, recording what it says; False for other lines."""
    if m := MEETING_LINE.match(line):
        if summary.meetings_header is None:
            summary.meetings_header = line.strip()
            # `62nd & 63rd Meetings`, `7349th Meeting (AM) & 7350th Meeting (PM)`: no one number
            several = m.group("multi") or _ORDINAL.search(line, m.end("num") + 2)
            summary.meeting_number = None if several else int(m.group("num"))
        return True
    if m := SYMBOL_LINE.match(line):
        summary.press_symbol = summary.press_symbol or m.group("symbol")
        rest = line[m.end():].strip(" |*\t")
        if rest and (day := parse_date_line(rest)) is not None:
            summary.date_line = summary.date_line or day
        return True
    if (day := parse_date_line(line)) is not None:
        summary.date_line = summary.date_line or day
        return True
    if m := SESSION_LINE.match(line):
        summary.session = summary.session or m.group("ord")
        if "Assembly" in line:
            summary.header_bodies += ("General Assembly",)
        return True
    if BODY_LINE.match(line):
        summary.header_bodies += (line.strip(),)
        return True
    return bool(_CHROME.match(line))


def _same(a: str, b: str) -> bool:
    fa, fb = " ".join(a.casefold().split()), " ".join(b.casefold().split())
    return bool(fa) and (fa in fb or fb in fa)


def read_press_summary(text: str, source: str = "<text>") -> PressSummary:
    """Split a press summary into header facts, headline, sub-headline and body."""
    summary = PressSummary(text=text)
    offset = 0
    head_parts: list[str] = []
    sub_parts: list[str] = []
    body_start = None
    for line in text.split("\n"):
        start, offset = offset, offset + len(line) + 1
        if not line.strip() or _is_header(line, summary):
            continue
        words = len(line.split())
        if not head_parts:
            head_parts.append(line.strip())
            continue
        if words < 20 and not _TERMINAL.search(line) and not _MID_SENTENCE.search(line):
            if _same(line, " ".join(head_parts)):
                continue
            if not sub_parts and _continues(head_parts[-1], line):
                head_parts.append(line.strip())
            else:
                sub_parts.append(line.strip())
            continue
        body_start = start
        break
    if not head_parts:
        raise InputError(source, "no headline or body text")
    summary.headline = " ".join(head_parts)
    summary.subheadline = " ".join(sub_parts) or None
    summary.body_start = body_start if body_start is not None else len(text)
    return summary


_CONNECTORS = frozenset(words("of on in to for and against with by from at the a an as into"))


def _continues(previous: str, line: str) -> bool:
    """True when `line` carries on the headline line before it (split mid-phrase)."""
    last = previous.rstrip().rsplit(" ", 1)[-1]
    return previous.rstrip().endswith(",") or last.lower() in _CONNECTORS or line[:1].islower()


def looks_like_press_summary(text: str) -> bool:
    """True when the text has a press summary's header lines or speaks of a UN body."""
    head = text[:4000]
    lines = head.split("\n")[:40]
    if any(MEETING_LINE.match(x) or SYMBOL_LINE.match(x) for x in lines):
        return True
    if "Department of Public Information" in head or "Meetings Coverage" in head:
        return True
    words = len(head.split())
    return words >= 25 and re.search(rf"\b(?:{BODY_NAMES})\b", head) is not None
