"""Speech commands: transcribe."""

from __future__ import annotations

from dataclasses import asdict

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

from hexaglot.cli import app
from hexaglot.cli.output import err_console, print_json, reported


@app.command()
def transcribe(
    asset_id: str = typer.Argument(..., help="The meeting's asset id."),
    language: list[str] = typer.Option(
        [], "--language", help="A channel to transcribe: original, ar, zh, en, fr, ru or es "
        "(repeat for more); default every channel of the master."),
    backend: str | None = typer.Option(
        None, "--backend", help="faster-whisper or pocketsphinx; default faster-whisper when "
        "a Whisper model is installed, else pocketsphinx (English only)."),
    floor_language: str | None = typer.Option(
        None, "--floor-language", help="The language spoken on the floor channel; default "
        "the speakers' language, else English."),
    queue: bool = typer.Option(False, "--queue", help="Queue one job per channel for the "
                               "workers instead of transcribing here."),
    as_json: bool = typer.Option(False, "--json", help="Print what each channel gave as JSON."),
) -> None:
    """Transcribe the audio channels of an asset on this machine (resuming a run that was
    stopped); each channel's words become its machine transcript, searchable, with a
    WebVTT rendition per language. A human transcript is never replaced."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.transcribing import queue_transcription, transcribe_asset

    if queue:
        with open_archive() as archive, reported():
            ids = queue_transcription(archive, asset_id, language or None, backend,
                                      floor_language)
        err_console.print(f"queued {len(ids)} transcription job(s) for {asset_id}",
                          highlight=False)
        return
    progress = Progress(TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.percentage:>3.0f}%"), TimeRemainingColumn(),
                        console=err_console, disable=not err_console.is_terminal)
    bars: dict[str, TaskID] = {}

    def report(track: str, fraction: float, step: str) -> None:
        if track not in bars:
            bars[track] = progress.add_task(track, total=1.0)
        progress.update(bars[track], completed=fraction, description=step)

    with open_archive() as archive, reported(), progress:
        results = transcribe_asset(archive, asset_id, language or None, backend,
                                   floor_language, progress=report)
    if as_json:
        print_json([asdict(r) for r in results])
        return
    for r in results:
        again = f", {r.resumed} window(s) from an earlier run" if r.resumed else ""
        cut = f", windows {r.incomplete} cut short by the time limit" if r.incomplete else ""
        print(f"{r.track} ({r.language}): {r.segments} segment(s) by {r.backend} {r.model} "
              f"in {r.seconds:.1f} s{again}{cut}")
