"""Excerpts for download: a span of a recording in one language, with the video or the
audio alone. By default a stream copy (no re-encoding: fast, and it starts at the key frame
at or before the asked start); `precise` re-encodes to start and end exactly."""

from __future__ import annotations

from pathlib import Path

from hexaglot.media.ffmpeg import run


def excerpt(audio: Path, out: Path, video: Path | None = None, start: float | None = None,
            end: float | None = None, precise: bool = False) -> Path:
    """Write `out` (MP4 with `video`, else M4A) from `audio` (one language's track) and the
    video of `video`, from `start` to `end` seconds (the whole recording when both are
    None)."""
    span: list[str] = []
    if start is not None:
        span += ["-ss", f"{start:.3f}"]
    if end is not None:
        span += ["-to", f"{end:.3f}"]
    args: list[str] = []
    if precise:  # decode everything, cut at the exact times
        if video is not None:
            args += ["-i", str(video)]
        args += ["-i", str(audio), *span]
        codecs = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-c:a", "aac",
                  "-b:a", "128k"]
    else:  # seek each input to the key frame before start, copy the packets
        if video is not None:
            args += [*span, "-i", str(video)]
        args += [*span, "-i", str(audio)]
        codecs = ["-c", "copy"]
    maps = ["-map", "0:v:0", "-map", "1:a:0"] if video is not None else ["-map", "0:a:0"]
    run([*args, *maps, *codecs, "-sn", "-dn", "-map_metadata", "-1",
         "-movflags", "+faststart", "-f", "mp4", str(out)])
    return out
