"""The derive job: make every rendition of an asset in a work directory, move it into
place in one rename, then register the formats — so a job killed at any moment leaves
nothing partial registered, and its re-run starts from a clean work directory.

Layout under the storage root: `renditions/<asset_id>/<job_id>/…` (finished) and
`renditions/.work/<job_id>/` (in progress).
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

from hexaglot.domain import Format
from hexaglot.media.errors import MediaError
from hexaglot.media.ingest import preview_of
from hexaglot.media.masters import get_master
from hexaglot.media.profiles import load_profiles
from hexaglot.media.renditions import Output, Source, derive

#: Every rendition a derive job (re)places in the catalogue.
RENDITIONS = {"hls", "mp4", "audio-m4a", "audio-mp3", "poster", "thumbnails", "waveform"}


def renditions_root(settings: Any) -> Path:
    """Where finished renditions live (served under `/media/`)."""
    root = Path(settings.resolved_storage_path) / "renditions"
    root.mkdir(parents=True, exist_ok=True)
    return root


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _format(asset_id: str, run: Path, out: Output) -> Format:
    file = run / out.path
    size = file.stat().st_size
    if out.rendition == "hls":  # the package: every file of it
        size = sum(f.stat().st_size for f in file.parent.rglob("*") if f.is_file())
    url = f"/media/{asset_id}/{run.name}/{out.path}"
    return Format(rendition=out.rendition, language=out.language, media_type=out.media_type,
                  size=size, sha256=_sha256(file), url=url)


def publish(archive: Any, asset_id: str, work: Path, outputs: list[Output]) -> list[Format]:
    """Move a finished work directory into place and register its formats."""
    for out in outputs:
        if not (work / out.path).is_file():
            raise RuntimeError(f"rendition {out.rendition} missing: {out.path}")
    final = renditions_root(archive.settings) / asset_id / work.name
    final.parent.mkdir(parents=True, exist_ok=True)
    if final.exists():  # an earlier run of this job died after the rename
        shutil.rmtree(final)
    work.rename(final)
    formats = [_format(asset_id, final, out) for out in outputs]
    archive.catalog.replace_formats(asset_id, RENDITIONS, formats)
    for old in final.parent.iterdir():  # earlier runs are no longer referenced
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return formats


def source_for(archive: Any, asset_id: str) -> Source:
    """What to derive an asset's renditions from (its master, or its parent's span)."""
    master = get_master(archive.catalog.engine, asset_id)
    asset = archive.catalog.get(asset_id)
    if master is None or asset is None:
        raise KeyError(f"asset {asset_id} has no master recording")
    path = archive.blobs.path(master.sha256)
    if not archive.blobs.verify(master.sha256):
        raise MediaError(path, f"master of asset {asset_id} is missing or fails its checksum")
    langs = list(master.tracks)
    return Source(path=path, duration=master.duration, height=master.height,
                  tracks=master.tracks, preview=preview_of(asset.preview_language, langs),
                  start=master.start, end=master.end)


def derive_job(archive: Any, job: Any, progress: Any = None) -> list[Format]:
    """Derive and register every rendition of `job.asset_id`."""
    src = source_for(archive, job.asset_id)
    work = renditions_root(archive.settings) / ".work" / job.id
    if work.exists():  # left by a killed run: start clean
        shutil.rmtree(work)
    work.mkdir(parents=True)
    try:
        outputs = derive(src, load_profiles(archive.settings), work, progress)
        return publish(archive, job.asset_id, work, outputs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
