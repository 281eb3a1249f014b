"""Generate small test recordings with ffmpeg (for the media tests)."""

from __future__ import annotations

import atexit
import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import imageio_ffmpeg

from hexaglot.app.archive import Archive
from hexaglot.domain import Format, RenditionFile

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
TAGS = ("mul", "ara", "zho", "eng", "fra", "rus", "spa")
LANGS = ["original", "ar", "zh", "en", "fr", "ru", "es"]


#: Recordings made in this session, by what they were made of: a test asking for the same
#: recording again gets a copy (ffmpeg runs once per kind of recording, not once per test).
_MADE: dict[tuple, Path] = {}
_MADE_DIR: list[Path] = []


def make_media(path: Path, seconds: float = 3, tags: tuple[str | None, ...] = TAGS,
               video: bool = True, size: str = "320x180", container_args: tuple = ()) -> Path:
    """A test-pattern video with one sine tone per audio track (tag None = untagged), at
    `path` (a fresh copy of the one made earlier in the session from the same arguments)."""
    key = (float(seconds), tuple(tags), video, size, tuple(container_args), path.suffix)
    made = _MADE.get(key)
    if made is None:
        if not _MADE_DIR:
            _MADE_DIR.append(Path(tempfile.mkdtemp(prefix="hexaglot-test-media-")))
            atexit.register(shutil.rmtree, _MADE_DIR[0], True)
        made = _MADE_DIR[0] / f"{len(_MADE)}{path.suffix}"
        _ffmpeg_media(made, seconds, tags, video, size, container_args)
        _MADE[key] = made
    shutil.copyfile(made, path)
    return path


def _ffmpeg_media(path: Path, seconds: float, tags: tuple[str | None, ...], video: bool,
                  size: str, container_args: tuple) -> None:
    args = [FFMPEG, "-y", "-v", "error"]
    maps: list[str] = []
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate=25:duration={seconds}"]
        maps += ["-map", "0:v"]
    first = 1 if video else 0
    for i, tag in enumerate(tags):
        args += ["-f", "lavfi", "-i", f"sine=frequency={300 + 100 * i}:duration={seconds}"]
        maps += ["-map", f"{first + i}:a"]
        if tag:
            maps += [f"-metadata:s:a:{i}", f"language={tag}"]
    codecs = (["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"] if video
              else []) + (["-c:a", "aac", "-b:a", "32k"] if tags else [])
    subprocess.run([*args, *maps, *codecs, *container_args, str(path)], check=True)


def sha256(path: Path) -> str:
    """The SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def hexaglot(*args: str, check: bool = False, **kw) -> subprocess.CompletedProcess:
    """Run the `hexaglot` command in a child process with the test's environment."""
    cmd = [sys.executable, "-c", "from hexaglot.cli import app; app()", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=check,
                          env=dict(os.environ), **kw)


def rendition_path(archive, url: str) -> Path:  # noqa: ANN001 - an Archive
    """The blob file holding the registered rendition file served at `url`."""
    asset_id, _, path = url.removeprefix("/media/").partition("/")
    f = archive.catalog.rendition_file(asset_id, path)
    assert f is not None, f"{url} is not a registered rendition file"
    return archive.blobs.path(f.sha256)


def register_file(archive: Archive, asset_id: str, data: bytes = b"media bytes") -> str:
    """Give an asset one registered rendition file (a blob); returns its media path."""
    blob = archive.blobs.put(io.BytesIO(data))
    path = "run1/proxy.mp4"
    archive.catalog.replace_formats(asset_id, {"mp4"}, [Format(
        rendition="mp4", media_type="video/mp4", size=blob.size, sha256=blob.sha256,
        url=f"/media/{asset_id}/{path}")], [RenditionFile(
            rendition="mp4", path=path, media_type="video/mp4", sha256=blob.sha256,
            size=blob.size)])
    return path

