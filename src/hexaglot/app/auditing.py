"""The fixity audit: re-read blobs (masters, rendition files, transcripts) and compare each
with the SHA-256 it was stored under; record what was found in the preservation log;
repair what can be repaired; flag what cannot.

- `--all` re-reads every blob the catalogue names. `--due` (and the scheduled `audit`
  job, once a day) re-reads the share that keeps every blob read at least once per
  `HEXAGLOT_AUDIT_INTERVAL` days: every blob that would otherwise pass the interval
  before the next run, every blob found failing before, then the longest-unchecked
  ones up to an even share of the archive (its bytes times a day over the interval), so
  each run reads a bounded amount and the work is spread over the interval.
- Findings are committed in batches (at most `BATCH_SECONDS` of reading) with their
  events, and only then reported; a run killed with kill -9 resumes (the next run of
  the same scope) without re-reading anything it reported.
- A damaged rendition file is re-derived from its master (a `derive` job, the repair
  logged when it is done); a damaged transcript is written again from the catalogue's
  cues at once. A damaged or missing master is never overwritten or deleted: its assets
  are flagged (every run's report names them and ends with exit status 1 until the
  master is intact again) and, when a replica is configured, derivation and bags use
  the replica's intact copy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, BinaryIO

from hexaglot.app.archive import Archive
from hexaglot.app.preservation import event
from hexaglot.app.transcripts import write_transcripts
from hexaglot.catalog.fixity import (
    DAMAGED,
    FAILING,
    INTACT,
    MASTER,
    MISSING,
    TRANSCRIPT,
    AuditRun,
    BlobState,
    BlobUse,
    Finding,
)
from hexaglot.domain.events import PreservationEvent
from hexaglot.errors import BadInput
from hexaglot.jobs.runner import Progress
from hexaglot.jobs.store import Job
from hexaglot.storage import BlobMissing
from hexaglot.storage.checksum import sha256_stream

SCOPES = ("all", "due")
#: How often the scheduled audit runs (one run per period, whichever worker starts it).
PERIOD = timedelta(days=1)
#: Findings are committed (and reported) after this much reading, or this many blobs.
BATCH_SECONDS, BATCH_BLOBS = 1.0, 500


@dataclass(frozen=True)
class Checked:
    """One blob re-read: what was found, where the catalogue names it, what was done."""

    finding: Finding
    uses: list[BlobUse]
    action: str = ""

    def as_json(self) -> dict[str, object]:
        """The line `hexaglot audit --json` prints for it."""
        f = self.finding
        return {"sha256": f.sha256, "outcome": f.outcome, "size": f.size, "found": f.found,
                "action": self.action,
                "uses": [{"asset_id": u.asset_id, "role": u.role, "file": u.label}
                         for u in self.uses]}


@dataclass
class AuditReport:
    """What a run did, and what is flagged in the whole archive after it."""

    run: AuditRun
    checked: list[Checked] = field(default_factory=list)
    flagged: list[BlobUse] = field(default_factory=list)
    unrepaired: list[Checked] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No master flagged, nothing damaged left without a repair."""
        return not self.flagged and not self.unrepaired


class _Pace:
    """Reads at most `rate` bytes per second in all (None: no limit)."""

    def __init__(self, rate: float | None) -> None:
        self.rate, self.read, self.began = rate, 0, time.monotonic()

    def wrap(self, fh: BinaryIO) -> BinaryIO:
        pace = self

        class Paced:
            def read(self, n: int = -1) -> bytes:
                data = fh.read(n)
                pace.count(len(data))
                return data

        return Paced()  # type: ignore[return-value]

    def count(self, n: int) -> None:
        self.read += n
        if self.rate:
            ahead = self.read / self.rate - (time.monotonic() - self.began)
            if ahead > 0:
                time.sleep(ahead)


def _interval(archive: Archive) -> timedelta:
    return timedelta(days=archive.settings.audit_interval)


def plan(archive: Archive, run: AuditRun, now: datetime) -> list[BlobState]:
    """The blobs this run still has to read, in the order it reads them."""
    blobs = archive.fixity.blobs(now)
    todo = [b for b in blobs if b.checked is None or b.checked < run.started]
    if run.scope == "all":  # masters first: a rendition's repair needs to know its master
        return sorted(todo, key=lambda b: (not b.master, b.sha256))
    todo.sort(key=lambda b: (b.known_good, b.sha256))
    interval = _interval(archive)
    soon = now - interval + PERIOD
    must = [b for b in todo if b.known_good < soon or b.outcome in FAILING]
    total = sum(b.size or 0 for b in blobs)
    budget = total * (PERIOD / interval) - run.bytes - sum(b.size or 0 for b in must)
    chosen = {b.sha256 for b in must}
    for b in todo:
        if budget <= 0:
            break
        if b.sha256 not in chosen:
            chosen.add(b.sha256)
            budget -= b.size or 0
    return [b for b in todo if b.sha256 in chosen]


