"""Media commands: ingest, worker, jobs, clip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn
from rich.table import Table

from hexaglot.cli import app
from hexaglot.cli.output import console, err_console, fail, print_json, reported
from hexaglot.domain import parse_duration


@app.command()
def ingest(
    media: Path = typer.Argument(..., help="The master recording (video with its audio tracks)."),
    asset: str | None = typer.Option(None, "--asset", help="Attach to this existing asset."),
    page: Path | None = typer.Option(None, "--page", help="Catalogue page describing it."),
    language_map: str | None = typer.Option(
        None, "--language-map", help="Audio languages by stream number from 1: 1=original,2=ar"),
    transcribe: bool = typer.Option(
        False, "--transcribe", help="Transcribe every channel after the renditions (as "
        "HEXAGLOT_TRANSCRIBE=on does for every ingest)."),
) -> None:
    """Store a master recording and queue its renditions; prints the asset id last. A
    recording with no record yet becomes a draft asset (staff only)."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.ingesting import ingest as ingest_media
    from hexaglot.app.ingesting import parse_language_map

    try:
        mapping = parse_language_map(language_map)
    except ValueError as exc:
        fail(f"{media}: {exc}")
    with open_archive() as archive, reported():
        done = ingest_media(archive, media, asset_id=asset, page=page, language_map=mapping,
                            transcribe=transcribe)
        on = transcribe or archive.settings.transcribe
    langs = " ".join(done.asset.available_languages)
    then = ("then the transcription of every channel" if on else
            "transcription is off: set HEXAGLOT_TRANSCRIBE=on (or pass --transcribe, or run "
            f"hexaglot transcribe {done.asset.asset_id}) to transcribe the channels")
    err_console.print(f"stored master sha256 {done.sha256} ({done.size} bytes); "
                      f"languages {langs}; renditions queued (job {done.job_id}); {then}",
                      highlight=False, soft_wrap=True)
    print(done.asset.asset_id)


def _progress_hook(progress: Progress) -> Callable[[Any, float, str | None], None]:
    bars: dict[str, TaskID] = {}

    def hook(job: Any, fraction: float, step: str | None) -> None:
        if job.id not in bars:
            bars[job.id] = progress.add_task(f"{job.kind} {job.asset_id}", total=1.0)
        progress.update(bars[job.id], completed=fraction,
                        description=f"{job.kind} {job.asset_id} {step or ''}")

    return hook


@app.command()
def worker(
    burst: bool = typer.Option(False, "--burst", help="Exit once the queue is empty."),
) -> None:
    """Run queued jobs (renditions); re-runs jobs whose worker died."""
    from hexaglot.app import jobs as jobs_app
    from hexaglot.app.archive import open_archive

    progress = Progress(TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                        console=err_console, disable=not err_console.is_terminal)
    hook = _progress_hook(progress)
    jobs_app.progress_hooks.append(hook)
    ran = 0
    try:
        with open_archive() as archive, progress:
            ran = jobs_app.work(archive, burst=burst)
    except KeyboardInterrupt:
        pass
    finally:
        jobs_app.progress_hooks.remove(hook)
    if burst:
        err_console.print(f"queue empty; ran {ran} task(s)")


@app.command()
def jobs(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    limit: int = typer.Option(50, min=1, help="How many jobs, newest first."),
) -> None:
    """List jobs: queued, running, failed and done, with their progress and errors."""
    from hexaglot.app import jobs as jobs_app
    from hexaglot.app.archive import open_archive

    with open_archive() as archive:
        rows = jobs_app.list_jobs(archive, limit=limit)
    if as_json:
        print_json([{"id": j.id, "kind": j.kind, "asset_id": j.asset_id, "status": j.status,
                     "attempts": j.attempts, "progress": j.progress, "step": j.step,
                     "error": j.error, "created": j.created.isoformat(),
                     "updated": j.updated.isoformat()} for j in rows])
        return
    table = Table("Job", "Kind", "Asset ID", "Status", "Tries", "Done", "Updated", "Error")
    for j in rows:
        done = f"{round((j.progress or 0) * 100)}%" if j.progress is not None else ""
        table.add_row(j.id[:8], j.kind, j.asset_id or "", j.status, str(j.attempts), done,
                      j.updated.strftime("%Y-%m-%d %H:%M:%S"), j.error or "")
    console.print(table)


def _seconds(text: str | None, name: str) -> float | None:
    if text is None:
        return None
    try:
        return parse_duration(text)
    except ValueError as exc:
        fail(f"{name}: {exc}")


@app.command()
def clip(
    parent: str = typer.Argument(..., help="The meeting's asset id."),
    start: str | None = typer.Option(None, "--start", help="Start, HH:MM:SS[.fff]."),
    end: str | None = typer.Option(None, "--end", help="End, HH:MM:SS[.fff]."),
    title: str | None = typer.Option(None, "--title", help="The clip's title."),
    speaker: int | None = typer.Option(None, "--speaker", min=1,
                                       help="Clip speaker N of the meeting (its start/end)."),
) -> None:
    """Cut a statement clip (a child asset) in every language; prints its asset id last."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.clipping import make_clip

    with open_archive() as archive, reported():
        asset, job_id = make_clip(archive, parent, _seconds(start, "--start"),
                                  _seconds(end, "--end"), title, speaker)
    err_console.print(f"clip {asset.asset_id} of {parent}: {asset.duration}; renditions "
                      f"queued (job {job_id})", highlight=False)
    print(asset.asset_id)


@app.command()
def excerpt(
    asset_id: str = typer.Argument(..., help="The asset id."),
    out: Path = typer.Option(..., "--out", "-o", help="The file to write (MP4, or M4A with --audio-only)."),
    lang: str = typer.Option("original", "--lang", help="The audio language (original ar zh en fr ru es)."),
    start: str | None = typer.Option(None, "--start", help="Start, HH:MM:SS[.fff] (or seconds)."),
    end: str | None = typer.Option(None, "--end", help="End, HH:MM:SS[.fff] (or seconds)."),
    precise: bool = typer.Option(False, "--precise",
                                 help="Cut at the exact times (re-encoded); else a stream copy "
                                      "from the key frame at or before --start."),
    audio_only: bool = typer.Option(False, "--audio-only", help="The audio alone."),
) -> None:
    """Write an asset's recording in one language, whole or a time range (what
    `/download/ID` gives, for any asset: the CLI is the operator's); prints the file."""
    import shutil

    from hexaglot.app.archive import open_archive
    from hexaglot.app.excerpting import make_excerpt
    from hexaglot.domain import Audience

    if out.exists() and out.is_dir():
        fail(f"--out {out} is a directory: give a file name")
    with open_archive() as archive, reported():
        made = make_excerpt(archive, asset_id, Audience.STAFF, lang, _seconds(start, "--start"),
                            _seconds(end, "--end"), video=not audio_only, precise=precise)
    try:
        shutil.move(str(made.path), out)
    finally:
        made.path.unlink(missing_ok=True)
    print(out)
