"""Derive every rendition of a master (or of a clip of it) into a work directory.

One ffmpeg pass decodes the master once and writes the HLS package (video ladder + one
AAC rendition per language), an MP3 per language, the thumbnail strip and the PCM for the
waveform. A second, cheap pass remuxes (no re-encoding) the MP4 proxy and an M4A per
language out of the HLS segments; a third grabs the poster frame.

A long derive is split by track (`plan`, the `split` profile) into parts that different
workers make at once (`derive_part`): the video part is the above with the preview
language only (its master playlist lists every language); an audio part writes, for each
of its languages, the HLS audio rendition and the MP3 in one pass, then remuxes the M4A.
The parts' files together are the files of the one-job derive, under the same names (with
a preview language that is not the first track, its init segment is named differently).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from hexaglot.media import ffmpeg
from hexaglot.media.playlist import AudioRendition, rewrite_master
from hexaglot.media.profiles import Profiles, Rung
from hexaglot.media.waveform import write_peaks

ISO639_2 = {"original": "mul", "ar": "ara", "zh": "zho", "en": "eng", "fr": "fra",
            "ru": "rus", "es": "spa"}


@dataclass(frozen=True)
class Source:
    """What to derive from: a master file, its audio tracks by language, a time range."""

    path: Path
    duration: float  # the master's duration
    height: int
    tracks: dict[str, int]  # language -> audio stream number (from 1)
    preview: str
    start: float = 0.0
    end: float | None = None

    @property
    def span(self) -> float:
        """The length of what is derived (the clip, or the whole master)."""
        return (self.end if self.end is not None else self.duration) - self.start


@dataclass(frozen=True)
class Output:
    """One finished rendition: `path` is relative to the work directory."""

    rendition: str
    language: str | None
    media_type: str
    path: str


def _input(src: Source) -> list[str]:
    """Input options: seeking before -i with re-encoding cuts frame-accurately."""
    args = ["-ss", f"{src.start:.3f}"] if src.start else []
    args += ["-i", str(src.path)]
    return args + (["-t", f"{src.span:.3f}"] if src.end is not None else [])


def _filters(rungs: list[Rung], profiles: Profiles, span: float) -> str:
    n = len(rungs)
    thumbs = profiles.thumbnails
    rate = max(thumbs["count"], 1) / max(span, 0.1)
    chains = [f"[0:v]split={n + 1}" + "".join(f"[s{i}]" for i in range(n + 1))]
    chains += [f"[s{i}]scale=-2:{r.height},format=yuv420p[v{i}]" for i, r in enumerate(rungs)]
    chains.append(f"[s{n}]fps={rate:.6f},scale={thumbs['width']}:-2,"
                  f"tile={thumbs['count']}x1[thumbs]")
    return ";".join(chains)


def _hls_args(src: Source, rungs: list[Rung], profiles: Profiles, out: Path) -> list[str]:
    hls, audio = profiles.hls, profiles.hls.audio
    args = [a for i in range(len(rungs)) for a in ("-map", f"[v{i}]")]
    langs = list(src.tracks)
    args += [a for lang in langs for a in ("-map", f"0:a:{src.tracks[lang] - 1}")]
    args += ["-c:v", hls.video_codec, "-preset", hls.preset, "-sc_threshold", "0",
             "-force_key_frames", f"expr:gte(t,n_forced*{hls.segment_seconds})"]
    for i, r in enumerate(rungs):
        args += [f"-b:v:{i}", r.bitrate, f"-maxrate:v:{i}", r.maxrate, f"-bufsize:v:{i}",
                 r.maxrate]
    args += ["-c:a", audio.codec, "-b:a", audio.bitrate, "-ac", str(audio.channels),
             "-ar", str(audio.sample_rate)]
    streams = [f"v:{i},agroup:audio,name:{r.name}" for i, r in enumerate(rungs)]
    streams += [f"a:{i},agroup:audio,name:a-{lang}" for i, lang in enumerate(langs)]
    return args + [
        "-f", "hls", "-hls_time", str(hls.segment_seconds), "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
        "-hls_segment_filename", str(out / "hls" / "%v" / "seg%05d.m4s"),
        "-master_pl_name", "ffmpeg-master.m3u8", "-var_stream_map", " ".join(streams),
        str(out / "hls" / "%v" / "index.m3u8"),
    ]


def _side_outputs(src: Source, profiles: Profiles, out: Path) -> list[str]:
    mp3, wave = profiles.audio_mp3, profiles.waveform
    args: list[str] = []
    for lang, number in src.tracks.items():
        args += ["-map", f"0:a:{number - 1}", "-c:a", "libmp3lame", "-b:a", str(mp3["bitrate"]),
                 "-ac", str(mp3["channels"]), "-metadata", f"language={ISO639_2[lang]}",
                 str(out / "audio" / f"{lang}.mp3")]
    args += ["-map", f"0:a:{src.tracks[src.preview] - 1}", "-ac", "1",
             "-ar", str(wave["sample_rate"]), "-c:a", "pcm_s16le", "-f", "s16le",
             str(out / "waveform.pcm")]
    return args + ["-map", "[thumbs]", "-frames:v", "1", "-update", "1", "-q:v", "4",
                   str(out / "thumbnails.jpg")]


def encode_args(src: Source, profiles: Profiles, out: Path) -> list[str]:
    """The one decoding pass: HLS + MP3s + thumbnail strip + waveform PCM."""
    rungs = profiles.ladder(src.height)
    return [*_input(src), "-filter_complex", _filters(rungs, profiles, src.span),
            *_hls_args(src, rungs, profiles, out), *_side_outputs(src, profiles, out)]


def audio_args(src: Source, profiles: Profiles, langs: tuple[str, ...], out: Path) -> list[str]:
    """An audio part's one pass: for each language its HLS AAC rendition (the playlist,
    init segment and segments the video part's ffmpeg would write) and its MP3."""
    hls, audio, mp3 = profiles.hls, profiles.hls.audio, profiles.audio_mp3
    first = len(profiles.ladder(src.height))  # ffmpeg numbers the init segments by variant
    args = _input(src)
    for lang in langs:
        init = f"init_{first + list(src.tracks).index(lang)}.mp4"
        folder = out / "hls" / f"a-{lang}"
        folder.mkdir(parents=True, exist_ok=True)
        stream = ["-map", f"0:a:{src.tracks[lang] - 1}"]
        args += [*stream, "-c:a", audio.codec, "-b:a", audio.bitrate, "-ac", str(audio.channels),
                 "-ar", str(audio.sample_rate), "-f", "hls", "-hls_time",
                 str(hls.segment_seconds), "-hls_playlist_type", "vod", "-hls_segment_type",
                 "fmp4", "-hls_fmp4_init_filename", init, "-hls_segment_filename",
                 str(folder / "seg%05d.m4s"), str(folder / "index.m3u8")]
        args += [*stream, "-c:a", "libmp3lame", "-b:a", str(mp3["bitrate"]),
                 "-ac", str(mp3["channels"]), "-metadata", f"language={ISO639_2[lang]}",
                 str(out / "audio" / f"{lang}.mp3")]
    return args


