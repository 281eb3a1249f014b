"""A worker killed (SIGKILL) while it runs one part of a split derive (issue 17, items 3
and 7): the derive's coordinator, on the other worker, finds the dead part, re-runs it,
and the derive ends whole, registered once, with the killed part run twice and every other
part once; nothing of the killed run is left in the catalogue, the store or the work
directories."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.cli import app

from .live_server import stop_processes
from .media_helpers import make_media

cli = CliRunner()
SPLIT = "split: {min_seconds: 0, audio_parts: 2}\n"  # a short recording split as if long


def _pid(worker: str | None) -> int | None:
    tail = (worker or "").rpartition(":")[2]
    return int(tail) if tail.isdigit() else None


@pytest.mark.slow
def test_a_worker_killed_mid_part_leaves_a_whole_derive(redis_queue: str, sqlite_home: Path,
                                                        tmp_path: Path) -> None:
    (sqlite_home / "profiles.yaml").write_text(SPLIT)
    media = make_media(tmp_path / "meeting.mkv", seconds=12)
    with open_archive() as archive:  # the catalogue made before two processes open it
        assert archive.catalog.count() == 0
    logs = [tmp_path / f"worker{i}.log" for i in range(2)]
    workers = {}
    for log in logs:
        w = subprocess.Popen([sys.executable, "-m", "hexaglot", "worker"], env=dict(os.environ),
                             stdout=subprocess.DEVNULL, stderr=log.open("w"))
        workers[w.pid] = w
    killed_part = None
    try:
        result = cli.invoke(app, ["ingest", str(media)])
        assert result.exit_code == 0, result.output
        asset_id = result.stdout.strip().splitlines()[-1]
        with open_archive() as archive:
            deadline = time.monotonic() + 180
            derive = None
            while killed_part is None:  # a part running on the worker that does not coordinate
                assert time.monotonic() < deadline, archive.jobs.list(asset_id=asset_id)
                jobs = archive.jobs.list(asset_id=asset_id)
                derive = next((j for j in jobs if j.kind == "derive"), None)
                assert derive is None or derive.status != "done", "no part was caught running"
                coordinator = _pid(derive.worker) if derive else None
                for j in jobs:
                    pid = _pid(j.worker)
                    if (j.kind == "derive-part" and j.status == "running" and pid in workers
                            and coordinator is not None and pid != coordinator):
                        os.kill(pid, signal.SIGKILL)
                        workers[pid].wait(timeout=20)
                        killed_part = j.id
                        break
                time.sleep(0.05)
            assert derive is not None
            while (job := archive.jobs.get(derive.id)) and job.status not in ("done", "failed"):
                assert time.monotonic() < deadline, archive.jobs.list(asset_id=asset_id)
                time.sleep(0.2)
    finally:
        stop_processes(workers.values())
    with open_archive() as archive:
        jobs = archive.jobs.list(asset_id=asset_id)
        derive = next(j for j in jobs if j.kind == "derive")
        assert (derive.status, derive.attempts) == ("done", 1), (derive, logs[0].read_text()[-2000:])
        parts = [j for j in jobs if j.kind == "derive-part"]
        assert len(parts) == 3 and {p.params["parent"] for p in parts} == {derive.id}
        assert {p.id: (p.status, p.attempts) for p in parts} == {
            p.id: ("done", 2 if p.id == killed_part else 1) for p in parts}
        files = archive.catalog.rendition_files(asset_id)
        assert len({f.path for f in files}) == len(files) > 10  # registered once
        assert all(f.path.startswith(f"{derive.id}/") for f in files)
        assert all(archive.blobs.verify(f.sha256) for f in files)
        listed = {f["sha256"] for p in parts for f in (p.params.get("result") or {})["files"]}
        assert listed == {f.sha256 for f in files}  # every part's files, the re-run's only
        assert not list((sqlite_home / "work").glob("*/*"))  # the killed run's files gone
        asset = archive.catalog.get(asset_id)
        assert {f.rendition for f in asset.formats} >= {"hls", "mp4", "audio-m4a", "master"}
