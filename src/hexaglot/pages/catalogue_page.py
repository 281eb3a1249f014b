"""Reader for catalogue pages in the format of the seed page (`catalogue-page-sc8967.txt`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from hexaglot.domain.languages import OFFICIAL_LANGUAGES, SIX_OFFICIAL, language_code, ordered
from hexaglot.domain.records import ASSET_ID_FORM, check_asset_id
from hexaglot.pages.clock import meeting_times
from hexaglot.pages.errors import InputError
from hexaglot.pages.meeting_title import meeting_from_title

_PREVIEW = re.compile(r"^Preview Language:\s*(?P<value>.*)$", re.IGNORECASE)
_LANGS = re.compile(r"^Available Languages?:\s*(?P<value>.*)$", re.IGNORECASE)
_DATE_LINE = re.compile(r"^\d{1,2}-[A-Za-z]{3,9}-\d{2,4}\b")
_DATE_DURATION = re.compile(
    r"^(?P<date>\d{1,2}-[A-Za-z]{3}-\d{4})(?:\s+(?P<h>\d{1,3}):(?P<m>\d{2}):(?P<s>\d{2}))?\s*$"
)
_FURTHER = re.compile(r"^For further details,? please see SOURCE below\.?$", re.IGNORECASE)
#: Trailing labels, each maps to the field it fills.
_LABELS = {
    "personal subjects": "personal",
    "corporate subjects": "corporate",
    "geographic subjects": "geographic",
    "topical subjects": "topical",
    "subjects": "topical",
    "parent id": "parent_id",
    "asset id": "asset_id",
    "source": "source",
}
#: Labels that may also begin a line of body text: trusted only after the SOURCE note.
_LOOSE_LABELS = {"source", "subjects"}
_LABEL = re.compile(
    r"^(?P<label>" + "|".join(re.escape(k) for k in sorted(_LABELS, key=len, reverse=True))
    + r")\b\s*:?\s*(?P<value>.*)$",
    re.IGNORECASE,
)


@dataclass
class CataloguePage:
    """Everything a catalogue page says, as read (before it becomes an Asset)."""

    title: str
    recorded_on: date | None = None
    duration_seconds: int | None = None
    preview_language: str | None = None
    summary: str | None = None
    available_languages: list[str] = field(default_factory=list)
    headline: str | None = None
    body_text: str | None = None
    meeting_body: str | None = None
    meeting_number: int | None = None
    record_symbol: str | None = None
    began: str | None = None
    ended: str | None = None
    subjects: dict[str, list[str]] = field(default_factory=dict)
    parent_id: str | None = None
    asset_id: str | None = None
    source: str | None = None

    @property
    def description(self) -> str | None:
        """The press headline and body, as the catalogue's description."""
        parts = [p for p in (self.headline, self.body_text) if p]
        return "\n\n".join(parts) or None


def looks_like_catalogue_page(text: str) -> bool:
    """True when the text has the catalogue page's labels (cheap format detection)."""
    head = text[:3000]
    return bool(
        re.search(r"^Preview Language:", head, re.MULTILINE | re.IGNORECASE)
        or re.search(r"^Available Languages?:", head, re.MULTILINE | re.IGNORECASE)
    )


def _parse_date_line(line: str, source: str) -> tuple[date, int | None]:
    m = _DATE_DURATION.match(line)
    if not m:
        raise InputError(source, f"malformed date and duration line {line!r} (want 16-Feb-2022 02:42:43)")
    try:
        day = datetime.strptime(m.group("date"), "%d-%b-%Y").date()
    except ValueError:
        raise InputError(source, f"malformed date {m.group('date')!r} (want DD-Mon-YYYY)") from None
    if m.group("h") is None:
        return day, None
    h, mi, s = int(m.group("h")), int(m.group("m")), int(m.group("s"))
    if mi > 59 or s > 59:
        raise InputError(source, f"malformed duration in {line!r} (minutes and seconds must be < 60)")
    return day, h * 3600 + mi * 60 + s


