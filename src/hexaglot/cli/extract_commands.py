"""Extraction commands: `extract` (print, store nothing), `import press`, `edit`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from hexaglot.cli import app, import_app
from hexaglot.cli.output import console, err_console, fail, print_json, reported

if TYPE_CHECKING:
    from hexaglot.app.extracting import Extraction


def _show(path: Path, x: Extraction) -> None:
    table = Table(show_header=False, title=str(path), title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    for key in ("body", "meeting_number", "record_symbol", "press_symbol", "date", "began",
                "ended", "headline"):
        table.add_row(key, "" if getattr(x, key) is None else str(getattr(x, key)))
    console.print(table)
    speakers = Table("#", "Name", "Role", "Affiliation", "ID", title="Speakers", title_justify="left")
    for i, s in enumerate(x.speakers, 1):
        speakers.add_row(str(i), s["name"] or "", s["role"] or "", s["affiliation"] or "",
                         s["affiliation_id"] or "")
    console.print(speakers)
    for kind, items in x.subjects.items():
        console.print(f"[bold]{kind}[/bold]: " + "; ".join(i["label"] for i in items),
                      highlight=False)
    for r in x.resolutions:
        votes = "unanimous" if r["unanimous"] and r["in_favour"] is None else (
            f"{r['in_favour']}-{r['against']}-{r['abstentions']}")
        console.print(f"[bold]resolution[/bold]: {r['number'] or '(unnamed)'} {votes}",
                      highlight=False)


@app.command()
def extract(
    files: list[Path] = typer.Argument(..., help="Press summaries or catalogue pages."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON list, one object per file."),
) -> None:
    """Draft meeting facts, speakers, subjects and resolutions from texts; stores nothing."""
    from hexaglot.app.extracting import extract_files

    with reported():
        results = extract_files(files)
    if as_json:
        print_json([x.as_dict() for x in results])
        return
    for path, x in zip(files, results, strict=True):
        _show(path, x)


@import_app.command("press")
def import_press_command(
    files: list[Path] = typer.Argument(..., help="Press summary text files."),
) -> None:
    """Attach press summaries to their meeting's asset (created when missing); prints one
    asset id per file. Speakers and subjects are stored as suggestions. One transaction:
    a bad file stores nothing of the batch."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.importing import import_press

    with open_archive() as archive, reported():
        results = import_press(archive, files)
    for r in results:
        for problem in r.conflicts:
            err_console.print(f"warning: {r.path}: {problem}", highlight=False, soft_wrap=True)
        print(r.asset.asset_id)


@app.command()
def edit(
    asset_id: str = typer.Argument(..., help="The asset to edit."),
    title: str | None = typer.Option(None, "--title", help="New title."),
    summary: str | None = typer.Option(None, "--summary", help="New one-sentence summary."),
    access: str | None = typer.Option(
        None, "--access", help="public, registered, staff or 'embargoed until YYYY-MM-DD'."),
    status: str | None = typer.Option(None, "--status", help="draft or published."),
    confirm_speakers_: bool = typer.Option(False, "--confirm-speakers",
                                           help="Confirm the list of speakers as it stands."),
    speaker: int | None = typer.Option(None, "--speaker", help="Speaker number (1-based) to edit."),
    name: str | None = typer.Option(None, "--name", help="With --speaker: the name."),
    role: str | None = typer.Option(None, "--role", help="With --speaker: the role."),
    affiliation: str | None = typer.Option(None, "--affiliation",
                                           help="With --speaker: State or organization."),
    subject: list[str] = typer.Option([], "--subject", help="Add a confirmed KIND:LABEL."),
    remove_subject_: list[str] = typer.Option([], "--remove-subject",
                                              help="Remove KIND:LABEL (or KIND:ID)."),
) -> None:
    """Edit a record as a cataloguer; edited speakers and subjects become confirmed, so a
    later extraction never overwrites them."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.editing import edit_asset, make_edits

    if speaker is None and any(v is not None for v in (name, role, affiliation)):
        fail("--name, --role and --affiliation need --speaker N")
    with reported():
        edits = make_edits(
            title=title, summary=summary, access=access, status=status,
            confirm_speakers=confirm_speakers_,
            speakers=[{"number": speaker, "name": name, "role": role,
                       "affiliation": affiliation}] if speaker is not None else [],
            add_subjects=subject, remove_subjects=remove_subject_,
        )
        with open_archive() as archive:
            edit_asset(archive, asset_id, edits)
    print(asset_id)
