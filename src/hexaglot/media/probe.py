"""Probe a master recording with PyAV: duration, the video stream, every audio stream and
its language.

A meeting master must have one video stream and 1–16 audio streams, each with a language
(from its tag, or from a `--language-map` such as `1=original,2=ar`, where N is the N-th
audio stream counting from 1). Anything else raises `MediaError` naming the file.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field
from pathlib import Path

import av

from hexaglot.domain.languages import AUDIO_LANGUAGES, language_code
from hexaglot.media.errors import MediaError

MAX_AUDIO_STREAMS = 16
#: The media type of a master by its container (what `Other Formats` lists for it).
MEDIA_TYPES = {"matroska,webm": "video/x-matroska", "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4",
               "mxf": "application/mxf", "mpegts": "video/mp2t", "avi": "video/x-msvideo"}
#: How far short of the declared duration the last packet may end before the file is
#: called truncated (seconds, plus 2 % of the duration).
TRUNCATION_SLACK = 1.0


@dataclass(frozen=True)
class VideoStream:
    """The master's video stream."""

    index: int
    codec: str
    width: int
    height: int
    fps: float


@dataclass(frozen=True)
class AudioStream:
    """One audio stream: `number` counts audio streams from 1; `language` is our code."""

    number: int
    index: int
    codec: str
    channels: int
    sample_rate: int
    tag: str | None
    language: str | None = None


@dataclass(frozen=True)
class Probe:
    """What a master holds."""

    path: Path
    duration: float
    format_name: str
    video: VideoStream
    audio: list[AudioStream] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        """The audio languages in catalogue order."""
        rank = {c: i for i, c in enumerate(AUDIO_LANGUAGES)}
        return sorted((a.language for a in self.audio if a.language), key=rank.__getitem__)

    @property
    def media_type(self) -> str:
        """The master's media type, from its container."""
        return MEDIA_TYPES.get(self.format_name, "application/octet-stream")

    @property
    def tracks(self) -> dict[str, int]:
        """Which audio stream (counting from 1) carries which language."""
        return {a.language: a.number for a in self.audio if a.language}

    def stream_for(self, language: str) -> AudioStream:
        """The audio stream carrying a language."""
        return next(a for a in self.audio if a.language == language)


def parse_language_map(text: str | None) -> dict[int, str]:
    """Parse `1=ar,2=zh` (names or ISO 639-2 tags allowed) into {1: "ar", 2: "zh"}."""
    result: dict[int, str] = {}
    for item in filter(None, (part.strip() for part in (text or "").split(","))):
        number, sep, lang = item.partition("=")
        code = language_code(lang) if sep else None
        if not number.strip().isdigit() or int(number) < 1 or code is None:
            raise ValueError(
                f"bad --language-map entry {item!r}: want N=LANG with N >= 1 and LANG one of "
                + " ".join(AUDIO_LANGUAGES)
            )
        result[int(number)] = code
    return result


def _check_path(path: Path) -> None:
    if not path.exists():
        raise MediaError(path, "no such file")
    if path.is_dir():
        raise MediaError(path, "is a directory, not a media file")
    if not os.access(path, os.R_OK):
        raise MediaError(path, "cannot be read (permission denied)")
    if path.stat().st_size == 0:
        raise MediaError(path, "is empty (0 bytes)")


def _open(path: Path) -> av.container.InputContainer:
    try:
        return av.open(str(path), mode="r")
    except av.error.PermissionError as exc:
        raise MediaError(path, "cannot be read (permission denied)") from exc
    except (av.error.InvalidDataError, av.error.EOFError) as exc:
        raise MediaError(path, "is not a media file ffmpeg can read, or is truncated") from exc
    except av.FFmpegError as exc:
        raise MediaError(path, f"cannot be opened as media ({exc.strerror or exc})") from exc


def _duration(container: av.container.InputContainer) -> float:
    if container.duration:
        return container.duration / av.time_base
    spans = [float(s.duration * s.time_base) for s in container.streams
             if s.duration and s.time_base]
    return max(spans, default=0.0)


