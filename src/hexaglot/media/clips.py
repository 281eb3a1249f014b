"""Statement clips: a child asset of a meeting whose renditions are cut, frame-accurately,
from the meeting's master in every language the meeting has."""

from __future__ import annotations

from typing import Any

from hexaglot.domain import Asset
from hexaglot.domain.languages import ordered
from hexaglot.jobs.worker import enqueue
from hexaglot.media.masters import Master, get_master, save_master


class ClipError(ValueError):
    """A clip cannot be made as asked."""


def _span(parent: Asset, master: Master, start: float | None, end: float | None,
          speaker: int | None) -> tuple[float, float]:
    if speaker is not None:
        if not 1 <= speaker <= len(parent.speakers):
            raise ClipError(f"asset {parent.asset_id} has {len(parent.speakers)} speaker(s); "
                            f"there is no speaker {speaker}")
        who = parent.speakers[speaker - 1]
        start = who.start if start is None else start
        end = who.end if end is None else end
        if start is None or end is None:
            raise ClipError(f"speaker {speaker} ({who.name}) has no known start and end; "
                            "give --start and --end")
    if start is None or end is None:
        raise ClipError("give --start and --end (or --speaker N)")
    if not 0 <= start < end:
        raise ClipError(f"the clip must start before it ends (got {start} to {end})")
    if end > master.duration + 0.5:
        raise ClipError(f"the clip ends at {end:.1f} s but the recording lasts "
                        f"{master.duration:.1f} s")
    return start, min(end, master.duration)


def make_clip(archive: Any, parent_id: str, start: float | None, end: float | None,
              title: str | None = None, speaker: int | None = None) -> tuple[Asset, str]:
    """Create the clip asset and queue its renditions; returns (asset, job id)."""
    catalog = archive.catalog
    parent = catalog.get(parent_id)
    if parent is None:
        raise ClipError(f"no asset with id {parent_id!r}")
    master = get_master(catalog.engine, parent_id)
    if master is None:
        raise ClipError(f"asset {parent_id} has no master recording; ingest one first")
    start, end = _span(parent, master, start, end, speaker)
    who = parent.speakers[speaker - 1] if speaker else None
    if not title:
        title = f"{who.name} - {parent.title}" if who and who.name else \
            f"{parent.title} (clip)"
    clip = Asset(
        asset_id=catalog.new_asset_id(), parent_id=parent_id, kind="video", title=title,
        recorded_on=parent.recorded_on, duration_seconds=round(end - start),
        preview_language=parent.preview_language,
        available_languages=ordered(master.tracks), meeting=parent.meeting,
        speakers=[who.model_copy(update={"start": 0.0, "end": end - start})] if who else [],
        access=parent.access,
    )
    clip = catalog.save(clip)
    save_master(catalog.engine, Master(clip.asset_id, master.sha256, master.tracks,
                                       master.height, master.duration, start, end))
    job_id = enqueue(archive, "derive", clip.asset_id, {"sha256": master.sha256,
                                                        "start": start, "end": end})
    return clip, job_id
