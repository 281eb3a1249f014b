"""The job log: every queued job with its status (queued, running, failed, done) and error.

Huey carries only a job id; this table is the truth. A worker that dies (kill -9) leaves
its jobs `running`; `orphans()` finds them so the next worker re-runs them.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from hexaglot.jobs.tables import jobs

#: A running job whose heartbeat is older than this is presumed dead (other hosts).
STALE_AFTER = timedelta(minutes=5)
STATUSES = ("queued", "running", "failed", "done")


@dataclass(frozen=True)
class Job:
    """One row of the job log."""

    id: str
    kind: str
    asset_id: str | None
    params: dict[str, Any]
    status: str
    attempts: int
    error: str | None
    worker: str | None
    created: datetime
    updated: datetime


def worker_name() -> str:
    """This process as `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def _now() -> datetime:
    return datetime.now(UTC)


def _alive(worker: str | None) -> bool:
    host, _, pid = (worker or "").rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _aware(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value and value.tzinfo is None else value


class JobStore:
    """Read and write the job log on the catalogue's database."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine

    def create(self, kind: str, asset_id: str | None, params: dict[str, Any]) -> Job:
        """Record a new queued job."""
        now = _now()
        row = {"id": uuid.uuid4().hex, "kind": kind, "asset_id": asset_id, "params": params,
               "status": "queued", "attempts": 0, "created": now, "updated": now}
        with self.engine.begin() as conn:
            conn.execute(jobs.insert().values(**row))
        return self.get(row["id"])  # type: ignore[return-value]

    def get(self, job_id: str) -> Job | None:
        """One job, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(jobs.select().where(jobs.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def list(self, limit: int = 100, status: str | None = None) -> list[Job]:
        """Jobs, newest first."""
        stmt = jobs.select().order_by(jobs.c.created.desc()).limit(limit)
        if status:
            stmt = stmt.where(jobs.c.status == status)
        with self.engine.connect() as conn:
            return [_job(r) for r in conn.execute(stmt).mappings()]

    def _set(self, job_id: str, **values: Any) -> None:
        values.setdefault("updated", _now())
        with self.engine.begin() as conn:
            conn.execute(jobs.update().where(jobs.c.id == job_id).values(**values))

    def start(self, job_id: str) -> None:
        """Mark a job running in this process (one more attempt)."""
        now = _now()
        self._set(job_id, status="running", worker=worker_name(), heartbeat=now,
                  attempts=jobs.c.attempts + 1, error=None)

    def beat(self, job_id: str) -> None:
        """Show that the running job is still alive."""
        self._set(job_id, heartbeat=_now())

    def finish(self, job_id: str) -> None:
        """Mark a job done."""
        self._set(job_id, status="done", error=None)

    def fail(self, job_id: str, error: str, retrying: bool) -> None:
        """Record an error: the job is queued again when it will be retried, else failed."""
        self._set(job_id, status="queued" if retrying else "failed", error=error[:4000])

    def requeue(self, job_id: str) -> None:
        """Put a job back to queued (after its worker died)."""
        self._set(job_id, status="queued", error="worker died; re-run")

    def orphans(self) -> list[Job]:
        """Running jobs whose worker is gone (dead process here, or a stale heartbeat)."""
        stale = _now() - STALE_AFTER
        found = []
        for job in self.list(limit=10_000, status="running"):
            host = (job.worker or "").rpartition(":")[0]
            with self.engine.connect() as conn:
                beat = conn.execute(sa.select(jobs.c.heartbeat).where(jobs.c.id == job.id)).scalar()
            if host == socket.gethostname():
                if not _alive(job.worker):
                    found.append(job)
            elif beat is None or _aware(beat) < stale:
                found.append(job)
        return found


def _job(row: Any) -> Job:
    return Job(id=row["id"], kind=row["kind"], asset_id=row["asset_id"], params=row["params"],
               status=row["status"], attempts=row["attempts"], error=row["error"],
               worker=row["worker"], created=_aware(row["created"]),  # type: ignore[arg-type]
               updated=_aware(row["updated"]))  # type: ignore[arg-type]
