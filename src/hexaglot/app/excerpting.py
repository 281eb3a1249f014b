"""Downloading what a journalist needs: the video with any one audio language (an MP4 made
by a stream copy), or a time range of it (to the nearest key frame, or exact with
`precise`), as the viewer may see the asset (else `UnknownAsset`)."""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.app.viewing import get_asset
from hexaglot.domain import Audience
from hexaglot.domain.records import RenditionFile
from hexaglot.errors import BadInput
from hexaglot.media.excerpts import excerpt

#: The longest range one request cuts (a whole recording is downloaded without a range).
MAX_RANGE_SECONDS = 4 * 3600


class ExcerptError(BadInput):
    """An excerpt that cannot be made as asked (says why)."""


@dataclass(frozen=True)
class Excerpt:
    """A made excerpt: a temporary file (the caller removes it), its download name and
    media type."""

    path: Path
    filename: str
    media_type: str


def _stamp(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 3600:02d}{whole % 3600 // 60:02d}{whole % 60:02d}"


def make_excerpt(archive: Archive, asset_id: str, viewer: Audience, language: str,
                 start: float | None = None, end: float | None = None,
                 video: bool = True, precise: bool = False) -> Excerpt:
    """The asset's recording in `language` (video and that audio, or the audio alone),
    whole or from `start` to `end` seconds."""
    asset = get_asset(archive, asset_id, viewer)
    files = archive.catalog.rendition_files(asset.asset_id)
    audio = {f.language: f for f in files if f.rendition == "audio-m4a" and f.language}
    if language not in audio:
        have = ", ".join(sorted(audio)) or "none"
        raise ExcerptError(f"asset {asset.asset_id} has no audio in {language[:20]!r} "
                           f"(languages: {have})")
    proxy: RenditionFile | None = next((f for f in files if f.rendition == "mp4"), None)
    if video and proxy is None:
        raise ExcerptError(f"asset {asset.asset_id} has no video to download")
    length = float(asset.duration_seconds or 0) or None
    if start is not None or end is not None:
        start = start or 0.0
        if end is None:
            end = length or start + MAX_RANGE_SECONDS
        if not 0 <= start < end:
            raise ExcerptError(f"the range must start before it ends (got {start:g} to {end:g} s)")
        if length is not None and start >= length:
            raise ExcerptError(f"the range starts at {start:g} s but the recording lasts "
                               f"{length:g} s")
        if end - start > MAX_RANGE_SECONDS:
            raise ExcerptError(f"a range lasts at most {MAX_RANGE_SECONDS} s (asked "
                               f"{end - start:g} s): download the whole recording instead")
    ext = ".mp4" if video else ".m4a"
    span = f"-{_stamp(start)}-{_stamp(end)}" if start is not None and end is not None else ""
    name = f"{asset.asset_id}-{language}{span}{ext}"
    out = Path(tempfile.mkstemp(prefix="hexaglot-excerpt-", suffix=ext)[1])
    try:
        with ExitStack() as stack:
            audio_path = stack.enter_context(archive.blobs.local_file(audio[language].sha256))
            video_path = stack.enter_context(archive.blobs.local_file(proxy.sha256)) \
                if video and proxy else None
            excerpt(audio_path, out, video_path, start, end, precise)
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    return Excerpt(out, name, "video/mp4" if video else "audio/mp4")
