"""Commands that serve the archive over HTTP: serve and demo."""

from __future__ import annotations

import typer

from hexaglot.cli import app
from hexaglot.cli.output import console, reported


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Serve the configured archive until interrupted (`workers` > 1: that many web
    processes, each with its own archive; this process supervises them and runs jobs)."""
    import uvicorn

    from hexaglot.app.archive import open_archive
    from hexaglot.app.jobs import start_consumer
    from hexaglot.web.app import create_app

    archive = open_archive()
    with reported():  # required in server mode; generated once, before any worker, embedded
        archive.secret_key  # noqa: B018
    if workers > 1:
        archive.catalog  # noqa: B018 - migrate once, before the workers start
        archive.search  # noqa: B018 - create the index once, likewise
        target: object = "hexaglot.web.app:create_app"
    else:
        target = create_app(archive)
    console.print(f"Hexaglot is serving {archive.settings.resolved_home} at http://{host}:{port}/")
    # renditions get made, and the search index catches up, while serving
    stop_jobs = start_consumer(archive.settings)
    try:
        uvicorn.run(target, host=host, port=port, log_level="warning",  # type: ignore[arg-type]
                    access_log=False, workers=workers, factory=workers > 1)
    finally:
        stop_jobs()
        archive.close()


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(1, min=1, max=64, help="Web processes (use the cores)."),
) -> None:
    """Serve the web pages and the JSON API."""
    run_server(host, port, workers)


@app.command()
def demo(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port to listen on."),
) -> None:
    """Build a sample archive in HEXAGLOT_HOME and serve it."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.demo import add_demo_media, build_demo_archive

    with open_archive() as archive, reported():
        ids = build_demo_archive(archive)
        console.print(f"sample archive: {len(ids)} assets ({', '.join(ids)})")
        if ids and add_demo_media(archive, ids[0]):  # the sample meeting gets a recording
            console.print(f"generated a 20 s seven-language recording for {ids[0]}; "
                          "its renditions are being made")
    run_server(host, port)
