"""kill -9 at random points of ingest, derive, import and reindex (issue 9, item 7): after
every kill the archive holds no half-registered asset, no registered format or file whose
blob is missing or damaged, no batch stored in part; and every job finishes once a worker
runs again. 20 kill points each, spread over the run time of the command."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.searching import parse, search
from hexaglot.domain import Audience

from .media_helpers import make_media

pytestmark = pytest.mark.slow
HEXAGLOT = [sys.executable, "-m", "hexaglot"]
POINTS = 20


def _run_and_kill(args: list[str], after: float) -> int | None:
    """Start `hexaglot ARGS`, kill -9 it after `after` seconds; its exit code if it ended
    first, else None."""
    proc = subprocess.Popen([*HEXAGLOT, *args], env=dict(os.environ),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return proc.wait(timeout=after)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        return None


def _kill_points(rng: random.Random, span: float) -> list[float]:
    """POINTS moments spread over `span` seconds (one in each slice, jittered)."""
    return [span * (i + rng.random()) / POINTS for i in range(POINTS)]


def _duration(args: list[str]) -> float:
    t0 = time.monotonic()
    done = subprocess.run([*HEXAGLOT, *args], env=dict(os.environ), capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - t0


def assert_consistent(archive: Archive) -> None:
    """The invariants every kill must leave true."""
    catalog = archive.catalog
    for asset in catalog.iter_assets():
        master = catalog.master(asset.asset_id)
        master_formats = [f for f in asset.formats if f.rendition == "master"]
        jobs = archive.jobs.list(asset_id=asset.asset_id)
        if asset.parent_id is None and (master or master_formats):  # an ingested master
            assert master and master_formats and jobs, f"{asset.asset_id} half-registered"
            assert archive.blobs.verify(master.sha256), f"{asset.asset_id}: master not intact"
        for f in catalog.rendition_files(asset.asset_id):
            assert archive.blobs.verify(f.sha256), f"{asset.asset_id}: {f.path} not intact"
        registered = {f.rendition for f in catalog.rendition_files(asset.asset_id)}
        listed = {f.rendition for f in asset.formats if f.rendition != "master"}
        assert listed == registered, f"{asset.asset_id}: formats {listed} files {registered}"


def _finish_jobs(archive: Archive) -> None:
    done = subprocess.run([*HEXAGLOT, "worker", "--burst"], env=dict(os.environ),
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    statuses = {j.status for j in archive.jobs.list(limit=10_000)}
    assert statuses <= {"done"}, [(j.id, j.status, j.error) for j in archive.jobs.list()]


def test_kill_ingest_anywhere(sqlite_home: Path, tmp_path: Path) -> None:
    rng = random.Random(9001)
    media = make_media(tmp_path / "m.mkv", seconds=2)
    span = _duration(["ingest", str(media)]) * 1.3
    for at in _kill_points(rng, span):
        _run_and_kill(["ingest", str(media)], at)
        with open_archive() as archive:
            assert_consistent(archive)
    with open_archive() as archive:
        _finish_jobs(archive)
        assert_consistent(archive)
        assert all({"hls", "mp4"} <= {f.rendition for f in a.formats}
                   for a in archive.catalog.iter_assets())


def test_kill_derive_anywhere(sqlite_home: Path, tmp_path: Path) -> None:
    rng = random.Random(9002)
    media = make_media(tmp_path / "m.mkv", seconds=3, size="640x360")
    assert subprocess.run([*HEXAGLOT, "ingest", str(media)], env=dict(os.environ),
                          capture_output=True, timeout=120).returncode == 0
    with open_archive() as archive:
        [asset] = list(archive.catalog.iter_assets())
        job_id = archive.jobs.list()[0].id
    span = _duration(["worker", "--burst"]) * 1.2
    for at in _kill_points(rng, span):
        # queue the derive again, as a re-derive does
        with open_archive() as archive, archive.catalog.engine.begin() as conn:
            conn.execute(sa.text("UPDATE jobs SET status = 'queued' WHERE id = :i"),
                         {"i": job_id})
        _run_and_kill(["worker", "--burst"], at)
        with open_archive() as archive:
            assert_consistent(archive)
    with open_archive() as archive:
        _finish_jobs(archive)
        assert_consistent(archive)
        formats = {f.rendition for f in archive.catalog.get(asset.asset_id).formats}
        assert {"hls", "mp4", "poster", "audio-m4a"} <= formats
        assert not list((archive.settings.resolved_home / "work").glob("*/*"))


def _pages(folder: Path, n: int) -> list[str]:
    folder.mkdir()
    paths = []
    for i in range(n):
        path = folder / f"p{i:04d}.txt"
        path.write_text(
            f"Item {i} - Security Council, {9000 + i}th Meeting\n\nPreview Language:   English\n"
            "16-Feb-2022 00:10:00\nA summary.\n\nAvailable Languages: English\nOther Formats\n"
            "A headline\n\nThe representative of Ghana said peace mattered.\n\n"
            "Personal Subjects\nParent ID\nAsset ID\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def test_kill_import_anywhere_stores_the_whole_batch_or_nothing(sqlite_home: Path,
                                                                 tmp_path: Path) -> None:
    rng = random.Random(9003)
    paths = _pages(tmp_path / "pages", 120)
    probe = tmp_path / "probe"
    os.environ["HEXAGLOT_HOME"], home = str(probe), os.environ["HEXAGLOT_HOME"]
    try:
        span = _duration(["import", "page", *paths]) * 1.2
    finally:
        os.environ["HEXAGLOT_HOME"] = home
    with open_archive() as archive:  # an empty archive (migrated, its index made) to start from
        archive.changed()
    empty = tmp_path / "empty-home"
    shutil.copytree(sqlite_home, empty, symlinks=True)  # search/current is a link
    counts = set()
    for at in _kill_points(rng, span):
        finished = _run_and_kill(["import", "page", *paths], at)
        assert finished in (None, 0), f"import page exited {finished} (not killed)"
        with open_archive() as archive:
            n = archive.catalog.count()
            counts.add(n)
            assert n in (0, len(paths)), f"a batch stored in part: {n} of {len(paths)}"
            if finished is None and n == 0:
                assert archive.catalog.outbox_pending() == []
        if n:  # stored whole: start again from the empty archive (a copy, not 120 deletes)
            shutil.rmtree(sqlite_home)
            shutil.copytree(empty, sqlite_home, symlinks=True)
    assert 0 in counts, "no kill landed before the commit"


def test_kill_reindex_anywhere_leaves_no_leftovers(sqlite_home: Path, tmp_path: Path) -> None:
    rng = random.Random(9004)
    paths = _pages(tmp_path / "pages", 120)
    assert subprocess.run([*HEXAGLOT, "import", "page", *paths], env=dict(os.environ),
                          capture_output=True, timeout=300).returncode == 0
    span = _duration(["reindex"]) * 1.2
    root = sqlite_home / "search"
    for at in _kill_points(rng, span):
        _run_and_kill(["reindex"], at)
        with open_archive() as archive:
            hits = search(archive, parse("Ghana", per_page=1), Audience.PUBLIC)
            assert hits.total == len(paths)  # the old (or new) index always serves
    assert _duration(["reindex"]) > 0
    leftovers = sorted(p.name for p in root.iterdir()
                       if p.name.startswith(("index-", ".current-", "rebuilding",
                                             "rebuild-journal")))
    assert len([n for n in leftovers if n.startswith("index-")]) == 1, leftovers
    assert not [n for n in leftovers if not n.startswith("index-")], leftovers
