"""Consume the queue: `work()` for `hexaglot worker` (optionally in burst mode) and
`start_background_consumer()` for the web server's thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from huey import Huey

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5


def enqueue(archive: Any, kind: str, asset_id: str | None, params: dict[str, Any]) -> str:
    """Record a job in the log and put it on the queue; returns the job id."""
    job = archive.jobs.create(kind, asset_id, params)
    archive.queue.enqueue(archive.queue.run_job.s(job.id))
    return job.id


def _queued_ids(huey: Huey) -> set[str]:
    """Job ids that Huey holds, waiting or scheduled for a retry."""
    tasks = [*huey.pending(), *huey.scheduled()]
    return {t.args[0] for t in tasks if t.args}


def recover(archive: Any) -> list[str]:
    """Re-queue the jobs whose worker died mid-run (their work dirs are discarded on the
    re-run, and nothing of theirs was registered) and queued jobs the queue lost (a
    worker killed between taking a task and starting it). Returns their ids."""
    ids = []
    for job in archive.jobs.orphans():
        archive.jobs.requeue(job.id)
        ids.append(job.id)
        log.warning("re-queued job %s (%s of %s): its worker died", job.id, job.kind, job.asset_id)
    held = _queued_ids(archive.queue)
    ids += [j.id for j in archive.jobs.list(limit=10_000, status="queued")
            if j.id not in held and j.id not in ids]
    for job_id in ids:
        archive.queue.enqueue(archive.queue.run_job.s(job_id))
    return ids


def _step(huey: Huey) -> bool:
    """Move due retries onto the queue and run one task; False when there was none."""
    for task in huey.read_schedule():
        huey.enqueue(task)
    task = huey.dequeue()
    if task is None:
        return False
    huey.execute(task)
    return True


def work(archive: Any, stop: threading.Event | None = None, burst: bool = False,
         sync: Callable[[], object] | None = None) -> int:
    """Run jobs until `stop` is set, or (burst) until the queue and schedule are empty.
    `sync` (the search index catching up with the catalogue) runs after each task and
    whenever the queue is idle. Returns how many tasks ran."""
    stop = stop or threading.Event()
    huey: Huey = archive.queue
    recover(archive)
    ran = 0
    while not stop.is_set():
        if _step(huey):
            ran += 1
            _run_sync(sync)
            continue
        _run_sync(sync)
        if burst and huey.pending_count() == 0 and huey.scheduled_count() == 0:
            break
        stop.wait(POLL_SECONDS)
    return ran


def _run_sync(sync: Callable[[], object] | None) -> None:
    if sync is None:
        return
    try:
        sync()
    except Exception:  # noqa: BLE001 - the outbox keeps the change; the next call retries
        log.exception("search index could not catch up; will retry")


def start_background_consumer(archive: Any, sync: Callable[[Any], object] | None = None
                              ) -> Callable[[], None]:
    """Consume the queue in a daemon thread (for `serve`/`demo`); returns `stop()`,
    which lets the current job finish and then joins the thread."""
    stop = threading.Event()

    def loop() -> None:
        from hexaglot.archive import open_archive

        own = open_archive(archive.settings)
        try:
            work(own, stop, sync=(lambda: sync(own)) if sync else None)
        except Exception:  # noqa: BLE001 - keep the server up; the job log has the error
            log.exception("background consumer stopped")
        finally:
            own.close()

    thread = threading.Thread(target=loop, name="hexaglot-jobs", daemon=True)
    thread.start()

    def stop_consumer() -> None:
        stop.set()
        thread.join(timeout=30)

    return stop_consumer