def _languages(value: str, source: str) -> list[str]:
    codes: list[str] = []
    for name in (n.strip() for n in value.split(",")):
        if not name:
            continue
        if name.casefold() == SIX_OFFICIAL.casefold():
            codes.extend(OFFICIAL_LANGUAGES)
            continue
        code = language_code(name)
        if code is None:
            raise InputError(source, f"unknown language {name!r} in Available Languages")
        codes.append(code)
    return ordered(codes)


def _is_language_label(line: str) -> bool:
    return line.casefold() == SIX_OFFICIAL.casefold() or language_code(line) is not None


def _split_trailer(lines: list[str], page: CataloguePage, source: str) -> list[str]:
    """Read the trailing labels (`Personal Subjects`, `Parent ID`, `Asset ID`, …) off the end
    of the page; return the lines before them."""
    further = next((i for i, line in enumerate(lines) if _FURTHER.match(line)), None)
    first = len(lines)
    for i in range(further + 1 if further is not None else 0, len(lines)):
        m = _LABEL.match(lines[i])
        if m and (further is not None or m.group("label").lower() not in _LOOSE_LABELS):
            first = i
            break
    current: str | None = None
    for line in lines[first:]:
        m = _LABEL.match(line)
        if m:
            current = _LABELS[m.group("label").lower()]
            line = m.group("value")
        if current and line.strip():
            _store(page, current, line.strip(), source)
    return lines[:first]


def _store(page: CataloguePage, key: str, value: str, source: str) -> None:
    if key in ("parent_id", "asset_id"):
        try:
            setattr(page, key, check_asset_id(value))
        except ValueError:
            label = "Parent ID" if key == "parent_id" else "Asset ID"
            shown = value if len(value) <= 80 else value[:80] + "…"
            raise InputError(source, f"{label} {shown!r} is not an asset id (want "
                             f"{ASSET_ID_FORM})") from None
    elif key == "source":
        page.source = value
    else:  # `;`-separated headings (split without a regex: runs of spaces stay linear)
        page.subjects.setdefault(key, []).extend(
            " ".join(v.split()) for v in value.split(";") if v.strip()
        )


def read_catalogue_page(text: str, source: str = "<text>") -> CataloguePage:
    """Parse a catalogue page; raise InputError naming `source` when it is not one."""
    lines = [line.strip() for line in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    if not looks_like_catalogue_page(text):
        raise InputError(source, "not a catalogue page (no 'Preview Language:' or 'Available Languages:' line)")
    i = next(n for n, line in enumerate(lines) if line)  # the text is not blank: read_text checked
    title = lines[i]
    if _PREVIEW.match(title) or _LANGS.match(title) or _LABEL.match(title):
        raise InputError(source, "not a catalogue page (the first line must be the title)")
    page = CataloguePage(title=title)
    body = _split_trailer(lines, page, source)
    i += 1
    rest: list[str] = []
    seen_formats = False
    for line in body[i:]:
        if not seen_formats:
            if m := _PREVIEW.match(line):
                page.preview_language = m.group("value").strip() or None
            elif m := _LANGS.match(line):
                page.available_languages = _languages(m.group("value"), source)
            elif _DATE_LINE.match(line) and page.recorded_on is None:
                page.recorded_on, page.duration_seconds = _parse_date_line(line, source)
            elif line.casefold() == "other formats":
                seen_formats = True
            elif line and not _is_language_label(line) and page.summary is None:
                page.summary = line
            continue
        rest.append(line)
    if page.recorded_on is None:
        raise InputError(source, "no recording date line (want e.g. 16-Feb-2022 02:42:43)")
    _read_press_part(rest, page)
    meeting = meeting_from_title(page.title, page.recorded_on)
    page.meeting_body, page.meeting_number, page.record_symbol = meeting
    return page


def _read_press_part(rest: list[str], page: CataloguePage) -> None:
    """The press headline and body below `Other Formats`, up to the SOURCE note."""
    paragraphs = []
    for line in rest:
        if _FURTHER.match(line):
            break
        paragraphs.append(line)
    text = "\n".join(paragraphs).strip()
    text = re.sub(r"\n{3,}", "\n\n", text)
    if not text:
        return
    head, _, tail = text.partition("\n")
    page.headline = head.strip()
    page.body_text = tail.strip() or None
    page.began, page.ended = meeting_times(text)
