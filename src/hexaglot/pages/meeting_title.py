"""Meeting facts from an asset title such as `… - Security Council, 8967th Meeting`."""

from __future__ import annotations

import re
from datetime import date

_MEETING = re.compile(
    r"(?:^|[-–—]\s*)(?P<body>[A-Z][^-–—,]*?),\s*(?P<num>\d{1,6})(?:st|nd|rd|th)\s+"
    r"(?:\w+\s+)?meeting\b",
    re.IGNORECASE,
)

_COMMITTEE_NUMBER = {"First": 1, "Second": 2, "Third": 3, "Fourth": 4, "Fifth": 5, "Sixth": 6}


def record_symbol(body: str | None, number: int | None, session: int | None = None) -> str | None:
    """The verbatim-record symbol of a meeting when it can be known: `S/PV.8967`; with the
    General Assembly session also `A/62/PV.79` and `A/C.3/72/SR.47` (Main Committees)."""
    if not body or number is None:
        return None
    body = " ".join(body.split())
    if body.casefold() == "security council":
        return f"S/PV.{number}"
    if session is None:
        return None
    if body.casefold() == "general assembly":
        return f"A/{session}/PV.{number}"
    first = body.split()[0].capitalize()
    if body.casefold().endswith("committee") and first in _COMMITTEE_NUMBER:
        return f"A/C.{_COMMITTEE_NUMBER[first]}/{session}/SR.{number}"
    return None


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
