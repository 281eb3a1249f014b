"""The task queue: Huey on SQLite under the home (embedded) or on Redis (server mode).

Huey carries one task, `run_job(job_id)`; what a job does is looked up by its kind in
`hexaglot.jobs.tasks.HANDLERS`, and its status lives in the job log (`jobs.store`).
"""

from __future__ import annotations

from pathlib import Path

from huey import Huey, RedisHuey, SqliteHuey

from hexaglot.config import Settings

#: Retries after the first attempt, first delay (s) and backoff factor between retries.
RETRIES, RETRY_DELAY, RETRY_BACKOFF = 3, 10, 3.0


def make_huey(settings: Settings) -> Huey:
    """A Huey instance for the configured queue URL, with `run_job` registered on it."""
    url = settings.resolved_queue_url
    if url.startswith(("redis://", "rediss://")):
        huey: Huey = RedisHuey("hexaglot", url=url, results=False)
    elif url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        huey = SqliteHuey("hexaglot", filename=str(path), results=False)
    else:
        raise ValueError(f"HEXAGLOT_QUEUE_URL: unsupported queue {url!r} (sqlite:/// or redis://)")
    from hexaglot.jobs.tasks import run_job

    huey.run_job = huey.task(  # type: ignore[attr-defined]
        retries=RETRIES, retry_delay=RETRY_DELAY, retry_backoff=RETRY_BACKOFF, context=True,
        name="hexaglot.run_job",
    )(run_job)
    return huey
