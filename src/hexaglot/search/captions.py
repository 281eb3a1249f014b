"""Caption files (WebVTT, SRT) into transcript segments.

The parsing libraries (webvtt-py, srt) skip or accept malformed cues silently, so each file
is first checked line by line: a bad file is rejected with the number of the offending line.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import srt
import webvtt

from hexaglot.domain import Segment

_VTT_TIME = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_VTT_TIMING = re.compile(rf"^({_VTT_TIME})[ \t]+-->[ \t]+({_VTT_TIME})(?:[ \t]+.*)?$")
_SRT_TIME = r"\d{1,2}:[0-5]\d:[0-5]\d[,.]\d{1,3}"
_SRT_TIMING = re.compile(rf"^({_SRT_TIME})[ \t]+-->[ \t]+({_SRT_TIME})(?:[ \t]+.*)?$")


class CaptionError(ValueError):
    """A caption file that cannot be read; the message names the file and the line."""


def _seconds(stamp: str) -> float:
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        total = total * 60 + float(part)
    return total


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Blank-line separated blocks as (first line number, lines)."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = 0
    for i, line in enumerate(lines, start=1):
        if line.strip():
            if not current:
                start = i
            current.append(line.rstrip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _check_timing(match: re.Match[str] | None, name: str, lineno: int, line: str) -> None:
    if match is None:
        raise CaptionError(f"{name}: line {lineno}: not a cue timing line: {line.strip()!r}")
    if _seconds(match.group(2)) < _seconds(match.group(1)):
        raise CaptionError(f"{name}: line {lineno}: cue ends before it starts")


def check_vtt(text: str, name: str) -> None:
    """Raise CaptionError naming the first malformed line of a WebVTT file."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or not lines[0].startswith("WEBVTT"):
        raise CaptionError(f"{name}: line 1: a WebVTT file starts with 'WEBVTT'")
    for start, block in _blocks(lines)[1:]:
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        at = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if at is None:
            looks_timed = re.match(r"^[\d:.]+\s*-", block[0].strip())
            at = 1 if len(block) > 1 and not looks_timed else 0
        _check_timing(_VTT_TIMING.match(block[at].strip()), name, start + at, block[at])


def check_srt(text: str, name: str) -> None:
    """Raise CaptionError naming the first malformed line of an SRT file."""
    lines = text.lstrip("\ufeff").splitlines()
    blocks = _blocks(lines)
    if not blocks:
        raise CaptionError(f"{name}: line 1: no subtitles in the file")
    for start, block in blocks:
        if not block[0].strip().isdigit():
            raise CaptionError(f"{name}: line {start}: want a subtitle number, "
                               f"got {block[0].strip()!r}")
        if len(block) < 2:
            raise CaptionError(f"{name}: line {start + 1}: subtitle without a timing line")
        _check_timing(_SRT_TIMING.match(block[1].strip()), name, start + 1, block[1])


def read_captions(path: Path, asset_id: str, language: str,
                  speaker: str | None = None) -> list[Segment]:
    """Read a .vtt or .srt file into segments (raises CaptionError on a bad file)."""
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CaptionError(f"{name}: cannot read: {exc}") from exc
    suffix = path.suffix.lower()
    if suffix == ".vtt" or (suffix != ".srt" and text.lstrip("\ufeff").startswith("WEBVTT")):
        check_vtt(text, name)
        cues = webvtt.from_buffer(io.StringIO(text.lstrip("\ufeff")))
        found = [(_seconds(c.start), _seconds(c.end), c.text, c.voice or speaker)
                 for c in cues]
    elif suffix == ".srt":
        check_srt(text, name)
        found = [(s.start.total_seconds(), s.end.total_seconds(), s.content, speaker)
                 for s in srt.parse(text.lstrip("\ufeff"))]
    else:
        raise CaptionError(f"{name}: not a caption file (want .vtt or .srt)")
    return [Segment(asset_id=asset_id, language=language, start=float(a), end=float(b),
                    text=" ".join(t.split()), speaker=v)
            for a, b, t, v in found if t.strip()]
