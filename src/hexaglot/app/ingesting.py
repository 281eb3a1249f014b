"""Ingest a master recording: probe it, store it byte for byte in the blob store, then in
one transaction record it on its asset (from a catalogue page, an existing asset, or a
new draft), with its master, its `master` format and its derive job.

Everything is checked before the first write (probe, page, asset); the blob is written
atomically (an orphan blob, if the process dies right after, is harmless: nothing names
it); the catalogue changes only in the one transaction, so a crash leaves either nothing
or the whole: never an asset without its master or its job. The job is queued after the
commit; a job recorded but not queued (a crash in between) is queued by the next worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.app.importing import read_pages, store_page
from hexaglot.app.preservation import event
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Format, Master
from hexaglot.domain.events import PreservationEvent
from hexaglot.domain.records import check_asset_id
from hexaglot.media.errors import MediaError
from hexaglot.media.probe import Probe, parse_language_map, probe
from hexaglot.pages.catalogue_page import CataloguePage
from hexaglot.storage import BlobError

__all__ = ["Ingested", "ingest", "parse_language_map"]


@dataclass(frozen=True)
class Ingested:
    """The result of an ingest."""

    asset: Asset
    sha256: str
    size: int
    job_id: str


def _target(archive: Archive, path: Path, asset_id: str | None,
            page: Path | None) -> Asset | CataloguePage | None:
    """Resolve (without writing) what the master will be attached to."""
    if asset_id and page:
        raise MediaError(path, "give --asset or --page, not both")
    if page:
        return read_pages([page])[0]
    if asset_id:
        try:
            check_asset_id(asset_id)
        except ValueError as exc:
            raise MediaError(path, str(exc)) from None
        asset = archive.catalog.get(asset_id)
        if asset is None:
            raise MediaError(path, f"no asset with id {asset_id!r} to attach it to")
        return asset
    return None


def _store_blob(archive: Archive, path: Path) -> tuple[str, int]:
    try:
        replica = archive.replica  # a replica that cannot be used stops the ingest first
        blob = archive.blobs.put_file(path)
    except BlobError as exc:
        raise MediaError(path, str(exc)) from exc
    except OSError as exc:
        raise MediaError(path, f"could not be read ({exc.strerror or exc})") from exc
    if blob.size != path.stat().st_size:
        raise MediaError(path, "changed while it was being copied; ingest it again")
    if replica is not None:
        try:
            replica.put_file(path, expected_sha256=blob.sha256)
        except BlobError as exc:
            raise MediaError(path, f"could not be copied to the replica "
                             f"(HEXAGLOT_REPLICA_URL): {exc}") from exc
    return blob.sha256, blob.size


def _events(archive: Archive, asset_id: str, path: Path, p: Probe, sha: str, size: int
            ) -> list[PreservationEvent]:
    out = [event(asset_id, "ingestion", "ingest",
                 f"master {path.name} ({p.media_type}, {size} bytes, audio "
                 f"{' '.join(p.languages)}) stored; its SHA-256 was computed while copying",
                 sha256=sha)]
    if archive.replica is not None:
        out.append(event(asset_id, "replication", "ingest",
                         "master copied to the replica blob store and verified", sha256=sha))
    return out


def ingest(archive: Archive, path: str | Path, asset_id: str | None = None,
           page: str | Path | None = None, language_map: dict[int, str] | None = None,
           transcribe: bool = False, actor: str | None = None) -> Ingested:
    """Ingest one master; raises `MediaError` (or the page reader's `InputError`). With
    `transcribe`, its channels are transcribed after the renditions even when
    `HEXAGLOT_TRANSCRIBE` is off. The history names `actor` (else the context's)."""
    path = Path(path)
    p: Probe = probe(path, language_map)
    target = _target(archive, path, asset_id, Path(page) if page else None)
    sha, size = _store_blob(archive, path)
    with archive.catalog.transaction(actor, "ingest") as tx:
        if isinstance(target, Asset):
            asset = tx.get(target.asset_id)
            if asset is None:  # deleted since it was looked up
                raise UnknownAsset(target.asset_id)
        elif isinstance(target, CataloguePage):
            asset = store_page(tx, target)
        else:  # a recording with no record yet: a draft, for staff only
            asset = Asset(asset_id=tx.new_asset_id(), title=path.stem, status="draft")
        asset.available_languages = asset.available_languages or p.languages
        if asset.duration_seconds is None:
            asset.duration_seconds = round(p.duration)
        asset.kind = "video"
        tx.save(asset)
        tx.save_master(Master(asset_id=asset.asset_id, sha256=sha, tracks=p.tracks,
                              height=p.video.height, duration=p.duration))
        tx.replace_formats(asset.asset_id, {"master"}, [Format(
            rendition="master", media_type=p.media_type, size=size, sha256=sha)])
        params: dict[str, object] = {"sha256": sha}
        if transcribe:
            params["transcribe"] = True
        job_id = archive.jobs.create("derive", asset.asset_id, params, session=tx.session)
        archive.events.append(_events(archive, asset.asset_id, path, p, sha, size),
                              session=tx.session)
    archive.queue.put(job_id)
    archive.changed()
    return Ingested(archive.catalog.require(asset.asset_id), sha, size, job_id)
