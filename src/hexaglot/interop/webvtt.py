"""A transcript as a WebVTT file (written with webvtt-py): one cue per segment, in time
order, the speaker as a `<v Name>` voice span, the text escaped. The same segments always
give the same bytes, so a transcript's file can be made again from the catalogue and
checked against its stored SHA-256."""

from __future__ import annotations

from collections.abc import Sequence

import webvtt

from hexaglot.domain import Segment


def _stamp(seconds: float) -> str:
    millis = round(max(seconds, 0.0) * 1000)
    h, rest = divmod(millis, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"


def _escape(text: str) -> str:
    return " ".join(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    .split())


def render(segments: Sequence[Segment]) -> bytes:
    """The WebVTT file of these segments (UTF-8)."""
    vtt = webvtt.WebVTT()
    for seg in sorted(segments, key=lambda x: (x.start, x.end)):
        text = _escape(seg.text) or "…"
        if seg.speaker:
            text = f"<v {_escape(seg.speaker)}>{text}"
        vtt.captions.append(webvtt.Caption(_stamp(seg.start), _stamp(max(seg.end, seg.start)),
                                           text))
    return vtt.content.encode("utf-8")
