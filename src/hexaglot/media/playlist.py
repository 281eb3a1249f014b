"""Rewrite the HLS master playlist ffmpeg writes.

ffmpeg names alternate audio renditions `audio_N`, marks them all DEFAULT and lists each
audio playlist again as an audio-only variant. The archive's master playlist instead has
one `EXT-X-MEDIA` per language with its BCP 47 `LANGUAGE` and human `NAME`, `DEFAULT=YES`
only on the preview language, and only the video rungs as variants. The transcripts
are added as subtitle renditions (`with_subtitles`), each a one-file media playlist of its
WebVTT file (`subtitle_playlist`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from hexaglot.domain.languages import language_name

GROUP = "audio"
#: The floor has no single language: BCP 47 `mul` (multiple languages).
FLOOR_TAG = "mul"


@dataclass(frozen=True)
class AudioRendition:
    """One alternate audio rendition: language code and the playlist's path."""

    language: str
    uri: str
    channels: int = 2


def bcp47(language: str) -> str:
    """The `LANGUAGE` attribute for an audio language code (`original` → `mul`)."""
    return FLOOR_TAG if language == "original" else language


def _media_line(a: AudioRendition, preview: str) -> str:
    default = "YES" if a.language == preview else "NO"
    return (f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="{GROUP}",NAME="{language_name(a.language)}",'
            f'LANGUAGE="{bcp47(a.language)}",DEFAULT={default},AUTOSELECT=YES,'
            f'CHANNELS="{a.channels}",URI="{a.uri}"')


def rewrite_master(text: str, audio: list[AudioRendition], preview: str) -> str:
    """Return the master playlist with proper audio renditions and video variants only."""
    audio_uris = {a.uri for a in audio}
    lines = [ln for ln in text.splitlines() if ln.strip()]
    variants: list[tuple[str, str]] = []
    for i, line in enumerate(lines):
        if line.startswith("#EXT-X-STREAM-INF") and i + 1 < len(lines):
            uri = lines[i + 1].strip()
            if uri not in audio_uris:
                inf = re.sub(r'AUDIO="[^"]*"', f'AUDIO="{GROUP}"', line)
                variants.append((inf, uri))
    if not variants:
        raise ValueError("ffmpeg's master playlist has no video variant")
    out = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    out += [_media_line(a, preview) for a in audio]
    for inf, uri in variants:
        out += [inf, uri]
    return "\n".join(out) + "\n"


#: The group of the subtitle renditions (the transcripts) in a master playlist.
SUBTITLES_GROUP = "subs"
_SUBTITLES_ATTR = re.compile(r',SUBTITLES="[^"]*"')


@dataclass(frozen=True)
class SubtitleRendition:
    """One subtitle rendition: language code and its media playlist's path."""

    language: str
    uri: str


def with_subtitles(text: str, subtitles: list[SubtitleRendition]) -> str:
    """The master playlist `text` with exactly these subtitle renditions (earlier ones
    removed; every video variant names the group when there are any)."""
    lines = [ln for ln in text.splitlines()
             if ln.strip() and not ln.startswith("#EXT-X-MEDIA:TYPE=SUBTITLES")]
    out: list[str] = []
    media = [f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="{SUBTITLES_GROUP}",'
             f'NAME="{language_name(s.language)}",LANGUAGE="{bcp47(s.language)}",'
             f'DEFAULT=NO,AUTOSELECT=YES,FORCED=NO,URI="{s.uri}"' for s in subtitles]
    for line in lines:
        if line.startswith("#EXT-X-STREAM-INF"):
            if media:  # the subtitle renditions go before the first variant
                out += media
                media = []
            line = _SUBTITLES_ATTR.sub("", line)
            if subtitles:
                line += f',SUBTITLES="{SUBTITLES_GROUP}"'
        out.append(line)
    return "\n".join(out) + "\n"


def subtitle_playlist(vtt_uri: str, duration: float) -> str:
    """A media playlist of one WebVTT file covering the whole recording."""
    seconds = max(duration, 0.001)
    return "\n".join(["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{math.ceil(seconds)}",
                      "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:VOD",
                      f"#EXTINF:{seconds:.3f},", vtt_uri, "#EXT-X-ENDLIST"]) + "\n"
