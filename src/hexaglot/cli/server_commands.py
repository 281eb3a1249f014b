"""Commands that serve the archive over HTTP: serve and demo."""

from __future__ import annotations

import typer

from hexaglot.cli import app
from hexaglot.cli.output import console, print_json, reported


def run_server(host: str, port: int, workers: int = 1, jobs: bool = True) -> None:
    """Serve the configured archive until interrupted (`workers` > 1: that many web
    processes, each with its own archive; this process supervises them and, with `jobs`,
    runs jobs)."""
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
    stop_jobs = start_consumer(archive.settings) if jobs else (lambda: None)
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
    jobs: bool = typer.Option(True, "--jobs/--no-jobs",
                              help="Also run queued jobs in this process (--no-jobs: leave "
                                   "them to `hexaglot worker` processes)."),
) -> None:
    """Serve the web pages and the JSON API."""
    run_server(host, port, workers, jobs)


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


@app.command("migrate-to-server")
def migrate_to_server(
    database_url: str = typer.Option(..., "--database-url",
                                     help="The server's PostgreSQL catalogue "
                                          "(postgresql+psycopg://…), empty."),
    storage_url: str | None = typer.Option(None, "--storage-url",
                                           help="The server's blob store (s3://BUCKET/PREFIX "
                                                "with the HEXAGLOT_S3_* settings); default: "
                                                "the archive's own."),
    as_json: bool = typer.Option(False, "--json", help="Print what was moved as JSON."),
) -> None:
    """Move this archive to server mode: copy its blobs (each checked against its
    SHA-256), its catalogue (one transaction; every table's checksum compared) and rebuild
    its index there. The archive itself is only read."""
    from hexaglot.app.archive import open_archive
    from hexaglot.app.migrating import migrate_to_server as migrate

    with open_archive() as archive, reported():
        update: dict[str, object] = {"database_url": database_url}
        if storage_url:
            update["storage_url"] = storage_url
        target = archive.settings.model_copy(update=update)

        def report(step: str, done: int, total: int) -> None:
            if step != "blobs" or done == total or done % 100 == 0:
                console.print(f"{step}: {done} of {total} verified")

        moved = migrate(archive, target, None if as_json else report)
    if as_json:
        print_json({"blobs": moved.blobs, "blob_bytes": moved.blob_bytes,
                    "catalogue_copied": moved.catalogue_copied, "indexed": moved.indexed,
                    "tables": {k: {"rows": v.rows, "sha256": v.sha256}
                               for k, v in moved.tables.items()}})
        return
    rows = sum(t.rows for t in moved.tables.values())
    console.print(f"moved {moved.blobs} blobs ({moved.blob_bytes} bytes), {rows} catalogue "
                  f"rows in {len(moved.tables)} tables, {moved.indexed} assets indexed; "
                  "every checksum matches. Point HEXAGLOT_DATABASE_URL (and "
                  "HEXAGLOT_STORAGE_URL) at the server now.")
