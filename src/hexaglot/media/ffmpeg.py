"""A thin, documented wrapper around the ffmpeg executable.

`ffmpeg_exe()` picks the binary (imageio-ffmpeg's static build unless a newer `ffmpeg`
is on PATH); `run()` runs one command with `-progress`, reports the media time reached to
a callback, and raises `FFmpegError` with ffmpeg's last error lines when it fails.
"""

from __future__ import annotations

import ctypes
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import lru_cache

import imageio_ffmpeg

from hexaglot.errors import HexaglotError

ProgressCallback = Callable[[float], None]


class FFmpegError(HexaglotError):
    """ffmpeg exited with an error; the message carries its last stderr lines."""


def _version(exe: str) -> tuple[int, ...]:
    try:
        out = subprocess.run([exe, "-version"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    m = re.search(r"ffmpeg version n?(\d+(?:\.\d+)*)", out)
    return tuple(int(x) for x in m.group(1).split(".")) if m else ()


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """The ffmpeg to use: imageio-ffmpeg's, or the one on PATH when that is newer."""
    bundled = imageio_ffmpeg.get_ffmpeg_exe()
    system = shutil.which("ffmpeg")
    if system and _version(system) > _version(bundled):
        return system
    return bundled


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Ask Linux to kill ffmpeg when the worker that started it dies (even by kill -9)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run(args: Sequence[str], on_progress: ProgressCallback | None = None) -> None:
    """Run `ffmpeg <args>` (overwriting outputs, no stdin, errors only on stderr).

    `on_progress(seconds)` is called with the output time reached as ffmpeg reports it."""
    cmd = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-y", "-v", "error",
           "-progress", "pipe:1", "-nostats", *args]
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True,
                                preexec_fn=_die_with_parent)
        assert proc.stdout is not None
        for line in proc.stdout:
            key, _, value = line.strip().partition("=")
            if key == "out_time_us" and on_progress and value.isdigit():
                on_progress(int(value) / 1e6)
        code = proc.wait()
        if code != 0:
            errors.seek(0)
            tail = errors.read().decode("utf-8", "replace").strip().splitlines()[-5:]
            raise FFmpegError(f"ffmpeg exited with {code}: " + " | ".join(tail))
