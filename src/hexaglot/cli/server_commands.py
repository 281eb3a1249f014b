"""Commands that serve the archive over HTTP: serve and demo."""

from __future__ import annotations

from importlib import resources

import typer
import uvicorn

from hexaglot.archive import open_archive
from hexaglot.cli import app
from hexaglot.cli.output import console
from hexaglot.imports import import_pages


def run_server(host: str, port: int) -> None:
    """Serve the configured archive until interrupted."""
    from hexaglot.jobs.worker import start_background_consumer
    from hexaglot.search.sync import catch_up
    from hexaglot.web.app import create_app

    archive = open_archive()
    web_app = create_app(archive)
    console.print(f"Hexaglot is serving {archive.settings.resolved_home} at http://{host}:{port}/")
    # renditions get made, and the search index catches up, while serving
    stop_jobs = start_background_consumer(archive, sync=catch_up)
    try:
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
    finally:
        stop_jobs()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Serve the web pages and the JSON API."""
    run_server(host, port)


def build_demo_archive() -> list[str]:
    """Import the sample pages into the configured archive (idempotent); returns asset ids."""
    archive = open_archive()
    with resources.as_file(resources.files("hexaglot.demo")) as folder:
        paths = sorted(folder.glob("*.txt"))
        return [a.asset_id for a in import_pages(archive.catalog, paths)]


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Build a sample archive in HEXAGLOT_HOME and serve it."""
    ids = build_demo_archive()
    console.print(f"sample archive: {len(ids)} assets ({', '.join(ids)})")
    from hexaglot.media.demo_media import add_demo_media

    archive = open_archive()
    if ids and add_demo_media(archive, ids[0]):  # the sample meeting gets a recording
        console.print(f"generated a 20 s seven-language recording for {ids[0]}; "
                      "its renditions are being made")
    archive.close()
    run_server(host, port)