def m4a_args(langs: tuple[str, ...], out: Path) -> list[str]:
    """One M4A per language, stream-copied from its HLS audio rendition."""
    args: list[str] = []
    for lang in langs:
        args += ["-allowed_extensions", "ALL", "-i", str(out / "hls" / f"a-{lang}" / "index.m3u8")]
    for i, lang in enumerate(langs):
        args += ["-map", f"{i}:a", "-c", "copy", "-movflags", "+faststart",
                 "-metadata:s:a:0", f"language={ISO639_2[lang]}",
                 str(out / "audio" / f"{lang}.m4a")]
    return args


def remux_args(src: Source, profiles: Profiles, out: Path) -> list[str]:
    """MP4 proxy (video rung + preview audio) and one M4A per language, stream-copied."""
    rungs = profiles.ladder(src.height)
    names = [r.name for r in rungs]
    rung = profiles.mp4.get("video", names[0])
    rung = rung if rung in names else names[0]
    langs = list(src.tracks)
    args = ["-allowed_extensions", "ALL", "-i", str(out / "hls" / rung / "index.m3u8")]
    for lang in langs:
        args += ["-allowed_extensions", "ALL", "-i", str(out / "hls" / f"a-{lang}" / "index.m3u8")]
    preview = langs.index(src.preview) + 1
    args += ["-map", "0:v", "-map", f"{preview}:a", "-c", "copy", "-movflags", "+faststart",
             "-metadata:s:a:0", f"language={ISO639_2[src.preview]}", str(out / "proxy.mp4")]
    for i, lang in enumerate(langs, start=1):
        args += ["-map", f"{i}:a", "-c", "copy", "-movflags", "+faststart",
                 "-metadata:s:a:0", f"language={ISO639_2[lang]}",
                 str(out / "audio" / f"{lang}.m4a")]
    return args


def poster_args(src: Source, profiles: Profiles, out: Path) -> list[str]:
    """One frame, a fraction into the span, scaled to the poster width."""
    at = src.start + src.span * float(profiles.poster["at"])
    width = int(profiles.poster["width"])
    return ["-ss", f"{at:.3f}", "-i", str(src.path), "-frames:v", "1", "-update", "1",
            "-vf", f"scale='min({width},iw)':-2", "-q:v", "3", str(out / "poster.jpg")]