def _last_packet_end(container: av.container.InputContainer, duration: float) -> float:
    """Demux the last seconds and return the end time of the last packet seen."""
    end = 0.0
    with contextlib.suppress(av.FFmpegError):
        container.seek(int(max(0.0, duration - 10.0) * av.time_base), any_frame=False)
    try:
        for packet in container.demux():
            if packet.pts is not None and packet.time_base is not None:
                span = (packet.duration or 0) * packet.time_base
                end = max(end, float((packet.pts * packet.time_base) + span))
    except av.FFmpegError:
        return end
    return end


def _audio_streams(container: av.container.InputContainer) -> list[AudioStream]:
    streams = []
    for number, s in enumerate(container.streams.audio, start=1):
        tag = s.metadata.get("language") or s.metadata.get("LANGUAGE")
        streams.append(AudioStream(
            number=number, index=s.index, codec=s.codec_context.name,
            channels=s.codec_context.channels, sample_rate=s.codec_context.sample_rate or 0,
            tag=tag, language=language_code(tag) if tag else None,
        ))
    return streams


def _video_stream(path: Path, container: av.container.InputContainer) -> VideoStream:
    cover = av.stream.Disposition.attached_pic
    videos = [s for s in container.streams.video if not s.disposition & cover]
    if not videos:
        raise MediaError(path, "has no video stream (audio-only); a meeting master needs video")
    v = videos[0]
    rate = v.average_rate or v.guessed_rate or 25
    return VideoStream(v.index, v.codec_context.name, v.codec_context.width,
                       v.codec_context.height, float(rate))


def _apply_map(path: Path, audio: list[AudioStream], mapping: dict[int, str]) -> list[AudioStream]:
    for number in sorted(mapping):
        if number > len(audio):
            raise MediaError(path, f"--language-map names audio stream {number}, but the file "
                                   f"has {len(audio)} audio stream(s)")
    out = []
    for a in audio:
        lang = mapping.get(a.number, a.language)
        if lang is None:
            why = f"language tag {a.tag!r} is not one of" if a.tag else "has no language tag; " \
                "give --language-map N=LANG with LANG one of"
            raise MediaError(path, f"audio stream {a.number} {why} {' '.join(AUDIO_LANGUAGES)}")
        out.append(AudioStream(a.number, a.index, a.codec, a.channels, a.sample_rate, a.tag, lang))
    seen: dict[str, int] = {}
    for a in out:
        if a.language is None:
            continue
        if a.language in seen:
            raise MediaError(path, f"audio streams {seen[a.language]} and {a.number} are both "
                                   f"{a.language!r}; fix the tags with --language-map")
        seen[a.language] = a.number
    return out


def probe(path: str | Path, language_map: dict[int, str] | None = None) -> Probe:
    """Probe a master, raising `MediaError` for anything a meeting master cannot be."""
    path = Path(path)
    _check_path(path)
    with _open(path) as container:
        video = _video_stream(path, container)
        audio = _audio_streams(container)
        if not audio:
            raise MediaError(path, "has no audio stream (video-only); a meeting master needs "
                                   "the floor and/or interpretation audio")
        if len(audio) > MAX_AUDIO_STREAMS:
            raise MediaError(path, f"has {len(audio)} audio streams; at most "
                                   f"{MAX_AUDIO_STREAMS} are supported")
        duration = _duration(container)
        if duration <= 0:
            raise MediaError(path, "has no duration (empty or truncated)")
        format_name = container.format.name
        end = _last_packet_end(container, duration)
    if end < duration - (TRUNCATION_SLACK + 0.02 * duration):
        raise MediaError(path, f"is truncated: it declares {duration:.1f} s but its data ends "
                               f"at {end:.1f} s")
    return Probe(path, duration, format_name, video, _apply_map(path, audio, language_map or {}))
