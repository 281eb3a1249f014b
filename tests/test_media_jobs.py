"""Jobs: a worker killed with kill -9 mid-rendition leaves nothing registered, and the
next worker re-runs the job to completion; failures are listed with their error."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.jobs import work
from hexaglot.cli import app

from .media_helpers import hexaglot, make_media

runner = CliRunner()


def _ingest(path: Path) -> str:
    result = runner.invoke(app, ["ingest", str(path)])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def _ffmpeg_writing_to(work_dir: Path) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if proc.name.isdigit() and "ffmpeg" in cmd and str(work_dir) in cmd:
            pids.append(int(proc.name))
    return pids


def _wait_for_segments(archive, job_id: str, work_dir: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = archive.jobs.get(job_id)
        if job.status == "running" and any(p.is_file() for p in work_dir.rglob("*")):
            return
        assert job.status in ("queued", "running"), job
        time.sleep(0.05)
    raise AssertionError("the worker never started writing renditions")


def test_kill_9_midway_then_restart_finishes_with_nothing_partial(
        sqlite_home: Path, tmp_path: Path) -> None:
    asset_id = _ingest(make_media(tmp_path / "long.mkv", seconds=8, size="640x360"))
    archive = open_archive()
    job_id = archive.jobs.list()[0].id
    work_dir = archive.settings.resolved_home / "work" / job_id
    worker = subprocess.Popen([sys.executable, "-c", "from hexaglot.cli import app; app()",
                               "worker"], env=dict(os.environ),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_segments(archive, job_id, work_dir)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()

    # Killed midway: the job is still marked running, nothing derived is registered.
    assert archive.jobs.get(job_id).status == "running"
    assert [f.rendition for f in archive.catalog.get(asset_id).formats] == ["master"]
    assert archive.catalog.rendition_files(asset_id) == []
    deadline = time.monotonic() + 5
    while _ffmpeg_writing_to(work_dir) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _ffmpeg_writing_to(work_dir) == [], "ffmpeg outlived its killed worker"

    # The next worker re-runs it from scratch and finishes.
    assert work(archive, burst=True) == 1
    job = archive.jobs.get(job_id)
    assert (job.status, job.attempts) == ("done", 2)
    formats = archive.catalog.get(asset_id).formats
    assert {"hls", "mp4", "audio-m4a", "audio-mp3", "poster"} <= {f.rendition for f in formats}
    runs = {f.path.split("/")[0] for f in archive.catalog.rendition_files(asset_id)}
    assert runs == {job_id}
    assert not work_dir.exists()
    archive.close()


def test_failed_job_is_listed_with_its_error(sqlite_home: Path, tmp_path: Path) -> None:
    asset_id = _ingest(make_media(tmp_path / "m.mkv", seconds=2))
    archive = open_archive()
    master = next(f for f in archive.catalog.get(asset_id).formats if f.rendition == "master")
    archive.blobs.delete(master.sha256)  # the master disappears before the job runs
    work(archive, burst=True)
    job = archive.jobs.list()[0]
    assert job.status == "failed" and "checksum" in job.error
    assert [f.rendition for f in archive.catalog.get(asset_id).formats] == ["master"]
    archive.close()

    listed = hexaglot("jobs", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert rows[0]["status"] == "failed" and rows[0]["asset_id"] == asset_id
    assert "missing or fails its checksum" in rows[0]["error"]
    table = hexaglot("jobs")
    assert "failed" in table.stdout


def test_background_consumer_runs_jobs_while_serving(sqlite_home: Path, tmp_path: Path) -> None:
    from hexaglot.app.jobs import start_consumer

    archive = open_archive()
    stop = start_consumer(archive.settings)
    try:
        asset_id = _ingest(make_media(tmp_path / "m.mkv", seconds=2))
        deadline = time.monotonic() + 60
        while archive.jobs.list()[0].status != "done":
            assert time.monotonic() < deadline, archive.jobs.list()
            time.sleep(0.2)
    finally:
        stop()
    assert "hls" in {f.rendition for f in archive.catalog.get(asset_id).formats}
    archive.close()


def test_a_queued_job_the_queue_lost_is_run(sqlite_home: Path, tmp_path: Path) -> None:
    """A worker killed after taking a task but before starting it leaves the job queued in
    the log and absent from the queue; the next worker finds and runs it."""
    asset_id = _ingest(make_media(tmp_path / "m.mkv", seconds=2))
    archive = open_archive()
    assert archive.queue.huey.dequeue() is not None  # taken by a worker that then died
    assert archive.queue.huey.pending_count() == 0
    assert work(archive, burst=True) == 1
    assert archive.jobs.list()[0].status == "done"
    assert "hls" in {f.rendition for f in archive.catalog.get(asset_id).formats}
    archive.close()