def _read(archive: Archive, sha: str, pace: _Pace) -> Finding:
    now = datetime.now(UTC)
    try:
        with archive.blobs.open(sha) as fh:
            found, size = sha256_stream(pace.wrap(fh))
    except BlobMissing:
        return Finding(sha, MISSING, None, None, now)
    except OSError as exc:
        return Finding(sha, DAMAGED, None, f"unreadable: {exc.strerror or exc}"[:64], now)
    return Finding(sha, INTACT if found == sha else DAMAGED, size,
                   None if found == sha else found, now)


def _replica_note(archive: Archive, sha: str) -> str:
    if archive.replica is None:
        return "no replica is configured"
    if archive.replica.verify(sha):
        return "the replica holds an intact copy, used for derivation and bags"
    return "the replica's copy is missing or damaged too"


def _failure(archive: Archive, use: BlobUse, f: Finding) -> PreservationEvent:
    what = f"{use.label} {f.sha256}"
    said = (f"{what} is missing from the blob store" if f.outcome == MISSING else
            f"{what} is damaged: its bytes hash to {f.found}")
    if use.role == MASTER:
        said += f"; kept as it is (a master is never overwritten); {_replica_note(archive, f.sha256)}"
    return event(use.asset_id, "fixity check", "audit", said, "failure", f.sha256)


def _events(archive: Archive, batch: list[Checked]) -> list[PreservationEvent]:
    """One event per asset for its intact files, one per failing file."""
    intact: dict[str, dict[str, int]] = {}
    out = []
    for c in batch:
        for use in c.uses:
            if c.finding.outcome == INTACT:
                roles = intact.setdefault(use.asset_id, {})
                roles[use.role] = roles.get(use.role, 0) + 1
            else:
                out.append(_failure(archive, use, c.finding))
    for asset_id, roles in intact.items():
        parts = ", ".join(f"{n} {role}{'s' if n > 1 and role != MASTER else ''}"
                          for role, n in sorted(roles.items()))
        out.append(event(asset_id, "fixity check", "audit",
                         f"{sum(roles.values())} files re-read, SHA-256 as stored: {parts}"))
    return out


def _master_state(archive: Archive, asset_id: str) -> str | None:
    master = archive.catalog.master(asset_id)
    if master is None:
        return None
    state = archive.fixity.states([master.sha256]).get(master.sha256)
    return state.outcome if state else None


def _rederive(archive: Archive, asset_id: str, bad: list[Checked]) -> str:
    """Queue the re-derivation of an asset's damaged renditions; what was done."""
    master = archive.catalog.master(asset_id)
    if master is None:
        return "cannot be re-derived: the asset has no master"
    if _master_state(archive, asset_id) in FAILING and (
            archive.replica is None or not archive.replica.verify(master.sha256)):
        return "cannot be re-derived: its master is damaged too and no intact replica exists"
    busy = [j for j in archive.jobs.list(limit=20, asset_id=asset_id)
            if j.kind == "derive" and j.status in ("queued", "running")]
    if busy:
        return f"re-derivation already queued (job {busy[0].id})"
    repair = [{"sha256": c.finding.sha256, "label": u.label} for c in bad for u in c.uses
              if u.asset_id == asset_id]
    job_id = archive.jobs.create("derive", asset_id, {"sha256": master.sha256,
                                                      "repair": repair})
    archive.queue.put(job_id)
    return f"re-derivation from the master queued (job {job_id})"


def _rewrite_transcripts(archive: Archive, asset_id: str, shas: list[str]) -> str:
    with archive.catalog.transaction() as tx:
        formats = write_transcripts(archive, tx, asset_id, "audit", shas)
        archive.fixity.mark_intact({f.sha256 for f in formats if f.sha256},
                                   datetime.now(UTC), tx.session)
    archive.changed()
    return "written again from the catalogue's cues"


