"""Commands that serve the archive over HTTP: serve and demo."""

from __future__ import annotations

from importlib import resources

import typer
import uvicorn

from hexaglot.archive import open_archive
from hexaglot.cli import app
from hexaglot.cli.output import console
from hexaglot.imports import import_pages


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Serve the configured archive until interrupted (`workers` > 1: that many web
    processes, each with its own archive; this process supervises them and runs jobs)."""
    from hexaglot.jobs.worker import start_background_consumer
    from hexaglot.search.sync import catch_up
    from hexaglot.web.app import create_app

    archive = open_archive()
    if workers > 1:
        archive.catalog  # noqa: B018 - migrate once, before the workers start
        archive.search  # noqa: B018 - create the index once, likewise
        target: object = "hexaglot.web.app:create_app"
    else:
        target = create_app(archive)
    console.print(f"Hexaglot is serving {archive.settings.resolved_home} at http://{host}:{port}/")
    # renditions get made, and the search index catches up, while serving
    stop_jobs = start_background_consumer(archive, sync=catch_up)
    try:
        uvicorn.run(target, host=host, port=port, log_level="warning",  # type: ignore[arg-type]
                    access_log=False, workers=workers, factory=workers > 1)
    finally:
        stop_jobs()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Web processes (use the cores)."),
) -> None:
    """Serve the web pages and the JSON API."""
    run_server(host, port, workers)


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
