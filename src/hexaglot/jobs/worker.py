"""Consume the queue: `work()` for `hexaglot worker` (optionally in burst mode) and
`start_background_consumer()` for the web server's thread."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from hexaglot.jobs.queue import Queue
from hexaglot.jobs.store import JobStore

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
#: How often a long-running worker looks for jobs whose worker died (seconds).
RECOVER_EVERY = 30.0


def recover(store: JobStore, queue: Queue) -> list[str]:
    """Re-queue the jobs whose worker died mid-run (their work dirs are discarded on the
    re-run, and nothing of theirs was registered) and queued jobs the queue does not hold
    (a worker killed between taking a task and starting it, or a job recorded in the same
    transaction as its use case whose process died before queueing it). Returns their ids."""
    ids = []
    for job in store.orphans():
        store.requeue(job.id)
        ids.append(job.id)
        log.warning("re-queued job %s (%s of %s): its worker died", job.id, job.kind, job.asset_id)
    held = queue.held()
    ids += [j.id for j in store.list(limit=10_000, status="queued")
            if j.id not in held and j.id not in ids]
    for job_id in ids:
        queue.put(job_id)
    return ids


def _step(queue: Queue) -> bool:
    """Move due retries onto the queue and run one task; False when there was none."""
    huey = queue.huey
    for task in huey.read_schedule():
        huey.enqueue(task)
    task = huey.dequeue()
    if task is None:
        return False
    huey.execute(task)
    return True


def work(store: JobStore, queue: Queue, stop: threading.Event | None = None,
         burst: bool = False, sync: Callable[[], object] | None = None) -> int:
    """Run jobs until `stop` is set, or (burst) until the queue and schedule are empty;
    every `RECOVER_EVERY` seconds, jobs whose worker died (here or elsewhere) are queued
    again.
    `sync` (the search index catching up with the catalogue) runs after each task and
    whenever the queue is idle. Returns how many tasks ran."""
    stop = stop or threading.Event()
    huey = queue.huey
    recover(store, queue)
    ran, recovered = 0, time.monotonic()
    while not stop.is_set():
        if time.monotonic() - recovered >= RECOVER_EVERY:  # a worker elsewhere may have died
            recovered = time.monotonic()
            try:
                recover(store, queue)
            except Exception:  # noqa: BLE001 - the next round tries again
                log.exception("could not look for jobs of dead workers; will retry")
        if _step(queue):
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


def start_background_consumer(consume: Callable[[threading.Event], object]
                              ) -> Callable[[], None]:
    """Run `consume(stop)` (typically `work` over the process's own archive) in a daemon
    thread, for `serve`/`demo`; returns `stop()`, which lets the current job finish and
    then joins the thread."""
    stop = threading.Event()

    def loop() -> None:
        try:
            consume(stop)
        except Exception:  # noqa: BLE001 - keep the server up; the job log has the error
            log.exception("background consumer stopped")

    thread = threading.Thread(target=loop, name="hexaglot-jobs", daemon=True)
    thread.start()

    def stop_consumer() -> None:
        stop.set()
        thread.join(timeout=30)

    return stop_consumer
