"""Caption files (WebVTT, SRT) into transcript segments.

The file is read in one linear pass that checks every cue as it reads it: a bad file is
rejected with the number of the offending line, never half-read. (The parsing libraries
webvtt-py and srt skip or accept malformed cues silently, webvtt-py reads 4 MB in 1.7 s,
and srt raises on a long cue number or slows down on one; so neither reads our input.)
Files are capped at `MAX_CAPTION_BYTES`, cue texts at `MAX_CUE_CHARS`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hexaglot.domain import Segment
from hexaglot.errors import BadInput

#: A transcript of a ten-hour meeting in one language is about 3 MB of WebVTT.
MAX_CAPTION_BYTES = 8 * 1024 * 1024
MAX_CUE_CHARS = 10_000
_VTT_TIME = r"(?:\d{1,3}:)?[0-5]\d:[0-5]\d\.\d{3}"
_VTT_TIMING = re.compile(rf"^({_VTT_TIME})[ \t]+-->[ \t]+({_VTT_TIME})(?:[ \t].{{0,500}})?$")
_SRT_TIME = r"\d{1,3}:[0-5]\d:[0-5]\d[,.]\d{1,3}"
_SRT_TIMING = re.compile(rf"^({_SRT_TIME})[ \t]+-->[ \t]+({_SRT_TIME})(?:[ \t].{{0,500}})?$")
_VOICE = re.compile(r"<v(?:\.[^ \t>]{0,100})?[ \t]([^>]{1,300})>")
_TAG = re.compile(r"<[^<>\n]{0,300}>")
_LOOKS_TIMED = re.compile(r"^[\d:.,]{1,20}[ \t]*-")


class CaptionError(BadInput):
    """A caption file that cannot be read; the message names the file and the line."""


def _seconds(stamp: str) -> float:
    total = 0.0
    for part in stamp.replace(",", ".").split(":"):
        total = total * 60 + float(part)
    return total


def _blocks(lines: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Blank-line separated blocks as (first line number, lines)."""
    current: list[str] = []
    start = 0
    for i, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = i
            current.append(line.rstrip())
        elif current:
            yield start, current
            current = []
    if current:
        yield start, current


def _timing(pattern: re.Pattern[str], name: str, lineno: int, line: str) -> tuple[float, float]:
    m = pattern.match(line.strip())
    if m is None:
        shown = line.strip()[:80]
        raise CaptionError(f"{name}: line {lineno}: not a cue timing line: {shown!r}")
    start, end = _seconds(m.group(1)), _seconds(m.group(2))
    if end < start:
        raise CaptionError(f"{name}: line {lineno}: cue ends before it starts")
    return start, end


def _cue_text(lines: list[str], name: str, lineno: int) -> tuple[str, str | None]:
    """The cue's words (tags removed, spacing made single) and its `<v Speaker>`."""
    raw = " ".join(lines)
    if len(raw) > MAX_CUE_CHARS:
        raise CaptionError(f"{name}: line {lineno}: cue text longer than {MAX_CUE_CHARS} "
                           "characters")
    voice = _VOICE.search(raw)
    text = _TAG.sub("", raw).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    return " ".join(text.split()), voice.group(1).strip() if voice else None


def parse_vtt(text: str, name: str) -> Iterator[tuple[float, float, str, str | None]]:
    """(start, end, text, voice) of every cue of a WebVTT file; CaptionError naming the
    first malformed line."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        raise CaptionError(f"{name}: line 1: a WebVTT file starts with 'WEBVTT'")
    blocks = _blocks(lines)
    next(blocks, None)  # the header block
    for start, block in blocks:
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if at is None:
            at = 1 if len(block) > 1 and not _LOOKS_TIMED.match(block[0].strip()) else 0
        a, b = _timing(_VTT_TIMING, name, start + at, block[at])
        words, voice = _cue_text(block[at + 1:], name, start + at + 1)
        yield a, b, words, voice


def parse_srt(text: str, name: str) -> Iterator[tuple[float, float, str, str | None]]:
    """(start, end, text, None) of every subtitle of an SRT file; CaptionError naming the
    first malformed line."""
    lines = text.lstrip("\ufeff").splitlines()
    found = False
    for start, block in _blocks(lines):
        found = True
        number = block[0].strip()
        if not number.isdigit() or len(number) > 9:
            raise CaptionError(f"{name}: line {start}: want a subtitle number, "
                               f"got {number[:40]!r}")
        if len(block) < 2:
            raise CaptionError(f"{name}: line {start + 1}: subtitle without a timing line")
        a, b = _timing(_SRT_TIMING, name, start + 1, block[1])
        words, _ = _cue_text(block[2:], name, start + 2)
        yield a, b, words, None
    if not found:
        raise CaptionError(f"{name}: line 1: no subtitles in the file")


def read_captions(path: Path, asset_id: str, language: str,
                  speaker: str | None = None) -> list[Segment]:
    """Read a .vtt or .srt file into segments (raises CaptionError on a bad file)."""
    name = str(path)
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CAPTION_BYTES + 1)
    except OSError as exc:
        raise CaptionError(f"{name}: cannot read: {exc.strerror or exc}") from exc
    if len(data) > MAX_CAPTION_BYTES:
        raise CaptionError(f"{name}: more than {MAX_CAPTION_BYTES} bytes, too large for a "
                           "caption file")
    if b"\x00" in data:
        raise CaptionError(f"{name}: is a binary file, not captions")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CaptionError(f"{name}: is not UTF-8 text (bad byte at offset {exc.start})") from None
    suffix = path.suffix.lower()
    if suffix == ".vtt" or (suffix != ".srt" and text.lstrip("\ufeff").startswith("WEBVTT")):
        cues = list(parse_vtt(text, name))
    elif suffix == ".srt":
        cues = list(parse_srt(text, name))
    else:
        raise CaptionError(f"{name}: not a caption file (want .vtt or .srt)")
    return [Segment.model_construct(asset_id=asset_id, language=language, start=a, end=b,
                                    text=t, speaker=v or speaker, origin="human", model=None,
                                    confidence=None)
            for a, b, t, v in cues if t]
