"""A derive split into parts that several workers run at once (`media.renditions.plan`).

The `derive` job (the coordinator) records one `derive-part` job per part and queues them;
any worker may take one (its lease in the job log makes it run once). The coordinator
takes every part nobody took yet itself, waits for those others run, and re-queues a part
whose worker died; so one worker alone still finishes the derive, and two share it.

A part writes its files into its own work directory, puts each in the blob store (a
hashed, verified write) and records their list as its result; it registers nothing. Only
when every part is done, and every file it lists is a blob of that size, does the
coordinator register the formats and files, in one transaction (`app.deriving`). A failed
part fails the derive (`PartFailed`, retried like any fault: the re-run makes new parts);
the parts of an earlier attempt are superseded and do nothing.

Window parts (`renditions.windows`) list their media playlists in their result beside their
files; the coordinator joins each rung's windows into one playlist (`join_windows`),
checks it is whole, and remuxes the MP4 proxy from the joined rung before registering.
"""

from __future__ import annotations

import os
import shutil
import time
from contextlib import ExitStack
from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.app.rendition_files import discard_work, put_files, work_dir
from hexaglot.app.today import reason
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Master, RenditionFile
from hexaglot.domain.languages import preview_of
from hexaglot.errors import BadInput, Conflict, HexaglotError
from hexaglot.jobs import runner
from hexaglot.jobs.store import Job
from hexaglot.media import ffmpeg
from hexaglot.media.playlist import join_media_playlists, parse_media_playlist
from hexaglot.media.profiles import Profiles, load_profiles
from hexaglot.media.renditions import (
    Part,
    Source,
    derive_part,
    outputs,
    proxy_args,
    proxy_rung,
    window_init,
    window_playlists,
)

KIND = "derive-part"
#: How often the coordinator looks at the parts others run (seconds).
POLL_SECONDS = 0.5


class PartFailed(HexaglotError):
    """A part of a split derive failed: the derive fails too (and is retried)."""

    code = "part_failed"


class Superseded(Conflict):
    """A part whose derive moved on (re-run, failed or done): it does nothing."""


def source_of(asset: Asset, master: Master, path: Path) -> Source:
    """What a derive of this asset makes its renditions from."""
    return Source(path=path, duration=master.duration, height=master.height,
                  tracks=master.tracks, start=master.start, end=master.end,
                  preview=preview_of(asset.preview_language, list(master.tracks)))


def create_parts(archive: Archive, job: Job, parts: list[Part], from_replica: bool) -> list[str]:
    """Supersede the parts of the derive's earlier attempts, record one part job per part
    (one transaction) and queue them; their ids."""
    current = archive.jobs.get(job.id)
    attempt = current.attempts if current else job.attempts
    supersede(archive, job.id, f"superseded: derive {job.id} runs again (attempt {attempt})")
    with archive.catalog.transaction() as tx:
        ids = [archive.jobs.create(KIND, job.asset_id, {
            "parent": job.id, "attempt": attempt, "part": p.name, "languages": list(p.languages),
            "video": p.video, "ladder": p.ladder, "window": list(p.window) if p.window else None,
            "replica": from_replica}, session=tx.session) for p in parts]
    for part_id in ids:
        archive.queue.put(part_id)
    return ids


def supersede(archive: Archive, parent: str, why: str) -> None:
    """Fail the queued parts of derive `parent` (a part running elsewhere finds out itself
    before it starts, and its files are never registered)."""
    derive = archive.jobs.get(parent)
    asset_id = derive.asset_id if derive else None
    for old in archive.jobs.list(limit=10_000, status="queued", asset_id=asset_id):
        if old.kind == KIND and old.params.get("parent") == parent:
            archive.jobs.fail(old.id, why, retrying=False)
            discard_work(archive, old.id)  # a killed run of it may have left files here


def _part_of(job: Job) -> Part:
    p = job.params
    window = p.get("window")
    return Part(str(p["part"]), tuple(p["languages"]), bool(p["video"]),
                ladder=bool(p.get("ladder", p["video"])),  # a part recorded before windows
                window=(float(window[0]), float(window[1])) if window else None)


def run_derive_part(archive: Archive, job: Job, progress: runner.Progress) -> None:
    """The `derive-part` job: one part's files, stored as blobs and listed as its result."""
    parent_id = str(job.params["parent"])
    parent = archive.jobs.get(parent_id)
    if parent is None or parent.status != "running" or parent.attempts != job.params["attempt"]:
        discard_work(archive, job.id)
        raise Superseded(f"superseded: derive {parent_id} is no longer running attempt "
                         f"{job.params['attempt']}; this part does nothing")
    asset_id = job.asset_id or ""
    asset, master = archive.catalog.get(asset_id), archive.catalog.master(asset_id)
    if asset is None:
        raise UnknownAsset(asset_id)
    if master is None:
        raise BadInput(f"asset {asset_id} has no master recording")
    store = archive.replica if job.params.get("replica") else archive.blobs
    if store is None:
        raise BadInput(f"derive {parent_id} reads the replica, and none is configured")
    work = work_dir(archive, job.id)
    part = _part_of(job)
    try:
        with store.local_file(master.sha256) as path:
            src = source_of(asset, master, path)
            derive_part(src, load_profiles(archive.settings), part, work, progress)
        playlists = window_playlists(work) if part.window else {}
        progress(0.96, "storing")
        files = put_files(archive, parent_id, work, outputs(src))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result: dict[str, object] = {"files": [f.model_dump() for f in files]}
    if part.window:
        result["playlists"] = playlists
    if not archive.jobs.record_result(job.id, result):
        raise RuntimeError(f"part {job.id} lost its lease before recording its files")


