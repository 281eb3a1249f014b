"""Ingest a master recording: probe it, store it byte-for-byte in the blob store, record
it on its asset (created from a catalogue page, or new), and queue its renditions.

The order keeps bad input from leaving anything behind: everything is checked (probe,
page, asset) before the first write, the blob is written atomically, and the catalogue
is changed only after the blob is safely stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hexaglot.domain import Asset, Format
from hexaglot.domain.languages import language_code
from hexaglot.imports import read_pages, store_page
from hexaglot.jobs.worker import enqueue
from hexaglot.media.errors import MediaError
from hexaglot.media.masters import Master, save_master
from hexaglot.media.probe import Probe, probe
from hexaglot.storage import BlobError

_MEDIA_TYPES = {"matroska,webm": "video/x-matroska", "mov,mp4,m4a,3gp,3g2,mj2": "video/mp4",
                "mxf": "application/mxf", "mpegts": "video/mp2t", "avi": "video/x-msvideo"}


@dataclass(frozen=True)
class Ingested:
    """The result of an ingest."""

    asset: Asset
    sha256: str
    size: int
    job_id: str


def preview_of(asset_preview: str | None, languages: list[str]) -> str:
    """The audio language the player starts on: the asset's preview language when the
    master has it, else the floor, else the first track."""
    code = language_code(asset_preview) if asset_preview else None
    if code in languages:
        return code  # type: ignore[return-value]
    return "original" if "original" in languages else languages[0]


def _target(archive: Any, path: Path, asset_id: str | None, page: Path | None) -> Any:
    """Resolve (without writing) what the master will be attached to."""
    if asset_id and page:
        raise MediaError(path, "give --asset or --page, not both")
    if page:
        return read_pages([page])[0]
    if asset_id:
        asset = archive.catalog.get(asset_id)
        if asset is None:
            raise MediaError(path, f"no asset with id {asset_id!r} to attach it to")
        return asset
    return None


def _store_blob(archive: Any, path: Path) -> tuple[str, int]:
    try:
        with open(path, "rb") as fh:
            blob = archive.blobs.put(fh)
    except BlobError as exc:
        raise MediaError(path, str(exc)) from exc
    except OSError as exc:
        raise MediaError(path, f"could not be read ({exc.strerror or exc})") from exc
    if blob.size != path.stat().st_size:
        raise MediaError(path, "changed while it was being copied; ingest it again")
    return blob.sha256, blob.size


def _attach(archive: Any, path: Path, target: Any, p: Probe) -> Asset:
    catalog = archive.catalog
    if target is None:
        asset = Asset(asset_id=catalog.new_asset_id(), title=path.stem)
    elif isinstance(target, Asset):
        asset = target
    else:
        asset = store_page(catalog, target)
    if not asset.available_languages:
        asset.available_languages = p.languages
    if asset.duration_seconds is None:
        asset.duration_seconds = round(p.duration)
    asset.kind = "video"
    return catalog.save(asset)


def ingest(archive: Any, path: str | Path, asset_id: str | None = None,
           page: str | Path | None = None, language_map: dict[int, str] | None = None
           ) -> Ingested:
    """Ingest one master; raises `MediaError` (or the page reader's `InputError`)."""
    path = Path(path)
    p = probe(path, language_map)
    target = _target(archive, path, asset_id, Path(page) if page else None)
    sha, size = _store_blob(archive, path)
    asset = _attach(archive, path, target, p)
    tracks = {a.language: a.number for a in p.audio if a.language}
    save_master(archive.catalog.engine, Master(asset.asset_id, sha, tracks, p.video.height,
                                               p.duration))
    media_type = _MEDIA_TYPES.get(p.format_name, "application/octet-stream")
    archive.catalog.replace_formats(asset.asset_id, {"master"}, [Format(
        rendition="master", language=None, media_type=media_type, size=size, sha256=sha)])
    job_id = enqueue(archive, "derive", asset.asset_id, {"sha256": sha})
    return Ingested(archive.catalog.get(asset.asset_id), sha, size, job_id)
