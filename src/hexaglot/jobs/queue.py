"""The task queue: Huey on SQLite under the home (embedded) or on Redis (server mode).

Huey carries one task, `hexaglot.run_job(job_id)`; what a job does is looked up by its kind
in the handler registry the application hands to `make_huey` (see `jobs.runner`), and its
status lives in the job log (`jobs.store`). This package never imports what it runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hexaglot.errors import BadInput

if TYPE_CHECKING:  # Huey (and the Redis and PostgreSQL clients it loads) on first use
    from huey import Huey

#: Retries after the first attempt, first delay (s) and backoff factor between retries.
RETRIES, RETRY_DELAY, RETRY_BACKOFF = 3, 10, 3.0
TASK_NAME = "hexaglot.run_job"

RunJob = Callable[[str, Any], None]


class Queue:
    """A Huey instance with the one task that runs a job of the log."""

    def __init__(self, huey: Huey, run_job: RunJob) -> None:
        self.huey = huey
        self.task = huey.task(retries=RETRIES, retry_delay=RETRY_DELAY,
                              retry_backoff=RETRY_BACKOFF, context=True,
                              name=TASK_NAME)(run_job)

    def put(self, job_id: str) -> None:
        """Queue a job of the log for a worker."""
        self.huey.enqueue(self.task.s(job_id))

    def held(self) -> set[str]:
        """Job ids that Huey holds, waiting or scheduled for a retry."""
        tasks = [*self.huey.pending(), *self.huey.scheduled()]
        return {t.args[0] for t in tasks if t.args}


def make_huey(url: str) -> Huey:
    """A Huey instance for a queue URL (`sqlite:///path` or `redis://host:port/db`)."""
    from huey import RedisHuey, SqliteHuey

    if url.startswith(("redis://", "rediss://")):
        return RedisHuey("hexaglot", url=url, results=False)
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey("hexaglot", filename=str(path), results=False)
    raise BadInput(f"HEXAGLOT_QUEUE_URL: unsupported queue {url!r} (sqlite:/// or redis://)")


def open_queue(url: str, run_job: RunJob) -> Queue:
    """The queue at `url`, running jobs with `run_job(job_id, task)`."""
    return Queue(make_huey(url), run_job)
