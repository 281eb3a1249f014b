"""Extraction commands: `extract` (print, store nothing), `import press`, `edit`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from hexaglot.cli import app
from hexaglot.cli.output import console, fail, print_json
from hexaglot.enrich import Extraction, extract_text
from hexaglot.pages.errors import InputError
from hexaglot.pages.text_file import read_text


def extract_files(files: list[Path]) -> list[Extraction]:
    """Read and extract every file; raise InputError for the first bad one."""
    return [extract_text(read_text(f), str(f)) for f in files]


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
    try:
        results = extract_files(files)
    except InputError as exc:
        fail(str(exc))
    if as_json:
        print_json([x.as_dict() for x in results])
        return
    for path, x in zip(files, results, strict=True):
        _show(path, x)
