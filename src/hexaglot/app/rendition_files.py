"""A derive's files: the clean work directory a job writes them into, the blobs they
become, and the formats (one per rendition) they make up."""

from __future__ import annotations

import shutil
from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.app.media import media_url
from hexaglot.domain import Format, RenditionFile
from hexaglot.media.renditions import Output

MEDIA_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment",
               ".mp4": "video/mp4", ".m4a": "audio/mp4", ".mp3": "audio/mpeg",
               ".jpg": "image/jpeg", ".json": "application/json", ".vtt": "text/vtt"}


def work_dir(archive: Archive, job_id: str) -> Path:
    """A clean local directory for one job's files."""
    work = archive.settings.resolved_home / "work" / job_id
    if work.exists():  # left by a killed run: start clean
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work


def discard_work(archive: Archive, job_id: str) -> None:
    """Remove a job's work directory on this machine, if a killed run left one."""
    shutil.rmtree(archive.settings.resolved_home / "work" / job_id, ignore_errors=True)


def _rendition_of(rel: str, outputs: list[Output]) -> Output:
    """Which rendition a file of the work directory belongs to (an HLS package is many)."""
    for out in outputs:
        if rel == out.path or (out.rendition == "hls" and rel.startswith("hls/")):
            return out
    raise RuntimeError(f"derive wrote {rel}, which belongs to no rendition")


def put_files(archive: Archive, run: str, work: Path, outputs: list[Output]
              ) -> list[RenditionFile]:
    """Put every file of a finished work directory in the blob store (each write hashed
    and verified); the files to register, under `run/`."""
    files: list[RenditionFile] = []
    for file in sorted(p for p in work.rglob("*") if p.is_file()):
        rel = file.relative_to(work).as_posix()
        out = _rendition_of(rel, outputs)
        blob = archive.blobs.put_file(file)
        files.append(RenditionFile(rendition=out.rendition, language=out.language,
                                   path=f"{run}/{rel}", sha256=blob.sha256, size=blob.size,
                                   media_type=MEDIA_TYPES.get(file.suffix, out.media_type)))
    return files


def formats_of(asset_id: str, run: str, files: list[RenditionFile], outputs: list[Output]
               ) -> list[Format]:
    """The formats to register, one per rendition, each naming its main file's URL
    (`RuntimeError` when a rendition's main file is missing)."""
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
    return formats


def store_files(archive: Archive, asset_id: str, run: str, work: Path,
                outputs: list[Output]) -> tuple[list[Format], list[RenditionFile]]:
    """Put every file of a finished work directory in the blob store; the formats (one
    per rendition, its main file's URL) and files to register."""
    files = put_files(archive, run, work, outputs)
    return formats_of(asset_id, run, files, outputs), files
