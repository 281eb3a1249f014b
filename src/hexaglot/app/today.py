"""The cataloguer's Today: the assets changed lately with their state, the jobs running
with their progress and step, the jobs that failed with their reason; a failed job retried."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from hexaglot.app.archive import Archive
from hexaglot.domain import Asset
from hexaglot.errors import Conflict, NotFound
from hexaglot.jobs.store import Job as Job  # what the surfaces show of a job

#: How many recent assets and jobs Today shows.
RECENT = 50


@dataclass(frozen=True)
class Today:
    """What a cataloguer sees first."""

    assets: list[Asset]
    active: list[Job]   # queued or running
    failed: list[Job]
    done: list[Job]


def state_of(asset: Asset, today: date | None = None) -> str:
    """`draft`, `embargoed` (published but under an embargo not yet over) or `published`."""
    if asset.status == "draft":
        return "draft"
    if asset.access.startswith("embargoed until "):
        until = date.fromisoformat(asset.access.removeprefix("embargoed until "))
        if until > (today or date.today()):
            return "embargoed"
    return "published"


def today(archive: Archive, limit: int = RECENT) -> Today:
    """The assets most recently changed (staff see everything) and the latest jobs."""
    jobs = archive.jobs.list(limit=limit)
    return Today(
        assets=archive.catalog.list(limit=limit),
        active=[j for j in jobs if j.status in ("queued", "running")],
        failed=[j for j in jobs if j.status == "failed"],
        done=[j for j in jobs if j.status == "done"],
    )


def reason(job: Job) -> str | None:
    """Why a job failed, in plain words: the error's last line (a fault's traceback, kept
    in the job log, is not shown)."""
    lines = [x.strip() for x in (job.error or "").splitlines() if x.strip()]
    return lines[-1][:500] if lines else None


def jobs_of(archive: Archive, limit: int = RECENT) -> list[Job]:
    """The latest jobs, newest first (what the Today page polls)."""
    return archive.jobs.list(limit=limit)


def retry_job(archive: Archive, job_id: str, actor: str | None = None) -> Job:
    """Queue a failed job again (the job log says who: `actor`); `NotFound` or
    `Conflict` when there is none to retry."""
    job = archive.jobs.get(job_id)
    if job is None:
        raise NotFound(f"no job {job_id!r}")
    if job.status != "failed":
        raise Conflict(f"job {job_id} is {job.status}; only a failed job is retried")
    archive.jobs.requeue(job_id, reason=f"retried by {actor or 'a cataloguer'}")
    archive.queue.put(job_id)
    again = archive.jobs.get(job_id)
    assert again is not None
    return again
