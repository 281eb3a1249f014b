"""Catalogue commands: import page, show, list, migrate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from hexaglot.cli import app, import_app
from hexaglot.cli.output import console, print_json, reported
from hexaglot.domain import Asset, Audience
from hexaglot.domain.languages import language_name


@import_app.command("page")
def import_page(
    files: list[Path] = typer.Argument(..., help="Catalogue page text files."),
) -> None:
    """Import catalogue pages (one transaction: a bad file stores nothing of the batch);
    prints one asset id per file. Re-importing updates the asset."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.importing import import_pages

    with open_archive() as archive, reported():
        assets = import_pages(archive, files)
    for asset in assets:
        print(asset.asset_id)


def record_json(asset: Asset) -> dict[str, Any]:
    """The record as the API and `show --json` give it."""
    return asset.model_dump(mode="json")


@app.command()
def show(
    asset_id: str = typer.Argument(..., help="The asset id."),
    as_json: bool = typer.Option(False, "--json", help="Print the JSON record."),
) -> None:
    """Show one asset's record (exit 2 when there is no such asset). With S3 storage and
    presigned URLs on, the JSON's rendition URLs are presigned URLs of the blobs."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.media import with_direct_urls
    from hexaglot.app.viewing import get_asset

    with open_archive() as archive, reported():
        asset = with_direct_urls(archive, get_asset(archive, asset_id, Audience.STAFF))
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
        ("Access", f"{asset.access} ({asset.status})"),
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
    from hexaglot.app.archive import open_archive

    with open_archive() as archive:
        assets = archive.catalog.list(limit=limit, offset=offset)
        total = archive.catalog.count()
    if as_json:
        print_json({"total": total, "assets": [record_json(a) for a in assets]})
        return
    table = Table("Asset ID", "Recorded", "Duration", "Access", "Title")
    for a in assets:
        table.add_row(a.asset_id, str(a.recorded_on or ""), a.duration or "", a.access, a.title)
    console.print(table)


@app.command()
def migrate() -> None:
    """Upgrade the catalogue's schema in place (every command also does this first)."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.maintenance import schema_revisions

    with open_archive() as archive:
        current, newest = schema_revisions(archive)
    console.print(f"catalogue at revision {current} (newest {newest})")
