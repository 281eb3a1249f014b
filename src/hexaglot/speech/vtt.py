"""Segments as a WebVTT file (webvtt-py), ready to store as a content-addressed rendition.

`to_webvtt(segments, note)` gives the file's text; the same segments always give the same
bytes, so the blob (named by its SHA-256) is the same each time. Long segments are split
into cues of at most `max_chars` characters at word boundaries, timed by their words.
Cue text is escaped (`&`, `<`, `>`) and never holds `-->` or blank lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import webvtt

from hexaglot.speech.contract import SpeechSegment, Word

MEDIA_TYPE = "text/vtt"


def timestamp(seconds: float) -> str:
    """`HH:MM:SS.mmm` for a time in seconds."""
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours:02d}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def _escape(text: str) -> str:
    text = " ".join(text.replace("-->", "→").split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _groups(words: Sequence[Word], max_chars: int) -> list[list[Word]]:
    groups: list[list[Word]] = [[]]
    for word in words:
        line = " ".join(w.text for w in [*groups[-1], word])
        if groups[-1] and len(line) > max_chars:
            groups.append([])
        groups[-1].append(word)
    return [g for g in groups if g]


def cues(segment: SpeechSegment, max_chars: int = 84) -> list[tuple[float, float, str]]:
    """(start, end, text) cues of one segment."""
    if len(segment.text) <= max_chars or not segment.words:
        return [(segment.start, segment.end, segment.text)]
    out = []
    for group in _groups(segment.words, max_chars):
        out.append((group[0].start, max(group[-1].end, group[0].start + 0.001),
                    " ".join(w.text for w in group)))
    return out


def to_webvtt(segments: Iterable[SpeechSegment], note: str | None = None,
              max_chars: int = 84) -> str:
    """The WebVTT text of `segments` (time order), with an optional `NOTE` header."""
    captions = []
    for segment in sorted(segments, key=lambda s: (s.start, s.end)):
        for start, end, text in cues(segment, max_chars):
            if text.strip():
                captions.append(webvtt.Caption(timestamp(start), timestamp(max(end, start)),
                                               _escape(text)))
    comments = [" ".join(note.replace("-->", "→").split())] if note else None
    return webvtt.WebVTT(captions=captions, header_comments=comments).content
