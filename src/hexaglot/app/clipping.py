"""Statement clips: a child asset of a meeting, its renditions cut from the meeting's
master (asset, master span and derive job in one transaction)."""

from __future__ import annotations

from hexaglot.app.archive import Archive
from hexaglot.domain import Asset, Master
from hexaglot.domain.languages import ordered
from hexaglot.media.clips import ClipError, clip_span


def make_clip(archive: Archive, parent_id: str, start: float | None, end: float | None,
              title: str | None = None, speaker: int | None = None,
              actor: str | None = None) -> tuple[Asset, str]:
    """Create the clip asset and queue its renditions; returns (asset, job id). A clip
    takes its parent's access: it is never more visible than its meeting either way."""
    catalog = archive.catalog
    parent = catalog.get(parent_id)
    if parent is None:
        raise ClipError(f"no asset with id {parent_id!r}")
    master = catalog.master(parent_id)
    if master is None:
        raise ClipError(f"asset {parent_id} has no master recording; ingest one first")
    start, end = clip_span(parent, master, start, end, speaker)
    who = parent.speakers[speaker - 1] if speaker else None
    if not title:
        title = f"{who.name} - {parent.title}" if who and who.name else f"{parent.title} (clip)"
    with catalog.transaction(actor, "clip") as tx:
        clip = Asset(
            asset_id=tx.new_asset_id(), parent_id=parent_id, kind="video", title=title,
            recorded_on=parent.recorded_on, duration_seconds=round(end - start),
            preview_language=parent.preview_language,
            available_languages=ordered(list(master.tracks)), meeting=parent.meeting,
            speakers=[who.model_copy(update={"start": 0.0, "end": end - start})] if who else [],
            access=parent.access, status=parent.status,
        )
        tx.save(clip)
        tx.save_master(Master(asset_id=clip.asset_id, sha256=master.sha256,
                              tracks=master.tracks, height=master.height,
                              duration=master.duration, start=start, end=end))
        job_id = archive.jobs.create("derive", clip.asset_id, {
            "sha256": master.sha256, "start": start, "end": end}, session=tx.session)
    archive.queue.put(job_id)
    archive.changed()
    return catalog.require(clip.asset_id), job_id


def reclip(archive: Archive, clip_id: str, start: float, end: float,
           actor: str | None = None) -> tuple[Asset, str]:
    """Move a statement clip's bounds within its meeting's recording, and derive its
    renditions again (master span, duration and job in one transaction)."""
    catalog = archive.catalog
    clip = catalog.get(clip_id)
    if clip is None or not clip.parent_id:
        raise ClipError(f"no statement clip with id {clip_id!r}")
    parent = catalog.require(clip.parent_id)
    master = catalog.master(clip.parent_id)
    if master is None:
        raise ClipError(f"asset {parent.asset_id} has no master recording")
    start, end = clip_span(parent, master, start, end, None)
    with catalog.transaction(actor, "clip") as tx:
        current = tx.get(clip_id)
        if current is None:
            raise ClipError(f"no statement clip with id {clip_id!r}")
        current.duration_seconds = round(end - start)
        current.speakers = [s.model_copy(update={"start": 0.0, "end": end - start})
                            for s in current.speakers]
        tx.save(current)
        tx.save_master(Master(asset_id=clip_id, sha256=master.sha256, tracks=master.tracks,
                              height=master.height, duration=master.duration,
                              start=start, end=end))
        job_id = archive.jobs.create("derive", clip_id, {
            "sha256": master.sha256, "start": start, "end": end}, session=tx.session)
    archive.queue.put(job_id)
    archive.changed()
    return catalog.require(clip_id), job_id