def outputs(src: Source) -> list[Output]:
    """The renditions a derive of `src` makes, each with its main file."""
    outs = [Output("hls", None, "application/vnd.apple.mpegurl", "hls/master.m3u8"),
            Output("mp4", src.preview, "video/mp4", "proxy.mp4")]
    for lang in src.tracks:
        outs.append(Output("audio-m4a", lang, "audio/mp4", f"audio/{lang}.m4a"))
        outs.append(Output("audio-mp3", lang, "audio/mpeg", f"audio/{lang}.mp3"))
    return outs + [Output("poster", None, "image/jpeg", "poster.jpg"),
                   Output("thumbnails", None, "image/jpeg", "thumbnails.jpg"),
                   Output("waveform", src.preview, "application/json", "waveform.json")]


@dataclass(frozen=True)
class Part:
    """A share of a derive that one worker makes on its own: the audio tracks it encodes
    and whether it makes the video ladder (and everything made from the picture)."""

    name: str  # "all" (the one-job derive), "video", "audio-1", ...
    languages: tuple[str, ...]
    video: bool


def plan(src: Source, profiles: Profiles) -> list[Part]:
    """The parts a derive of `src` is split into: one (`all`) for a span shorter than the
    split profile's `min_seconds` or a single audio track; else a video part with the
    preview language and `audio_parts` parts sharing the other languages in track order."""
    langs = list(src.tracks)
    rule = profiles.split
    if src.span < rule.min_seconds or len(langs) < 2:
        return [Part("all", tuple(langs), True)]
    others = [lang for lang in langs if lang != src.preview]
    n = min(rule.audio_parts, len(others))
    return [Part("video", (src.preview,), True)] + [
        Part(f"audio-{i + 1}", tuple(others[i::n]), False) for i in range(n)]


#: The steps of a derive, as its progress names them.
STEPS = ("HLS and audio", "MP4 and audio files", "poster", "waveform")
Progress = Callable[[float, str | None], None]


def derive(src: Source, profiles: Profiles, out: Path,
           on_progress: Progress | None = None) -> list[Output]:
    """Write every rendition into `out` (an empty work directory) and list them.

    `on_progress(fraction, step)` goes from 0 to 1 (to 0.95 here: storing the files is the
    caller's last step). Raises `ffmpeg.FFmpegError` on failure."""
    derive_part(src, profiles, Part("all", tuple(src.tracks), True), out, on_progress)
    return outputs(src)


def derive_part(src: Source, profiles: Profiles, part: Part, out: Path,
                on_progress: Progress | None = None) -> None:
    """Write a part's files into `out` (an empty work directory), with the paths the
    one-job derive gives them (`outputs(src)` names the renditions they belong to)."""
    (out / "audio").mkdir(parents=True, exist_ok=True)
    span = max(src.span, 0.001)

    def report(seconds: float) -> None:
        if on_progress:
            on_progress(min(seconds / span, 1.0) * 0.8, STEPS[0])

    if not part.video:
        ffmpeg.run(audio_args(src, profiles, part.languages, out), report)
        if on_progress:
            on_progress(0.8, STEPS[1])
        ffmpeg.run(m4a_args(part.languages, out))
        if on_progress:
            on_progress(0.95, STEPS[1])
        return
    every = list(src.tracks)
    src = replace(src, tracks={lang: src.tracks[lang] for lang in part.languages})
    ffmpeg.run(encode_args(src, profiles, out), report)
    if on_progress:
        on_progress(0.8, STEPS[1])
    ffmpeg.run(remux_args(src, profiles, out))
    if on_progress:
        on_progress(0.88, STEPS[2])
    ffmpeg.run(poster_args(src, profiles, out))
    audio = [AudioRendition(lang, f"a-{lang}/index.m3u8", profiles.hls.audio.channels)
             for lang in every]
    generated = (out / "hls" / "ffmpeg-master.m3u8").read_text("utf-8")
    (out / "hls" / "master.m3u8").write_text(rewrite_master(generated, audio, src.preview))
    (out / "hls" / "ffmpeg-master.m3u8").unlink()
    if on_progress:
        on_progress(0.92, STEPS[3])
    wave = profiles.waveform
    write_peaks(out / "waveform.pcm", out / "waveform.json", wave["sample_rate"],
                wave["peaks_per_second"], src.preview)
    (out / "waveform.pcm").unlink()
    if on_progress:
        on_progress(0.95, STEPS[3])
