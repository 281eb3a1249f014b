"""Running one job of the log with the handler its kind is registered to.

A handler is `handler(context, job, progress)`; `progress(fraction, step)` reports how far
it got (and is the heartbeat). The application registers the handlers (`Handlers`) and
passes its own context (an archive): this package knows neither.

A job runs only under its lease (`JobStore.claim`), renewed by a heartbeat thread while
the handler runs: a job id delivered to two workers runs once.

Errors: a `HexaglotError` that is `permanent` (bad input, unknown asset, ...) fails the
job at once with its message; anything else is a fault that a retry may fix: the job is
queued again while Huey has retries left, and the traceback is logged, so a bug is never
filed as bad input.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hexaglot.errors import HexaglotError
from hexaglot.jobs.store import BEAT_EVERY, Job, JobStore

log = logging.getLogger(__name__)

Progress = Callable[[float, str | None], None]


#: What a job kind does: `handler(context, job, progress)`.
Handler = Callable[[Any, Job, Progress], None]
Handlers = dict[str, Handler]
#: Called with (job, fraction, step) while a job runs; the CLI sets one to drive a progress bar.
ProgressHook = Callable[[Job, float, str | None], None]


def run_job(store: JobStore, handlers: Handlers, context: Any, job_id: str,
            retries_left: int = 0, hooks: list[ProgressHook] | None = None) -> None:
    """Run one job of the log: mark it running, do it, mark it done or failed. Raises
    (so that the queue retries) only for a fault with `retries_left`."""
    job = store.get(job_id)
    if job is None or job.status in ("done", "failed"):
        return
    handler = handlers.get(job.kind)
    if handler is None:
        store.fail(job_id, f"no handler for job kind {job.kind!r}", retrying=False)
        log.error("job %s: no handler for kind %r", job_id, job.kind)
        return
    if not store.claim(job_id):  # another worker runs it (or just finished it)
        log.info("job %s (%s): another worker holds it; not run here", job_id, job.kind)
        return

    def progress(fraction: float, step: str | None = None) -> None:
        store.beat(job_id, fraction, step)
        for hook in hooks or ():
            hook(job, fraction, step)

    try:
        with heartbeat(store, job_id):
            handler(context, job, progress)
    except HexaglotError as exc:
        if exc.permanent:
            store.fail(job_id, str(exc), retrying=False)
            log.error("job %s (%s of %s) failed: %s", job_id, job.kind, job.asset_id, exc)
            return
        _fault(store, job, exc, retries_left)
    except Exception as exc:  # noqa: BLE001 - a fault: logged with its traceback, retried
        _fault(store, job, exc, retries_left)
    else:
        if not store.finish(job_id):
            log.warning("job %s (%s) finished here after its lease lapsed", job_id, job.kind)


@contextmanager
def heartbeat(store: JobStore, job_id: str, every: float = BEAT_EVERY) -> Iterator[None]:
    """Renew the job's lease every `every` seconds while the block runs (in a thread, so
    a handler busy in ffmpeg or a model keeps it)."""
    done = threading.Event()

    def beat() -> None:
        while not done.wait(every):
            try:
                store.beat(job_id)
            except Exception:  # noqa: BLE001 - the next beat tries again
                log.warning("job %s: could not renew its lease; will retry", job_id)

    thread = threading.Thread(target=beat, name=f"lease-{job_id[:8]}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join(timeout=5)


def _fault(store: JobStore, job: Job, exc: Exception, retries_left: int) -> None:
    retrying = retries_left > 0
    store.fail(job.id, f"{type(exc).__name__}: {exc}", retrying=retrying)
    log.exception("job %s (%s of %s) failed%s", job.id, job.kind, job.asset_id,
                  "; will retry" if retrying else "")
    if retrying:
        raise exc
