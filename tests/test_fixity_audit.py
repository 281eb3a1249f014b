"""The fixity audit on a real archive: one byte flipped in a master, a rendition and a
transcript is found each time (3/3); the rendition is re-derived (from the replica's
copy of the master), the transcript written again, the master left as it is and
flagged; without a replica a failing master stops derivation and bags; a run killed with
kill -9 resumes without re-reading what it reported; daily `--due` runs read every blob
within the interval, a bounded amount each; the audit is scheduled once a day."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from hexaglot.app.archive import Archive
from hexaglot.app.auditing import audit, plan, schedule_audit
from hexaglot.app.bagging import export_bag
from hexaglot.app.ingesting import ingest
from hexaglot.app.jobs import work
from hexaglot.app.preservation import MasterDamaged, fixity_status
from hexaglot.catalog.fixity import INTACT, Finding
from hexaglot.domain import Format
from hexaglot.web.app import create_app

from .interop_archive import MEETING, Built, build, copy_of, open_built
from .live_server import serving
from .media_helpers import hexaglot, make_media


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("fixity"))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def flip(path: Path) -> None:
    """Flip one bit of the middle byte of a (read-only) blob file."""
    mode = path.stat().st_mode
    os.chmod(path, mode | 0o200)
    with open(path, "r+b") as fh:
        fh.seek(path.stat().st_size // 2)
        byte = fh.read(1)
        fh.seek(-1, 1)
        fh.write(bytes([byte[0] ^ 0x01]))
    os.chmod(path, mode)


def _format(archive: Archive, rendition: str, language: str | None) -> Format:
    asset = archive.catalog.require(MEETING)
    return next(f for f in asset.formats if f.rendition == rendition and f.language == language)


def _blob(archive: Archive, sha: str) -> Path:
    return archive.blobs.path(sha)  # type: ignore[attr-defined]


def _audit_json(*args: str) -> tuple[int, list[dict], dict]:
    done = hexaglot("audit", *args, "--json")
    lines = [json.loads(x) for x in done.stdout.splitlines() if x.strip()]
    assert lines and "summary" in lines[-1], done.stdout[-500:] + done.stderr[-500:]
    return done.returncode, lines[:-1], lines[-1]["summary"]


def test_three_flips_are_found_and_only_copies_are_repaired(
        built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = copy_of(built, tmp_path)
    archive = open_built(monkeypatch, own)
    assert audit(archive, "all").ok
    master = archive.catalog.require(MEETING).formats[0]
    mp3, vtt = _format(archive, "audio-mp3", "fr"), _format(archive, "transcript", "fr")
    assert master.rendition == "master" and master.sha256 and mp3.sha256 and vtt.sha256
    for f in (master, mp3, vtt):
        flip(_blob(archive, f.sha256))
    damaged_master = _blob(archive, master.sha256).read_bytes()
    replica = archive.replica.path(master.sha256)  # type: ignore[union-attr]
    replica_before = replica.stat().st_mtime_ns

    code, lines, summary = _audit_json("--all")
    failing = {x["sha256"]: x for x in lines if x["outcome"] != INTACT}
    assert set(failing) == {master.sha256, mp3.sha256, vtt.sha256}  # 3/3
    assert code == 1 and sorted(summary["flagged"], key=lambda x: x["asset_id"]) == [
        {"asset_id": a, "role": "master", "sha256": master.sha256}
        for a in sorted([MEETING, own.clip])]  # the clip is cut from the same master
    assert "re-derivation from the master queued" in failing[mp3.sha256]["action"]
    assert failing[vtt.sha256]["action"] == "written again from the catalogue's cues"
    assert _sha(_blob(archive, vtt.sha256)) == vtt.sha256  # the same cues, the same bytes

    assert work(archive, burst=True) == 1  # the repair job, from the replica's master
    again = _format(archive, "audio-mp3", "fr")
    assert again.sha256 and _sha(_blob(archive, again.sha256)) == again.sha256
    assert _blob(archive, master.sha256).read_bytes() == damaged_master  # never overwritten
    assert replica.stat().st_mtime_ns == replica_before and _sha(replica) == master.sha256
    kinds = [(e.event_type, e.outcome) for e in archive.events.events(MEETING)]
    assert kinds.count(("fixity check", "failure")) == 3
    assert kinds.count(("repair", "success")) == 2  # the transcript and the rendition
    derived = [e for e in archive.events.events(MEETING) if e.event_type == "derivation"]
    assert "the replica's copy of master" in derived[-1].detail
    status = fixity_status(archive, MEETING)
    assert status.master_flagged and [u.role for u, _ in status.failing] == ["master"]

    code, lines, summary = _audit_json("--all")  # the master stays flagged, nothing else
    assert code == 1 and [x["sha256"] for x in lines if x["outcome"] != INTACT] == \
        [master.sha256]
    archive.close()


def test_a_failing_master_without_a_replica(built: Built, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    archive = open_built(monkeypatch, copy_of(built, tmp_path), replica=False)
    master = archive.catalog.master(MEETING)
    assert master is not None
    flip(_blob(archive, master.sha256))
    done = hexaglot("audit", "--all")
    assert done.returncode == 1
    assert f"flagged: asset {MEETING}: master {master.sha256}" in done.stderr.replace("\n", "")
    assert any(e.outcome == "failure" and "no replica is configured" in e.detail
               for e in archive.events.events(MEETING))
    with pytest.raises(MasterDamaged, match="no replica is configured"):
        export_bag(archive, MEETING, tmp_path / "bag")
    assert not (tmp_path / "bag").exists()
    with serving(create_app(archive)) as base:
        page = httpx.get(f"{base}/assets/{MEETING}",
                         headers={"Authorization": "Bearer editor-secret-token"}).text
    assert 'class="flag master-damaged"' in page
    assert _sha(_blob(archive, master.sha256)) != master.sha256  # left as it is
    archive.close()


def test_kill_9_midway_then_resume_reads_nothing_twice(
        built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = open_built(monkeypatch, copy_of(built, tmp_path))
    total = len(archive.fixity.blobs(datetime.now(UTC)))
    monkeypatch.setenv("HEXAGLOT_AUDIT_MAX_RATE", "0.4")  # about 5 s for the whole archive
    proc = subprocess.Popen([sys.executable, "-c", "from hexaglot.cli import app; app()",
                             "audit", "--all", "--json"], stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    assert proc.stdout is not None
    first = [json.loads(proc.stdout.readline())["sha256"] for _ in range(3)]
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    run = archive.fixity.unfinished("all")
    assert run is not None and 3 <= run.blobs < total  # killed midway, findings kept
    monkeypatch.delenv("HEXAGLOT_AUDIT_MAX_RATE")
    code, lines, summary = _audit_json("--all")
    second = [x["sha256"] for x in lines]
    assert code == 0 and summary["run"] == run.id  # the same run, resumed
    assert not set(first) & set(second) and len(second) == total - run.blobs
    assert summary["blobs"] == total and archive.fixity.unfinished("all") is None
    archive.close()


def test_daily_runs_read_every_blob_within_the_interval(
        built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Simulated days: each day's `--due` plan is read (as found intact) on that day."""
    monkeypatch.setenv("HEXAGLOT_AUDIT_INTERVAL", "10")
    archive = open_built(monkeypatch, copy_of(built, tmp_path))
    t0 = datetime.now(UTC).replace(microsecond=0)
    sizes = {b.sha256: b.size or 0 for b in archive.fixity.blobs(t0)}
    total, largest = sum(sizes.values()), max(sizes.values())
    last = dict.fromkeys(sizes, t0)
    for day in range(1, 41):
        now = t0 + timedelta(days=day, hours=1)
        run = archive.fixity.start_run("due", now)
        todo = plan(archive, run, now)
        read = sum(sizes[b.sha256] for b in todo)
        assert read <= total / 10 + 2 * largest, (day, read)
        archive.fixity.record(run.id, [Finding(b.sha256, INTACT, sizes[b.sha256], None, now)
                                       for b in todo], read, [])
        archive.fixity.finish(run.id, now)
        for b in todo:
            last[b.sha256] = now
        assert all(now - seen <= timedelta(days=10) for seen in last.values()), day
    archive.close()


