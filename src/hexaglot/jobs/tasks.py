"""What each kind of job does, and the one Huey task that runs a job from the log."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from hexaglot.media.errors import MediaError

if TYPE_CHECKING:
    from huey.api import Task

log = logging.getLogger(__name__)
Handler = Callable[[Any, Any, Callable[[float], None]], None]


def _derive(archive: Any, job: Any, progress: Callable[[float], None]) -> None:
    from hexaglot.media.derive import derive_job

    derive_job(archive, job, progress)


#: Job kinds and their handlers: `handler(archive, job, progress(fraction))`.
HANDLERS: dict[str, Handler] = {"derive": _derive}

#: Errors that a retry cannot fix (bad input): the job fails at once.
PERMANENT = (MediaError, KeyError, ValueError)

#: Called with (job, fraction) while a job runs; the CLI sets it to drive a progress bar.
progress_hooks: list[Callable[[Any, float], None]] = []


def run_job(job_id: str, task: Task | None = None) -> None:
    """Run one job of the log: mark it running, do it, mark it done or failed."""
    from hexaglot.archive import open_archive

    archive = open_archive()
    try:
        store = archive.jobs
        job = store.get(job_id)
        if job is None or job.status in ("done", "failed"):
            return
        store.start(job_id)

        def progress(fraction: float) -> None:
            store.beat(job_id)
            for hook in progress_hooks:
                hook(job, fraction)

        try:
            HANDLERS[job.kind](archive, job, progress)
        except PERMANENT as exc:
            store.fail(job_id, f"{type(exc).__name__}: {exc}", retrying=False)
            log.error("job %s failed: %s", job_id, exc)
            return
        except Exception as exc:
            retrying = bool(task and task.retries)
            store.fail(job_id, f"{type(exc).__name__}: {exc}", retrying=retrying)
            raise
        store.finish(job_id)
    finally:
        archive.close()