def run_parts(archive: Archive, job: Job, ids: list[str], progress: runner.Progress
              ) -> tuple[list[RenditionFile], list[Job]]:
    """Run or wait for every part until all are done: their files (each checked to be a
    stored blob of its size) and the part jobs. `PartFailed` when one failed."""
    jobs = archive.jobs
    handlers: runner.Handlers = {KIND: run_derive_part}
    last = [0.0]

    def report(*_: object) -> None:
        if time.monotonic() - last[0] < 1.0:
            return
        last[0] = time.monotonic()
        parts = [p for i in ids if (p := jobs.get(i)) is not None]
        done = sum(p.status == "done" for p in parts)
        share = sum(1.0 if p.status == "done" else (p.progress or 0.0)
                    if p.status == "running" else 0.0 for p in parts) / max(len(ids), 1)
        progress(0.02 + 0.93 * share, f"{done} of {len(ids)} parts done")

    while True:
        parts = [p for i in ids if (p := jobs.get(i)) is not None]
        if len(parts) != len(ids):
            raise PartFailed(f"derive {job.id}: a part job is missing from the job log")
        if failed := [p for p in parts if p.status == "failed"]:
            bad = failed[0]
            supersede(archive, job.id, f"superseded: part {bad.params.get('part')} failed")
            raise PartFailed(f"part {bad.params.get('part')} (job {bad.id}) of derive {job.id} "
                             f"failed: {reason(bad) or 'no reason recorded'}")
        if all(p.status == "done" for p in parts):
            return _files(archive, job, parts), parts
        if waiting := [p for p in parts if p.status == "queued"]:
            runner.run_job(jobs, handlers, archive, waiting[0].id, hooks=[report])
            continue
        for orphan in jobs.orphans():  # a part whose worker died: taken here next round
            if orphan.id in ids:
                jobs.requeue(orphan.id, "its worker died; re-run")
        report()
        time.sleep(POLL_SECONDS)


def _files(archive: Archive, job: Job, parts: list[Job]) -> list[RenditionFile]:
    files = [RenditionFile.model_validate(f) for p in parts
             for f in (p.params.get("result") or {}).get("files", [])]
    for f in files:
        if not archive.blobs.exists(f.sha256) or archive.blobs.size(f.sha256) != f.size:
            raise PartFailed(f"derive {job.id}: the part that made {f.path} left no blob "
                             f"{f.sha256} of {f.size} bytes")
    return files


def join_windows(archive: Archive, job: Job, src: Source, profiles: Profiles, parts: list[Job],
                 files: list[RenditionFile]) -> list[RenditionFile]:
    """The files of a derive whose ladder window parts made: each rung's windows joined
    into its `index.m3u8` (one init segment when the windows' are the same file; the
    others are then left out), checked whole (segments numbered on, durations adding up
    to the span), and the MP4 proxy remuxed from the joined rung; `PartFailed` when the
    windows do not join. Other derives' files are returned as they are."""
    windows = sorted((p for p in parts if p.params.get("window")),
                     key=lambda p: float(p.params["window"][0]))
    if not windows:
        return files
    by_path = {f.path: f for f in files}
    keep = list(files)
    work = work_dir(archive, job.id)
    out, inputs = work / "out", work / "in"
    try:
        for rung in (r.name for r in profiles.ladder(src.height)):
            folder = f"{job.id}/hls/{rung}"
            inits = [by_path.get(f"{folder}/{window_init(str(p.params['part']), rung)}")
                     for p in windows]
            texts = [((p.params.get("result") or {}).get("playlists") or {}).get(rung)
                     for p in windows]
            if any(i is None for i in inits) or any(t is None for t in texts):
                raise PartFailed(f"derive {job.id}: a window part left no playlist or init "
                                 f"segment of rung {rung}")
            same = len({i.sha256 for i in inits if i}) == 1
            if same:
                dropped = {i.path for i in inits[1:] if i}
                keep = [f for f in keep if f.path not in dropped]
            try:
                text = join_media_playlists([t for t in texts if t],
                                            inits[0].path.rpartition("/")[2]
                                            if same and inits[0] else None)
            except ValueError as exc:
                raise PartFailed(f"derive {job.id}: the windows of rung {rung} do not join: "
                                 f"{exc}") from exc
            seconds = parse_media_playlist(text).seconds
            if abs(seconds - src.span) > 0.1 + 0.05 * len(windows):
                raise PartFailed(f"derive {job.id}: the windows of rung {rung} last "
                                 f"{seconds:.3f} s, the recording {src.span:.3f} s")
            (out / "hls" / rung).mkdir(parents=True)
            (out / "hls" / rung / "index.m3u8").write_text(text)
        rung = proxy_rung(src, profiles)
        audio = f"{job.id}/hls/a-{src.preview}/"
        with ExitStack() as stack:  # the joined rung and the preview audio, as files
            for f in keep:
                if f.path.startswith((f"{job.id}/hls/{rung}/", audio)):
                    link = inputs / f.path.removeprefix(f"{job.id}/")
                    link.parent.mkdir(parents=True, exist_ok=True)
                    os.symlink(stack.enter_context(archive.blobs.local_file(f.sha256)), link)
            shutil.copyfile(out / "hls" / rung / "index.m3u8",
                            inputs / "hls" / rung / "index.m3u8")
            ffmpeg.run(proxy_args(inputs / "hls" / rung / "index.m3u8",
                                  inputs / "hls" / f"a-{src.preview}" / "index.m3u8",
                                  src.preview, out / "proxy.mp4"))
        return keep + put_files(archive, job.id, out, outputs(src))
    finally:
        shutil.rmtree(work, ignore_errors=True)
