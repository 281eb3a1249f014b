"""Derive: make every rendition of an asset from its master (or its parent's span of it),
store each file as a blob, then register the formats and their files in one transaction.

The renditions are written into a work directory (`HEXAGLOT_HOME/work/<job id>`) first;
only once every file is a verified blob does the catalogue change, so a job killed at any
moment leaves nothing registered, and its re-run starts from a clean work directory. The
same transaction lists the asset's transcripts as subtitles of the new HLS package and,
when transcription is on, records one `transcribe` job per audio channel.

A long recording (the `split` profile: at least `min_seconds`, two audio tracks or more)
is derived in parts that several workers run at once (`app.derive_parts`); this job then
registers what they made, in the same one transaction, once every part is done.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

from hexaglot.app.archive import Archive
from hexaglot.app.derive_parts import create_parts, join_windows, run_parts, source_of
from hexaglot.app.preservation import event, intact_copy
from hexaglot.app.rendition_files import formats_of, store_files, work_dir
from hexaglot.app.transcribing import transcription_jobs
from hexaglot.app.transcripts import write_transcripts
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Format, Master, RenditionFile
from hexaglot.domain.events import PreservationEvent
from hexaglot.errors import BadInput
from hexaglot.jobs.runner import Progress
from hexaglot.jobs.store import Job
from hexaglot.media.profiles import load_profiles
from hexaglot.media.renditions import derive, outputs, plan

#: Every rendition a derive (re)places in the catalogue.
RENDITIONS = ("hls", "mp4", "audio-m4a", "audio-mp3", "poster", "thumbnails", "waveform")

__all__ = ["RENDITIONS", "run_derive"]


def _events(asset_id: str, job: Job, master: Master, from_replica: bool,
            files: list[RenditionFile], before: list[RenditionFile], how: str = ""
            ) -> list[PreservationEvent]:
    """The derivation, the repairs it makes, and the files of the earlier one it takes
    out of the manifest."""
    copy = "the replica's copy of " if from_replica else ""
    renditions = sorted({f.rendition for f in files})
    out = [event(asset_id, "derivation", "derive",
                 f"{len(renditions)} renditions ({len(files)} files) derived from {copy}master "
                 f"{master.sha256} by job {job.id}{how}", sha256=master.sha256)]
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
    preservation events (and, when the job repairs damaged files, the repairs); made in
    one go, or by the parts `plan` splits a long recording into."""
    asset_id = job.asset_id or ""
    asset = archive.catalog.get(asset_id)
    master = archive.catalog.master(asset_id)
    if asset is None:
        raise UnknownAsset(asset_id)
    if master is None:
        raise BadInput(f"asset {asset_id} has no master recording")
    progress(0.0, "checking the master")
    store = intact_copy(archive, master.sha256, f"master of asset {asset_id}")
    profiles = load_profiles(archive.settings)
    src = source_of(asset, master, archive.settings.resolved_home)  # no file is read
    parts = plan(src, profiles)
    if len(parts) > 1:
        ids = create_parts(archive, job, parts, store is not archive.blobs)
        progress(0.02, f"0 of {len(ids)} parts done")
        files, done = run_parts(archive, job, ids, progress)
        if any(p.window for p in parts):
            progress(0.95, "joining the windows")
            files = join_windows(archive, job, src, profiles, done, files)
        progress(0.96, "registering")
        workers = sorted({p.worker or "?" for p in done})
        how = f" in {len(done)} parts (workers {', '.join(workers)})"
        formats = formats_of(asset_id, job.id, files, outputs(src))
        _register(archive, job, asset, master, store is not archive.blobs, formats, files, how)
        return
    work = work_dir(archive, job.id)
    try:
        with store.local_file(master.sha256) as path:
            made = derive(source_of(asset, master, path), profiles, work, progress)
        progress(0.96, "storing")
        formats, files = store_files(archive, asset_id, job.id, work, made)
        _register(archive, job, asset, master, store is not archive.blobs, formats, files)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _register(archive: Archive, job: Job, asset: Asset, master: Master, from_replica: bool,
              formats: list[Format], files: list[RenditionFile], how: str = "") -> None:
    """Register the formats and files, their events, fixity and the transcripts' subtitles
    in one transaction; then queue the transcriptions it recorded."""
    asset_id = asset.asset_id
    before = archive.catalog.rendition_files(asset_id)
    events = _events(asset_id, job, master, from_replica, files, before, how)
    with archive.catalog.transaction() as tx:
        tx.lock(asset_id)
        tx.replace_formats(asset_id, RENDITIONS, formats, files)
        archive.events.append(events, session=tx.session)
        archive.fixity.mark_intact({f.sha256 for f in files}, datetime.now(UTC), tx.session)
        write_transcripts(archive, tx, asset_id, "derive")  # the new HLS master lists them
        queued = (transcription_jobs(archive, asset, tx.session)
                  if transcribe_after(archive, job, master) else [])
    for job_id in queued:
        archive.queue.put(job_id)
    archive.changed()


def transcribe_after(archive: Archive, job: Job, master: Master) -> bool:
    """Whether the channels are transcribed once the renditions are made: with
    `HEXAGLOT_TRANSCRIBE=on` (or a derive asked to), for a meeting's own master (a
    statement clip's words are its meeting's)."""
    asked = archive.settings.transcribe or bool(job.params.get("transcribe"))
    return asked and not master.start and master.end is None
