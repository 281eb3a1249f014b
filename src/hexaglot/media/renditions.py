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

A longer span also has its ladder split by time window (`windows`): a window part encodes
[t0, t1) of every rung into HLS segments numbered from t0 / segment length, keyframes on
the segment boundaries and timestamps from t0 (so the windows' segments play on as one
stream); its media playlists are kept aside (`window_playlists`) for the derive to join
(`playlist.join_media_playlists`), and the first window writes the master playlist. The
video part then makes everything but the ladder and the MP4 proxy, which the derive
remuxes from the joined rung (`proxy_args`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from hexaglot.media import ffmpeg
from hexaglot.media.playlist import AudioRendition, rewrite_master, with_audio_group
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


def _filters(rungs: list[Rung], profiles: Profiles, span: float, thumbnails: bool = True,
             keyframes: bool = False) -> str:
    """The filter graph: one scaled stream per rung, and the thumbnail strip (`keyframes`:
    the input decodes keyframes only, so the last one is held to the span's end, as the
    strip needs a frame at each of its moments)."""
    n = len(rungs)
    thumbs = profiles.thumbnails
    rate = max(thumbs["count"], 1) / max(span, 0.1)
    chains = [f"[0:v]split={n + thumbnails}" + "".join(f"[s{i}]" for i in range(n + thumbnails))]
    chains += [f"[s{i}]scale=-2:{r.height},format=yuv420p[v{i}]" for i, r in enumerate(rungs)]
    if thumbnails:
        hold = f"tpad=stop_mode=clone:stop_duration={span:.3f}," if keyframes else ""
        chains.append(f"[s{n}]{hold}fps={rate:.6f},scale={thumbs['width']}:-2,"
                      f"tile={thumbs['count']}x1[thumbs]")
    return ";".join(chains)


def _video_args(rungs: list[Rung], profiles: Profiles) -> list[str]:
    """The ladder's streams and encoder settings (keyframes on every segment boundary)."""
    hls = profiles.hls
    args = [a for i in range(len(rungs)) for a in ("-map", f"[v{i}]")]
    args += ["-c:v", hls.video_codec, "-preset", hls.preset, "-sc_threshold", "0",
             "-force_key_frames", f"expr:gte(t,n_forced*{hls.segment_seconds})"]
    for i, r in enumerate(rungs):
        args += [f"-b:v:{i}", r.bitrate, f"-maxrate:v:{i}", r.maxrate, f"-bufsize:v:{i}",
                 r.maxrate]
    return args


def _hls_args(src: Source, rungs: list[Rung], profiles: Profiles, out: Path) -> list[str]:
    hls, audio = profiles.hls, profiles.hls.audio
    args = _video_args(rungs, profiles)
    langs = list(src.tracks)
    args += [a for lang in langs for a in ("-map", f"0:a:{src.tracks[lang] - 1}")]
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
    mp3 = profiles.audio_mp3
    args: list[str] = []
    for lang, number in src.tracks.items():
        args += ["-map", f"0:a:{number - 1}", "-c:a", "libmp3lame", "-b:a", str(mp3["bitrate"]),
                 "-ac", str(mp3["channels"]), "-metadata", f"language={ISO639_2[lang]}",
                 str(out / "audio" / f"{lang}.mp3")]
    return args + _picture_outputs(src, profiles, out)


def _picture_outputs(src: Source, profiles: Profiles, out: Path) -> list[str]:
    """The waveform PCM (preview language) and the thumbnail strip."""
    wave = profiles.waveform
    args = ["-map", f"0:a:{src.tracks[src.preview] - 1}", "-ac", "1",
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


def picture_args(src: Source, profiles: Profiles, langs: tuple[str, ...], out: Path
                 ) -> list[str]:
    """The video part's one pass when windows make the ladder: its languages' HLS audio
    and MP3 (as an audio part), the waveform PCM and the thumbnail strip. Only the video's
    keyframes are decoded (`-skip_frame:v nokey`): each thumbnail is the keyframe nearest
    its moment, and the pass no longer decodes the whole picture a second time beside the
    windows (measured on a 180 s 720p master with 10 s between keyframes: 13.6 -> 4.8 CPU s,
    the same audio bytes)."""
    return ["-skip_frame:v", "nokey", *audio_args(src, profiles, langs, out),
            "-filter_complex", _filters([], profiles, src.span, keyframes=True),
            *_picture_outputs(src, profiles, out)]


#: A window part's media playlist of each rung (kept aside, joined by the derive).
WINDOW_PLAYLIST = "window.m3u8"


def window_init(part: str, rung: str) -> str:
    """The init segment a window part writes for a rung (in the rung's folder)."""
    return f"init-{part}-{rung}.mp4"


def window_args(src: Source, profiles: Profiles, part: Part, out: Path) -> list[str]:
    """A window part's one pass: [t0, t1) of every rung as HLS segments numbered from
    t0 / segment length, with timestamps from t0 (the mp4 muxer keeps them: no shift to
    zero, no edit list of its own), so that the windows' segments join into one stream."""
    if part.window is None:
        raise ValueError(f"part {part.name} has no time window")
    t0, t1 = part.window
    hls = profiles.hls
    rungs = profiles.ladder(src.height)
    window = replace(src, start=src.start + t0, end=src.start + t1)
    streams = " ".join(f"v:{i},name:{r.name}" for i, r in enumerate(rungs))
    return [*_input(window), "-filter_complex", _filters(rungs, profiles, t1 - t0, False),
            *_video_args(rungs, profiles),
            "-output_ts_offset", f"{t0:.3f}", "-avoid_negative_ts", "disabled",
            "-f", "hls", "-hls_time", str(hls.segment_seconds), "-hls_playlist_type", "vod",
            "-hls_segment_type", "fmp4", "-hls_segment_options", "movflags=+frag_discont",
            "-hls_fmp4_init_filename",  # ffmpeg fills in %v only with two variants or more
            window_init(part.name, "%v" if len(rungs) > 1 else rungs[0].name),
            "-start_number", str(round(t0 / hls.segment_seconds)),
            "-hls_segment_filename", str(out / "hls" / "%v" / "seg%05d.m4s"),
            "-master_pl_name", "ffmpeg-master.m3u8", "-var_stream_map", streams,
            str(out / "hls" / "%v" / WINDOW_PLAYLIST)]


def window_playlists(out: Path) -> dict[str, str]:
    """Take a window part's media playlists out of its work directory: rung -> text."""
    found = {}
    for path in sorted((out / "hls").glob(f"*/{WINDOW_PLAYLIST}")):
        found[path.parent.name] = path.read_text("utf-8")
        path.unlink()
    return found


def proxy_rung(src: Source, profiles: Profiles) -> str:
    """The rung the MP4 proxy is remuxed from."""
    names = [r.name for r in profiles.ladder(src.height)]
    rung = profiles.mp4.get("video", names[0])
    return rung if rung in names else names[0]


def proxy_args(video: Path, audio: Path, preview: str, out: Path) -> list[str]:
    """The MP4 proxy stream-copied from a rung's and the preview audio's HLS playlists."""
    return ["-allowed_extensions", "ALL", "-i", str(video), "-allowed_extensions", "ALL",
            "-i", str(audio), "-map", "0:v", "-map", "1:a", "-c", "copy",
            "-movflags", "+faststart", "-metadata:s:a:0", f"language={ISO639_2[preview]}",
            str(out)]


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
    rung = proxy_rung(src, profiles)
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
    """A share of a derive that one worker makes on its own: the audio tracks it encodes,
    whether it makes what comes from the picture (poster, thumbnails, waveform, and the
    MP4 proxy with the ladder), whether it encodes the video ladder, and the time window
    of the ladder it encodes (seconds from the span's start; None: all of it)."""

    name: str  # "all" (the one-job derive), "video", "audio-1", "window-1", ...
    languages: tuple[str, ...]
    video: bool
    ladder: bool = False
    window: tuple[float, float] | None = None


def windows(src: Source, profiles: Profiles) -> list[tuple[float, float]]:
    """The time windows the ladder of `src` is split into: none for a span shorter than
    the split profile's `window_min_seconds` (or one window long); else `window_seconds`
    each, the last to the end (a tail shorter than one segment joins the window before)."""
    rule, span = profiles.split, src.span
    if span < rule.window_min_seconds:
        return []
    size = rule.window_seconds
    starts = [i * size for i in range(math.ceil(span / size))]
    if len(starts) > 1 and span - starts[-1] < profiles.hls.segment_seconds:
        starts.pop()
    if len(starts) < 2:
        return []
    return [(float(t0), float(t1)) for t0, t1 in zip(starts, [*starts[1:], span], strict=True)]


def plan(src: Source, profiles: Profiles) -> list[Part]:
    """The parts a derive of `src` is split into: one (`all`) for a span shorter than
    both of the split profile's thresholds; else a video part, `audio_parts` parts sharing
    the languages other than the preview one in track order (from `min_seconds`, with two
    tracks or more) and, from `window_min_seconds`, one `window-N` part per time window
    encoding the ladder (the video part then leaves the ladder and the MP4 proxy out)."""
    langs = list(src.tracks)
    rule = profiles.split
    by_track = src.span >= rule.min_seconds and len(langs) >= 2
    cuts = windows(src, profiles)
    if not by_track and not cuts:
        return [Part("all", tuple(langs), True, ladder=True)]
    others = [lang for lang in langs if lang != src.preview] if by_track else []
    n = min(rule.audio_parts, len(others))
    video = Part("video", (src.preview,) if by_track else tuple(langs), True, ladder=not cuts)
    return [video] + [
        Part(f"window-{i + 1}", (), False, ladder=True, window=w) for i, w in enumerate(cuts)
    ] + [Part(f"audio-{i + 1}", tuple(others[i::n]), False) for i in range(n)]


#: The steps of a derive, as its progress names them.
STEPS = ("HLS and audio", "MP4 and audio files", "poster", "waveform")
Progress = Callable[[float, str | None], None]


def derive(src: Source, profiles: Profiles, out: Path,
           on_progress: Progress | None = None) -> list[Output]:
    """Write every rendition into `out` (an empty work directory) and list them.

    `on_progress(fraction, step)` goes from 0 to 1 (to 0.95 here: storing the files is the
    caller's last step). Raises `ffmpeg.FFmpegError` on failure."""
    derive_part(src, profiles, Part("all", tuple(src.tracks), True, ladder=True), out,
                on_progress)
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

    audio = [AudioRendition(lang, f"a-{lang}/index.m3u8", profiles.hls.audio.channels)
             for lang in src.tracks]
    if part.window is not None:
        t0, t1 = part.window

        def in_window(seconds: float) -> None:
            if on_progress:
                on_progress(min(seconds / max(t1 - t0, 0.001), 1.0) * 0.95, STEPS[0])

        ffmpeg.run(window_args(src, profiles, part, out), in_window)
        generated = (out / "hls" / "ffmpeg-master.m3u8").read_text("utf-8")
        (out / "hls" / "ffmpeg-master.m3u8").unlink()
        if t0 == 0:  # the first window writes the master playlist
            a = profiles.hls.audio
            generated = with_audio_group(generated.replace(WINDOW_PLAYLIST, "index.m3u8"),
                                         "mp4a.40.2" if a.codec == "aac" else None,
                                         _bits_per_second(a.bitrate))
            (out / "hls" / "master.m3u8").write_text(
                rewrite_master(generated, audio, src.preview))
        return
    if not part.video:
        _passes(audio_args(src, profiles, part.languages, out), m4a_args(part.languages, out),
                report, on_progress)
        if on_progress:
            on_progress(0.95, STEPS[1])
        return
    if part.ladder:
        src = replace(src, tracks={lang: src.tracks[lang] for lang in part.languages})
        first, second = encode_args(src, profiles, out), remux_args(src, profiles, out)
    else:  # the windows make the ladder (the derive remuxes the MP4 proxy): this part the rest
        first = picture_args(src, profiles, part.languages, out)
        second = m4a_args(part.languages, out)
    _passes(first, second, report, on_progress)
    if on_progress:
        on_progress(0.88, STEPS[2])
    ffmpeg.run(poster_args(src, profiles, out))
    if part.ladder:
        generated = (out / "hls" / "ffmpeg-master.m3u8").read_text("utf-8")
        (out / "hls" / "master.m3u8").write_text(rewrite_master(generated, audio, src.preview))
        (out / "hls" / "ffmpeg-master.m3u8").unlink()
    _waveform(src, profiles, out, on_progress)


def _passes(first: list[str], second: list[str], report: Callable[[float], None],
            on_progress: Progress | None) -> None:
    """The two ffmpeg passes of a part: the encode (its progress to 80 %), then the remux."""
    ffmpeg.run(first, report)
    if on_progress:
        on_progress(0.8, STEPS[1])
    ffmpeg.run(second)


def _bits_per_second(rate: str) -> int:
    """`96k` -> 96000 (an ffmpeg bitrate)."""
    scale = {"k": 1000, "m": 1_000_000}.get(rate[-1:].lower(), 1)
    return int(float(rate[:-1] if scale > 1 else rate) * scale)


def _waveform(src: Source, profiles: Profiles, out: Path, on_progress: Progress | None) -> None:
    if on_progress:
        on_progress(0.92, STEPS[3])
    wave = profiles.waveform
    write_peaks(out / "waveform.pcm", out / "waveform.json", wave["sample_rate"],
                wave["peaks_per_second"], src.preview)
    (out / "waveform.pcm").unlink()
    if on_progress:
        on_progress(0.95, STEPS[3])
