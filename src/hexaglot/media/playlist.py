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


_ATTR_NUMBER = r"(?<![-A-Z]){}=(\d+)"


def with_audio_group(text: str, codec: str | None, bandwidth: int) -> str:
    """A master playlist of video-only variants (as a window part's ffmpeg writes it)
    with each variant in the audio group: `AUDIO`, the audio codec added to `CODECS` and
    its bitrate to `BANDWIDTH` and `AVERAGE-BANDWIDTH`, as the one-pass derive has them."""
    out = []
    for line in text.splitlines():
        if line.startswith("#EXT-X-STREAM-INF") and "AUDIO=" not in line:
            for name in ("BANDWIDTH", "AVERAGE-BANDWIDTH"):
                m = re.search(_ATTR_NUMBER.format(name), line)
                if m:
                    line = (line[:m.start(1)] + str(int(m.group(1)) + bandwidth)
                            + line[m.end(1):])
            if codec:
                line = re.sub(r'CODECS="([^"]*)"', lambda m: f'CODECS="{m.group(1)},{codec}"',
                              line)
            line += f',AUDIO="{GROUP}"'
        out.append(line)
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class MediaPlaylist:
    """A VOD media playlist: its target duration, init segments (`EXT-X-MAP`, in order)
    and segments (duration, URI)."""

    version: int
    target: int
    inits: list[str]
    segments: list[tuple[float, str]]

    @property
    def init(self) -> str | None:
        """The first init segment."""
        return self.inits[0] if self.inits else None

    @property
    def seconds(self) -> float:
        """The sum of the segments' durations."""
        return sum(d for d, _ in self.segments)


def parse_media_playlist(text: str) -> MediaPlaylist:
    """Read a VOD media playlist (`ValueError` when it is not one, or unfinished)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines or lines[0] != "#EXTM3U" or "#EXT-X-ENDLIST" not in lines:
        raise ValueError("not a finished media playlist (no #EXTM3U or no #EXT-X-ENDLIST)")
    version, target, inits = 3, 0, []
    segments: list[tuple[float, str]] = []
    duration: float | None = None
    for line in lines[1:]:
        if line.startswith("#EXT-X-VERSION:"):
            version = int(line.partition(":")[2])
        elif line.startswith("#EXT-X-TARGETDURATION:"):
            target = int(line.partition(":")[2])
        elif line.startswith("#EXT-X-MAP:"):
            m = re.search(r'URI="([^"]+)"', line)
            if not m:
                raise ValueError(f"an init segment without a URI: {line}")
            inits.append(m.group(1))
        elif line.startswith("#EXTINF:"):
            duration = float(line.partition(":")[2].split(",")[0])
        elif not line.startswith("#"):
            if duration is None:
                raise ValueError(f"segment {line} has no #EXTINF")
            segments.append((duration, line))
            duration = None
    if not segments:
        raise ValueError("a media playlist without segments")
    return MediaPlaylist(version, target, inits, segments)


def _number(uri: str) -> int:
    m = re.search(r"(\d+)\.\w+$", uri)
    if not m:
        raise ValueError(f"segment {uri} has no number")
    return int(m.group(1))


def join_media_playlists(texts: list[str], init: str | None = None) -> str:
    """One VOD media playlist of consecutive windows' playlists (in order): the longest
    target duration, every segment once, numbered on without a gap (`ValueError` else).
    With `init` (the windows' init segments are the same file), one `EXT-X-MAP` names it;
    else each window's own `EXT-X-MAP` comes before its segments."""
    windows = [parse_media_playlist(t) for t in texts]
    if any(len(w.inits) > 1 for w in windows):
        raise ValueError("a window's playlist with more than one init segment")
    numbers = [_number(uri) for w in windows for _, uri in w.segments]
    if numbers != list(range(numbers[0], numbers[0] + len(numbers))):
        raise ValueError(f"the windows' segments are not numbered one after another: {numbers}")
    out = ["#EXTM3U", f"#EXT-X-VERSION:{max(w.version for w in windows)}",
           f"#EXT-X-TARGETDURATION:{max(w.target for w in windows)}",
           f"#EXT-X-MEDIA-SEQUENCE:{numbers[0]}", "#EXT-X-PLAYLIST-TYPE:VOD"]
    if init:
        out.append(f'#EXT-X-MAP:URI="{init}"')
    for w in windows:
        if not init and w.init:
            out.append(f'#EXT-X-MAP:URI="{w.init}"')
        for seconds, uri in w.segments:
            out += [f"#EXTINF:{seconds:.6f},", uri]
    return "\n".join(out + ["#EXT-X-ENDLIST"]) + "\n"
