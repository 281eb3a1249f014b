"""Job kinds and the workers that run them: the application registers what each kind
does (`HANDLERS`) with the generic queue of `hexaglot.jobs`, and hands it its archive."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from hexaglot.app.archive import Archive, open_archive
from hexaglot.catalog.history import acting_as
from hexaglot.config import Settings
from hexaglot.jobs import runner, worker
from hexaglot.jobs.store import Job
from hexaglot.search.sync import catch_up

log = logging.getLogger(__name__)


@functools.cache
def handlers() -> runner.Handlers:
    """Every job kind and its handler, `handler(archive, job, progress)`: imported when a
    job first runs, so a process that only queues jobs (`ingest`, `clip`) does not load
    ffmpeg's bindings, numpy and the speech backends."""
    from hexaglot.app.auditing import run_audit
    from hexaglot.app.derive_parts import KIND as KIND_DERIVE_PART
    from hexaglot.app.derive_parts import run_derive_part
    from hexaglot.app.deriving import run_derive
    from hexaglot.app.transcribing import KIND as KIND_TRANSCRIBE
    from hexaglot.app.transcribing import run_transcribe
    from hexaglot.app.transcripts import run_transcripts

    return {"derive": run_derive, KIND_DERIVE_PART: run_derive_part,
            "transcripts": run_transcripts, "audit": run_audit,
            KIND_TRANSCRIBE: run_transcribe}


#: How often a long-running worker looks whether a scheduled job is due (seconds).
SCHEDULE_EVERY = 60.0
#: Called with (job, fraction, step) while a job runs in this process (the CLI's bars).
progress_hooks: list[runner.ProgressHook] = []


def run_queued_job(settings: Settings, job_id: str, task: Any = None) -> None:
    """The queue's one task: run a job of the log with a fresh archive of its own."""
    with open_archive(settings) as archive, acting_as(f"job:{job_id}"):
        runner.run_job(archive.jobs, handlers(), archive, job_id,
                       retries_left=getattr(task, "retries", 0) or 0, hooks=progress_hooks)


def scheduling(archive: Archive, sync: Callable[[], object]) -> Callable[[], None]:
    """`sync`, and at most every `SCHEDULE_EVERY` seconds the scheduled jobs (today's
    fixity audit): what a long-running worker does between jobs."""
    from hexaglot.app.auditing import schedule_audit

    last = [float("-inf")]

    def tick() -> None:
        sync()
        if time.monotonic() - last[0] >= SCHEDULE_EVERY:
            last[0] = time.monotonic()
            try:
                if (job_id := schedule_audit(archive)) is not None:
                    log.info("scheduled today's fixity audit (job %s)", job_id)
            except Exception:  # noqa: BLE001 - the next tick tries again
                log.exception("could not schedule the fixity audit; will retry")

    return tick


def work(archive: Archive, burst: bool = False, stop: threading.Event | None = None) -> int:
    """Run queued jobs (re-running those whose worker died) until stopped or, with
    `burst`, until the queue is empty; the index catches up after each. A long-running
    worker (not `burst`) also queues the scheduled jobs when due. Returns how many ran."""
    sync = archive.changed if burst else scheduling(archive, archive.changed)
    return worker.work(archive.jobs, archive.queue, stop, burst, sync=sync)


def start_consumer(settings: Settings) -> Callable[[], None]:
    """Run jobs in a background thread of this process (for `serve` and `demo`), the
    index catching up as it goes; returns `stop()`."""

    def consume(stop: threading.Event) -> None:
        with open_archive(settings) as own:
            worker.work(own.jobs, own.queue, stop,
                        sync=scheduling(own, lambda: catch_up(own.catalog, own.search)))

    return worker.start_background_consumer(consume)


def list_jobs(archive: Archive, limit: int = 50, status: str | None = None) -> list[Job]:
    """Jobs, newest first."""
    return archive.jobs.list(limit=limit, status=status)
