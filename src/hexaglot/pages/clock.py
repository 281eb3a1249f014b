"""Clock times as press texts write them (`11:07 a.m.`, `1 p.m.`, `noon`) -> `HH:MM`."""

from __future__ import annotations

import re

_TIME = (
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>[ap])\.?\s*m\.?"
    r"|(?P<h24>\d{1,2})[:.](?P<m24>\d{2})(?!\s*[ap]\.?\s*m)"
    r"|(?P<word>12\s+noon|noon|midday|midnight))"
)
TIME_PATTERN = re.compile(_TIME, re.IGNORECASE)
MEETING_TIMES = re.compile(
    r"(?:meeting|session),?\s+(?:which\s+)?(?:began|started|opened|commenced|was called to order)"
    r"\s+at\s+"
    rf"(?P<began>{_TIME.replace('?P<', '?P<b_')})"
    r".{0,80}?\b(?:ended|adjourned|closed|concluded|rose)\s+at\s+"
    rf"(?P<ended>{_TIME.replace('?P<', '?P<e_')})",
    re.IGNORECASE | re.DOTALL,
)


def to_24h(text: str) -> str | None:
    """Convert one clock time to `HH:MM` (24 h); None when the text is not a time."""
    m = TIME_PATTERN.fullmatch(text.strip().rstrip(".").strip()) or TIME_PATTERN.search(text)
    if not m:
        return None
    if m.group("word"):
        return "00:00" if "midnight" in m.group("word").lower() else "12:00"
    if m.group("h24") is not None:
        h, mi = int(m.group("h24")), int(m.group("m24"))
    else:
        h, mi = int(m.group("h")), int(m.group("m") or 0)
        ap = m.group("ap").lower()
        if h == 12:
            h = 0
        if ap == "p":
            h += 12
    if h > 23 or mi > 59:
        return None
    return f"{h:02d}:{mi:02d}"


def meeting_times(text: str) -> tuple[str | None, str | None]:
    """Find `The meeting began at … and ended at …` and return (began, ended) as `HH:MM`."""
    m = MEETING_TIMES.search(text)
    if not m:
        return None, None
    return to_24h(m.group("began")), to_24h(m.group("ended"))