def test_the_audit_is_scheduled_once_a_day(built: Built, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    archive = open_built(monkeypatch, copy_of(built, tmp_path))
    job = schedule_audit(archive)
    assert job is not None and schedule_audit(archive) is None  # one per day
    assert schedule_audit(archive, datetime.now(UTC) + timedelta(days=1)) is not None
    began = time.monotonic()
    assert work(archive, burst=True) == 2
    assert time.monotonic() - began < 60
    assert [j.status for j in archive.jobs.list(limit=5) if j.kind == "audit"] == ["done", "done"]
    assert archive.fixity.unfinished("due") is None
    assert archive.fixity.last_finished() is not None
    archive.close()


def test_an_unusable_replica_stops_the_ingest(sqlite_home: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "not-a-dir").write_text("a file")
    monkeypatch.setenv("HEXAGLOT_REPLICA_URL", str(tmp_path / "not-a-dir"))
    done = hexaglot("ingest", str(make_media(tmp_path / "m.mkv", seconds=1)))
    assert done.returncode != 0 and "HEXAGLOT_REPLICA_URL" in done.stderr
    monkeypatch.delenv("HEXAGLOT_REPLICA_URL")
    assert json.loads(hexaglot("list", "--json").stdout)["total"] == 0


def test_a_replica_in_s3_serves_a_failing_master(sqlite_home: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    moto_server = pytest.importorskip("moto.server")
    from hexaglot.storage.s3 import s3_client

    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        endpoint = f"http://{host}:{port}"
        s3_client(endpoint, "us-east-1", "testing", "testing").create_bucket(Bucket="replica")
        for name, value in (("REPLICA_URL", "s3://replica/masters"), ("S3_ENDPOINT_URL", endpoint),
                            ("S3_REGION", "us-east-1"), ("S3_ACCESS_KEY_ID", "testing"),
                            ("S3_SECRET_ACCESS_KEY", "testing")):
            monkeypatch.setenv(f"HEXAGLOT_{name}", value)
        archive = Archive()
        done = ingest(archive, make_media(tmp_path / "m.mkv", seconds=1))
        assert archive.replica is not None and archive.replica.verify(done.sha256)
        flip(_blob(archive, done.sha256))
        report = audit(archive, "all")
        assert [u.sha256 for u in report.flagged] == [done.sha256]
        assert "the replica holds an intact copy" in archive.events.events(
            done.asset.asset_id)[-1].detail
        export_bag(archive, done.asset.asset_id, tmp_path / "bag")  # from the replica's copy
        masters = list((tmp_path / "bag" / "data" / "files" / "master").iterdir())
        assert [_sha(p) for p in masters] == [done.sha256]
        archive.close()
    finally:
        server.stop()
