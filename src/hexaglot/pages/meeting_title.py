"""Meeting facts from an asset title such as `… - Security Council, 8967th Meeting`."""

from __future__ import annotations

import re
from datetime import date

_MEETING = re.compile(
    r"(?:^|[-–—]\s*)(?P<body>[A-Z][^-–—,]*?),\s*(?P<num>\d{1,6})(?:st|nd|rd|th)\s+"
    r"(?:\w+\s+)?meeting\b",
    re.IGNORECASE,
)

#: Record (verbatim) symbol prefixes by body, where the symbol needs only the meeting number.
RECORD_SYMBOLS = {"security council": "S/PV.{number}"}


def record_symbol(body: str | None, number: int | None) -> str | None:
    """The verbatim record symbol (`S/PV.8967`) of a meeting, when it can be known."""
    if not body or number is None:
        return None
    pattern = RECORD_SYMBOLS.get(body.strip().lower())
    return pattern.format(number=number) if pattern else None


def meeting_from_title(
    title: str, recorded_on: date | None = None
) -> tuple[str | None, int | None, str | None]:
    """Return (body, number, record symbol) read from a title; Nones when it names no meeting."""
    matches = list(_MEETING.finditer(title))
    if not matches:
        return None, None, None
    m = matches[-1]
    body = m.group("body").strip()
    number = int(m.group("num"))
    return body, number, record_symbol(body, number)
