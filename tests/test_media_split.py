"""A long recording's derive split by track into parts (issue 17, item 3): two workers on
one Redis queue share one recording's parts, each part run once; a failed part fails the
derive with its reason, registers nothing, and a retry of the derive makes it whole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import av
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.jobs import handlers, work
from hexaglot.app.today import reason, retry_job, today
from hexaglot.cli import app
from hexaglot.jobs import runner as job_runner

from .live_server import stop_processes
from .media_helpers import LANGS, make_media, rendition_path

cli = CliRunner()
SPLIT = "split: {min_seconds: 0, audio_parts: 2}\n"  # a 2 s recording split as if long
RENDITIONS = ({("hls", None), ("mp4", "original"), ("poster", None), ("thumbnails", None),
               ("waveform", "original")}
              | {(kind, lang) for lang in LANGS for kind in ("audio-m4a", "audio-mp3")})


def _clients(url: str) -> int:
    import redis

    db = int(url.rsplit("/", 1)[1] or 0)
    return sum(1 for c in redis.Redis.from_url(url).client_list() if int(c["db"]) == db)


def _ingest(media: Path) -> str:
    result = cli.invoke(app, ["ingest", str(media)])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_two_workers_share_one_recordings_parts(redis_queue: str, sqlite_home: Path,
                                                 tmp_path: Path) -> None:
    (sqlite_home / "profiles.yaml").write_text(SPLIT)
    media = make_media(tmp_path / "meeting.mkv", seconds=2)
    with open_archive() as archive:  # the catalogue made before two processes open it
        assert archive.catalog.count() == 0
    before = _clients(redis_queue)
    workers = [subprocess.Popen([sys.executable, "-m", "hexaglot", "worker"],
                                env=dict(os.environ), stdout=subprocess.DEVNULL,
                                stderr=(tmp_path / f"worker{i}.log").open("w"))
               for i in range(2)]
    try:
        deadline = time.monotonic() + 60
        while _clients(redis_queue) < before + 2:  # both polling the queue
            assert time.monotonic() < deadline, "the workers did not reach the queue"
            assert all(w.poll() is None for w in workers), [
                (tmp_path / f"worker{i}.log").read_text()[-2000:] for i in range(2)]
            time.sleep(0.1)
        asset_id = _ingest(media)
        with open_archive() as archive:
            [derive] = [j for j in archive.jobs.list(asset_id=asset_id) if j.kind == "derive"]
            deadline, steps = time.monotonic() + 120, set()
            while (job := archive.jobs.get(derive.id)) and job.status not in ("done", "failed"):
                assert time.monotonic() < deadline, f"derive not done: {archive.jobs.list()}"
                steps.add(job.step)  # what Today shows of it meanwhile
                time.sleep(0.2)
    finally:
        stop_processes(workers)  # every job is done: nothing of theirs is cut short
    with open_archive() as archive:
        jobs = archive.jobs.list(asset_id=asset_id)
        derive = next(j for j in jobs if j.kind == "derive")
        assert (derive.status, derive.attempts) == ("done", 1), derive
        assert any(re.fullmatch(r"[0-3] of 3 parts done", s or "") for s in steps), steps
        parts = [j for j in jobs if j.kind == "derive-part"]
        assert sorted(p.params["part"] for p in parts) == ["audio-1", "audio-2", "video"]
        assert all((p.status, p.attempts) == ("done", 1) for p in parts), parts  # run once
        assert {p.params["parent"] for p in parts} == {derive.id}
        pids = {str(w.pid) for w in workers}
        assert {(p.worker or "").rpartition(":")[2] for p in parts} == pids  # both did some

        asset = archive.catalog.get(asset_id)
        by = {(f.rendition, f.language): f for f in asset.formats if f.rendition != "master"}
        assert set(by) == RENDITIONS
        files = archive.catalog.rendition_files(asset_id)
        assert all(archive.blobs.verify(f.sha256) for f in files)
        assert all(f.path.startswith(f"{derive.id}/") for f in files)
        paths = {f.path.removeprefix(f"{derive.id}/") for f in files}
        master = rendition_path(archive, by[("hls", None)].url).read_text()
        for lang in LANGS:  # every language's HLS audio, whichever part made it
            assert f'URI="a-{lang}/index.m3u8"' in master
            playlist = archive.catalog.rendition_file(asset_id,
                                                      f"{derive.id}/hls/a-{lang}/index.m3u8")
            assert playlist is not None, lang
            text = archive.blobs.path(playlist.sha256).read_text()
            init = re.search(r'#EXT-X-MAP:URI="([^"]+)"', text)
            assert init and f"hls/a-{lang}/{init.group(1)}" in paths
            assert all(f"hls/a-{lang}/{seg}" in paths for seg in re.findall(r"seg\d+\.m4s", text))
        assert re.findall(r'DEFAULT=YES[^\n]*URI="([^"]+)"', master) == ["a-original/index.m3u8"]
        with av.open(str(rendition_path(archive, by[("audio-m4a", "es")].url))) as c:
            assert abs(c.duration / av.time_base - 2) < 0.2
        [made] = [e for e in archive.events.events(asset_id) if e.event_type == "derivation"]
        assert "in 3 parts" in made.detail
        assert not list((sqlite_home / "work").glob("*/*"))


def test_a_failed_part_fails_the_derive_and_a_retry_makes_it_whole(sqlite_home: Path,
                                                                   tmp_path: Path) -> None:
    profiles = sqlite_home / "profiles.yaml"
    profiles.write_text("split: {min_seconds: 0}\naudio_mp3: {bitrate: nonsense}\n")
    asset_id = _ingest(make_media(tmp_path / "meeting.mkv", seconds=2))
    with open_archive() as archive:
        [derive] = archive.jobs.list(asset_id=asset_id)
        job_runner.run_job(archive.jobs, handlers(), archive, derive.id)  # no retry left
        failed = archive.jobs.get(derive.id)
        assert failed is not None and failed.status == "failed"
        why = reason(failed) or ""
        assert re.search(r"part video \(job \w+\) of derive \w+ failed: FFmpegError", why), why
        assert [j.id for j in today(archive).failed if j.kind == "derive"] == [derive.id]
        assert archive.catalog.rendition_files(asset_id) == []  # nothing registered
        assert {f.rendition for f in archive.catalog.get(asset_id).formats} == {"master"}
        first = [j for j in archive.jobs.list(asset_id=asset_id) if j.kind == "derive-part"]
        assert sorted((j.params["part"], j.status) for j in first) == [
            ("audio-1", "failed"), ("video", "failed")]
        assert "superseded" in next(j.error for j in first if j.params["part"] == "audio-1")

        profiles.write_text("split: {min_seconds: 0}\n")  # the profile fixed
        retry_job(archive, derive.id, actor="test")
        work(archive, burst=True)
        done = archive.jobs.get(derive.id)
        assert done is not None and done.status == "done", done
        parts = [j for j in archive.jobs.list(asset_id=asset_id) if j.kind == "derive-part"]
        again = [j for j in parts if j.id not in {f.id for f in first}]
        assert sorted((j.params["part"], j.status, j.attempts) for j in again) == [
            ("audio-1", "done", 1), ("video", "done", 1)]
        assert {(f.rendition, f.language) for f in archive.catalog.get(asset_id).formats
                if f.rendition != "master"} == RENDITIONS
        assert all(archive.blobs.verify(f.sha256)
                   for f in archive.catalog.rendition_files(asset_id))
        assert not list((sqlite_home / "work").glob("*/*"))
