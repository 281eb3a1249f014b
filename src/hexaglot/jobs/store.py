"""The job log: every queued job with its status (queued, running, failed, done), its
progress and its error.

Huey carries only a job id; this table is the truth. A worker runs a job only after
`claim` took its lease: one conditional update, so of any number of workers on any
machines that were handed the same job id, exactly one runs it. The lease is kept by a
heartbeat (`beat`, every `BEAT_EVERY` seconds while the job runs, whatever the handler
does); a worker that dies (kill -9, a lost machine) leaves its job `running` with a
heartbeat that stops, and `orphans()` finds it (at once for a dead process on this host,
after `STALE_AFTER` elsewhere) so the next worker re-runs it. Only the lease holder may
mark its job done or failed.
"""

from __future__ import annotations

import builtins
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hexaglot.catalog.tables import JobRow

#: A running job whose heartbeat is older than this is presumed dead (other hosts).
STALE_AFTER = timedelta(seconds=90)
#: How often a running job's lease is renewed (seconds).
BEAT_EVERY = 15.0
STATUSES = ("queued", "running", "failed", "done")
jobs: sa.Table = JobRow.__table__  # type: ignore[assignment]


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
    progress: float | None = None
    step: str | None = None


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

    def create(self, kind: str, asset_id: str | None, params: dict[str, Any],
               session: Session | None = None) -> str:
        """Record a new queued job and return its id; with `session`, inside that
        session's transaction (it commits, or not, with the rest of the use case)."""
        now = _now()
        row = {"id": uuid.uuid4().hex, "kind": kind, "asset_id": asset_id, "params": params,
               "status": "queued", "attempts": 0, "created": now, "updated": now}
        if session is not None:
            session.execute(jobs.insert().values(**row))
        else:
            with self.engine.begin() as conn:
                conn.execute(jobs.insert().values(**row))
        return str(row["id"])

    def get(self, job_id: str) -> Job | None:
        """One job, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(jobs.select().where(jobs.c.id == job_id)).mappings().first()
        return _job(row) if row else None

    def list(self, limit: int = 100, status: str | None = None,
             asset_id: str | None = None) -> list[Job]:
        """Jobs, newest first."""
        stmt = jobs.select().order_by(jobs.c.created.desc()).limit(limit)
        if status:
            stmt = stmt.where(jobs.c.status == status)
        if asset_id:
            stmt = stmt.where(jobs.c.asset_id == asset_id)
        with self.engine.connect() as conn:
            return [_job(r) for r in conn.execute(stmt).mappings()]

    def _set(self, job_id: str, **values: Any) -> None:
        values.setdefault("updated", _now())
        with self.engine.begin() as conn:
            conn.execute(jobs.update().where(jobs.c.id == job_id).values(**values))

    def claim(self, job_id: str) -> bool:
        """Take the job's lease for this process (one more attempt) when it is queued, or
        running under a lease that lapsed; False when another worker holds it or it is
        finished. One conditional update: of concurrent claims, one wins."""
        now = _now()
        stmt = jobs.update().where(
            jobs.c.id == job_id,
            sa.or_(jobs.c.status == "queued",
                   sa.and_(jobs.c.status == "running",
                           sa.or_(jobs.c.heartbeat.is_(None),
                                  jobs.c.heartbeat < now - STALE_AFTER))),
        ).values(status="running", worker=worker_name(), heartbeat=now, updated=now,
                 attempts=jobs.c.attempts + 1, error=None, progress=0.0)
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def _own(self, job_id: str, **values: Any) -> bool:
        """Update the job if this process holds its lease; False when it does not."""
        values.setdefault("updated", _now())
        stmt = jobs.update().where(jobs.c.id == job_id, jobs.c.status == "running",
                                   jobs.c.worker == worker_name()).values(**values)
        with self.engine.begin() as conn:
            return conn.execute(stmt).rowcount == 1

    def beat(self, job_id: str, progress: float | None = None, step: str | None = None) -> bool:
        """Renew this process's lease of a running job (and say how far it got); False
        when the lease is no longer this process's."""
        values: dict[str, Any] = {"heartbeat": _now()}
        if progress is not None:
            values["progress"] = round(min(max(progress, 0.0), 1.0), 4)
        if step is not None:
            values["step"] = step[:80]
        return self._own(job_id, **values)

    def record_result(self, job_id: str, result: dict[str, Any]) -> bool:
        """Keep what this process's running job made, as `params["result"]` (a derive
        part's files, for the derive that registers them); False when the lease is not
        this process's."""
        job = self.get(job_id)
        return job is not None and self._own(job_id, params={**job.params, "result": result})

    def finish(self, job_id: str) -> bool:
        """Mark this process's job done (False: its lease was lost, another runs it)."""
        return self._own(job_id, status="done", error=None, progress=1.0)

    def fail(self, job_id: str, error: str, retrying: bool) -> None:
        """Record an error: the job is queued again when it will be retried, else failed
        (a job this process does not run, or no longer holds, is left alone)."""
        now = _now()
        stmt = jobs.update().where(jobs.c.id == job_id, sa.or_(
            jobs.c.status != "running", jobs.c.worker == worker_name())).values(
            status="queued" if retrying else "failed", error=error[:4000], updated=now)
        with self.engine.begin() as conn:
            conn.execute(stmt)

    def requeue(self, job_id: str, reason: str = "worker died; re-run") -> None:
        """Put a job back to queued (after its worker died, or for a retry by hand)."""
        self._set(job_id, status="queued", error=reason)

    def orphans(self) -> builtins.list[Job]:
        """Running jobs whose worker is gone (dead process here, or a stale heartbeat)."""
        stale = _now() - STALE_AFTER
        stmt = sa.select(jobs.c.id, jobs.c.worker, jobs.c.heartbeat).where(
            jobs.c.status == "running")
        with self.engine.connect() as conn:
            rows = conn.execute(stmt).all()
        found = []
        for job_id, worker, beat in rows:
            host = (worker or "").rpartition(":")[0]
            dead = (not _alive(worker)) if host == socket.gethostname() else (
                beat is None or _aware(beat) < stale)  # type: ignore[operator]
            if dead and (job := self.get(job_id)) is not None:
                found.append(job)
        return found


def _job(row: Any) -> Job:
    return Job(id=row["id"], kind=row["kind"], asset_id=row["asset_id"], params=row["params"],
               status=row["status"], attempts=row["attempts"], error=row["error"],
               worker=row["worker"], created=_aware(row["created"]),  # type: ignore[arg-type]
               updated=_aware(row["updated"]),  # type: ignore[arg-type]
               progress=row["progress"], step=row["step"])
