"""Derive: make every rendition of an asset from its master (or its parent's span of it),
store each file as a blob, then register the formats and their files in one transaction.

The renditions are written into a work directory (`HEXAGLOT_HOME/work/<job id>`) first;
only once every file is a verified blob does the catalogue change, so a job killed at any
moment leaves nothing registered, and its re-run starts from a clean work directory.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.app.preservation import MasterDamaged, event, intact_copy
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Format, Master, RenditionFile
from hexaglot.domain.events import PreservationEvent
from hexaglot.domain.languages import preview_of
from hexaglot.errors import BadInput
from hexaglot.jobs.runner import Progress
from hexaglot.jobs.store import Job
from hexaglot.media.profiles import load_profiles
from hexaglot.media.renditions import Output, Source, derive

#: Every rendition a derive (re)places in the catalogue.
RENDITIONS = ("hls", "mp4", "audio-m4a", "audio-mp3", "poster", "thumbnails", "waveform")
MEDIA_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment",
               ".mp4": "video/mp4", ".m4a": "audio/mp4", ".mp3": "audio/mpeg",
               ".jpg": "image/jpeg", ".json": "application/json", ".vtt": "text/vtt"}

__all__ = ["RENDITIONS", "MasterDamaged", "media_url", "run_derive", "store_files"]


def media_url(asset_id: str, path: str) -> str:
    """The URL a registered rendition file is served under."""
    return f"/media/{asset_id}/{path}"


def work_dir(archive: Archive, job_id: str) -> Path:
    """A clean local directory for one job's files."""
    work = archive.settings.resolved_home / "work" / job_id
    if work.exists():  # left by a killed run: start clean
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work


def _rendition_of(rel: str, outputs: list[Output]) -> Output:
    """Which rendition a file of the work directory belongs to (an HLS package is many)."""
    for out in outputs:
        if rel == out.path or (out.rendition == "hls" and rel.startswith("hls/")):
            return out
    raise RuntimeError(f"derive wrote {rel}, which belongs to no rendition")


def store_files(archive: Archive, asset_id: str, run: str, work: Path,
                outputs: list[Output]) -> tuple[list[Format], list[RenditionFile]]:
    """Put every file of a finished work directory in the blob store; the formats (one
    per rendition, its main file's URL) and files to register."""
    files: list[RenditionFile] = []
    for file in sorted(p for p in work.rglob("*") if p.is_file()):
        rel = file.relative_to(work).as_posix()
        out = _rendition_of(rel, outputs)
        blob = archive.blobs.put_file(file)
        files.append(RenditionFile(rendition=out.rendition, language=out.language,
                                   path=f"{run}/{rel}", sha256=blob.sha256, size=blob.size,
                                   media_type=MEDIA_TYPES.get(file.suffix, out.media_type)))
    by_path = {f.path: f for f in files}
    formats = []
    for out in outputs:
        main = by_path.get(f"{run}/{out.path}")
        if main is None:
            raise RuntimeError(f"rendition {out.rendition} missing: {out.path}")
        size = sum(f.size for f in files if f.rendition == out.rendition
                   and (out.rendition == "hls" or f.path == main.path))
        formats.append(Format(rendition=out.rendition, language=out.language,
                              media_type=out.media_type, size=size, sha256=main.sha256,
                              url=media_url(asset_id, main.path)))
    return formats, files


def _events(asset_id: str, job: Job, master: Master, from_replica: bool,
            files: list[RenditionFile], before: list[RenditionFile]) -> list[PreservationEvent]:
    """The derivation, the repairs it makes, and the files of the earlier one it takes
    out of the manifest."""
    copy = "the replica's copy of " if from_replica else ""
    renditions = sorted({f.rendition for f in files})
    out = [event(asset_id, "derivation", "derive",
                 f"{len(renditions)} renditions ({len(files)} files) derived from {copy}master "
                 f"{master.sha256} by job {job.id}", sha256=master.sha256)]
    made = {f.sha256 for f in files}
    for bad in job.params.get("repair") or []:
        out.append(event(asset_id, "repair", "derive",
                         f"damaged rendition file {bad.get('label', '')} re-derived from "
                         f"{copy}master {master.sha256} by job {job.id}"
                         + ("" if bad.get("sha256") in made else "; its new file has a new "
                            "checksum"), sha256=bad.get("sha256")))
    dropped = [f for f in before if f.rendition in RENDITIONS and f.path not in
               {g.path for g in files}]
    if dropped:
        out.append(event(asset_id, "deletion", "derive",
                         f"{len(dropped)} rendition files of an earlier derivation taken out of "
                         "the manifest (replaced by this one; their blobs are kept)"))
    return out


def run_derive(archive: Archive, job: Job, progress: Progress) -> None:
    """The `derive` job: every rendition of `job.asset_id`, registered at once, with its
    preservation events (and, when the job repairs damaged files, the repairs)."""
    asset_id = job.asset_id or ""
    asset = archive.catalog.get(asset_id)
    master = archive.catalog.master(asset_id)
    if asset is None:
        raise UnknownAsset(asset_id)
    if master is None:
        raise BadInput(f"asset {asset_id} has no master recording")
    progress(0.0, "checking the master")
    store = intact_copy(archive, master.sha256, f"master of asset {asset_id}")
    work = work_dir(archive, job.id)
    try:
        with store.local_file(master.sha256) as path:
            src = Source(path=path, duration=master.duration, height=master.height,
                         tracks=master.tracks, start=master.start, end=master.end,
                         preview=preview_of(asset.preview_language, list(master.tracks)))
            outputs = derive(src, load_profiles(archive.settings), work, progress)
        progress(0.96, "storing")
        formats, files = store_files(archive, asset_id, job.id, work, outputs)
        before = archive.catalog.rendition_files(asset_id)
        events = _events(asset_id, job, master, store is not archive.blobs, files, before)
        with archive.catalog.transaction() as tx:
            tx.replace_formats(asset_id, RENDITIONS, formats, files)
            archive.events.append(events, session=tx.session)
            archive.fixity.mark_intact({f.sha256 for f in files}, datetime.now(UTC), tx.session)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    archive.changed()