def _repair(archive: Archive, batch: list[Checked]) -> list[Checked]:
    """Repair the batch's failing rendition files and transcripts; each with its action."""
    by_asset: dict[tuple[str, str], list[Checked]] = {}
    for c in batch:
        if c.finding.outcome == INTACT:
            continue
        for use in c.uses:
            if use.role != MASTER:
                by_asset.setdefault((use.asset_id, use.role), []).append(c)
    actions: dict[str, list[str]] = {}
    for (asset_id, role), bad in sorted(by_asset.items()):
        if role == TRANSCRIPT:
            done = _rewrite_transcripts(archive, asset_id, [c.finding.sha256 for c in bad])
        else:
            done = _rederive(archive, asset_id, bad)
        for c in bad:
            actions.setdefault(c.finding.sha256, []).append(done)
    return [Checked(c.finding, c.uses, "; ".join(dict.fromkeys(actions.get(
        c.finding.sha256, ["kept as it is (a master is never overwritten)"]
        if c.finding.outcome != INTACT else [])))) for c in batch]


def _open_run(archive: Archive, scope: str, run_id: int | None) -> AuditRun:
    if scope not in SCOPES:
        raise BadInput(f"audit scope must be one of {', '.join(SCOPES)}, not {scope!r}")
    now = datetime.now(UTC)
    run = archive.fixity.run(run_id) if run_id is not None else archive.fixity.unfinished(scope)
    return run if run is not None else archive.fixity.start_run(scope, now)


def _flagged(archive: Archive) -> list[BlobUse]:
    failing = archive.fixity.failing()
    return [u for uses in archive.fixity.uses(failing).values() for u in uses
            if u.role == MASTER]


def audit(archive: Archive, scope: str = "due", run_id: int | None = None,
          on_checked: Callable[[Checked], None] | None = None,
          progress: Progress | None = None) -> AuditReport:
    """Run (or resume) an audit of `scope` (`all` or `due`); see the module docstring."""
    run = _open_run(archive, scope, run_id)
    todo = plan(archive, run, datetime.now(UTC))
    planned = sum(b.size or 0 for b in todo) or 1
    pace = _Pace(archive.settings.audit_max_rate * 1e6 if archive.settings.audit_max_rate
                 else None)
    report = AuditReport(run)
    batch: list[Finding] = []
    started, done = time.monotonic(), 0
    for i, blob in enumerate(todo):
        batch.append(_read(archive, blob.sha256, pace))
        done += batch[-1].size or blob.size or 0
        last = i == len(todo) - 1
        if last or len(batch) >= BATCH_BLOBS or batch[-1].outcome != INTACT or \
                time.monotonic() - started >= BATCH_SECONDS:
            _commit(archive, run, batch, report, on_checked)
            batch, started = [], time.monotonic()
            if progress is not None:
                progress(min(done / planned, 1.0), f"audit: {i + 1} of {len(todo)} blobs")
    archive.fixity.finish(run.id, datetime.now(UTC))
    report.run = archive.fixity.run(run.id) or run
    report.flagged = _flagged(archive)
    return report


def _commit(archive: Archive, run: AuditRun, findings: list[Finding], report: AuditReport,
            on_checked: Callable[[Checked], None] | None) -> None:
    """Store a batch's findings with their events, repair what fails, then report it."""
    uses = archive.fixity.uses(f.sha256 for f in findings)
    batch = [Checked(f, uses.get(f.sha256, [])) for f in findings]
    read = sum(f.size or 0 for f in findings)
    archive.fixity.record(run.id, findings, read, _events(archive, batch))
    for c in _repair(archive, batch):
        report.checked.append(c)
        if c.finding.outcome != INTACT and any(u.role != MASTER for u in c.uses) and \
                c.action.startswith("cannot"):
            report.unrepaired.append(c)
        if on_checked is not None:
            on_checked(c)


def run_audit(archive: Archive, job: Job, progress: Progress) -> None:
    """The `audit` job: the scheduled run it was queued for (`params.run`)."""
    audit(archive, "due", run_id=job.params.get("run"), progress=progress)


def schedule_audit(archive: Archive, now: datetime | None = None) -> str | None:
    """Queue today's `audit` job unless it is queued already (by any worker); its id."""
    now = now or datetime.now(UTC)
    slot = f"due:{now.date().isoformat()}"

    def make_job(session: Any, run_id: int) -> str:
        return archive.jobs.create("audit", None, {"run": run_id}, session=session)

    job_id = archive.fixity.schedule("due", slot, now, make_job)
    if job_id is not None:
        archive.queue.put(job_id)
    return job_id
