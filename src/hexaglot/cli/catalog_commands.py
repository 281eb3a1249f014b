"""Catalogue commands: import page, show, list, migrate."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from hexaglot.archive import open_archive
from hexaglot.catalog.migrate import current_revision, head_revision
from hexaglot.cli import app, import_app
from hexaglot.cli.output import console, fail, print_json
from hexaglot.domain import Asset
from hexaglot.domain.languages import language_name
from hexaglot.imports import import_pages
from hexaglot.pages.errors import InputError
from hexaglot.search.sync import after_write


@import_app.command("page")
def import_page(
    files: list[Path] = typer.Argument(..., help="Catalogue page text files."),
) -> None:
    """Import catalogue pages; prints one asset id per file. Re-importing updates the asset."""
    archive = open_archive()
    try:
        assets = import_pages(archive.catalog, files)
    except InputError as exc:
        fail(str(exc))
    after_write(archive)
    for asset in assets:
        print(asset.asset_id)


def _get(asset_id: str) -> Asset:
    asset = open_archive().catalog.get(asset_id)
    if asset is None:
        fail(f"no asset with id {asset_id!r}", code=1)
    return asset


def record_json(asset: Asset) -> dict:
    """The record as the API and `show --json` give it."""
    return asset.model_dump(mode="json")


@app.command()
def show(
    asset_id: str = typer.Argument(..., help="The asset id."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Show one asset's record."""
    asset = _get(asset_id)
    if as_json:
        print_json(record_json(asset))
        return
    table = Table(show_header=False, title=asset.title, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    m = asset.meeting
    rows = [
        ("Asset ID", asset.asset_id),
        ("Parent ID", asset.parent_id or ""),
        ("Preview Language", asset.preview_language or ""),
        ("Recorded", f"{asset.recorded_on or ''} {asset.duration or ''}"),
        ("Summary", asset.summary or ""),
        ("Available Languages", ", ".join(language_name(c) for c in asset.available_languages)),
        ("Meeting", " ".join(str(x) for x in (m.body, m.number, m.record_symbol) if x)),
        ("Began / ended", f"{m.began or ''} – {m.ended or ''}"),
        ("Speakers", str(len(asset.speakers))),
        ("Formats", ", ".join(f.rendition + (f"/{f.language}" if f.language else "")
                              for f in asset.formats)),
        ("Children", ", ".join(asset.children)),
    ]
    for key, value in rows:
        table.add_row(key, value)
    console.print(table)


@app.command("list")
def list_assets(
    limit: int = typer.Option(50, min=1, max=10_000, help="How many assets."),
    offset: int = typer.Option(0, min=0, help="How many to skip."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List assets, most recently updated first."""
    catalog = open_archive().catalog
    assets = catalog.list(limit=limit, offset=offset)
    if as_json:
        print_json({"total": catalog.count(), "assets": [record_json(a) for a in assets]})
        return
    table = Table("Asset ID", "Recorded", "Duration", "Title")
    for a in assets:
        table.add_row(a.asset_id, str(a.recorded_on or ""), a.duration or "", a.title)
    console.print(table)


@app.command()
def migrate() -> None:
    """Upgrade the catalogue's schema in place (every command also does this first)."""
    engine = open_archive().catalog.engine
    console.print(f"catalogue at revision {current_revision(engine)} (newest {head_revision()})")
