"""Moving an archive to server mode: its catalogue into PostgreSQL, its blobs into the
server's blob store (an S3 bucket), its index rebuilt there, each step verified.

1. Blobs first (content-addressed, so a re-run skips nothing and harms nothing): every blob
   of the source store is put into the target store with its SHA-256 as the expected
   checksum, so a damaged source blob or a bad upload stops the move; then every blob the
   catalogue names must be in the target.
2. The catalogue, in one transaction on the target (`catalog.transfer`), into an empty
   database (or one that already holds exactly this catalogue: a re-run after a later step
   failed); then every table's row count and checksum must equal the source's.
3. The target's search index is rebuilt from the copied catalogue and must hold every asset.

The source archive is only read. Queued jobs travel with the catalogue; the first worker
of the server queues them again (`jobs.worker.recover`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa

from hexaglot.app.archive import Archive
from hexaglot.app.indexing import reindex
from hexaglot.catalog import open_catalog
from hexaglot.catalog.tables import MasterRow, RenditionFileRow
from hexaglot.catalog.transfer import (
    TableSum,
    TargetNotEmpty,
    checksums,
    copy_catalogue,
    is_empty,
)
from hexaglot.config import Settings
from hexaglot.errors import BadInput, Conflict, Unavailable
from hexaglot.storage import BlobError, BlobMissing, BlobStore

#: Called with (step, done, total) as the move goes on.
Report = Callable[[str, int, int], None]


class MigrationFailed(Unavailable):
    """A copy did not verify: the target is not to be used as it is."""

    code = "migration_failed"


@dataclass
class Migrated:
    """What was moved and verified."""

    tables: dict[str, TableSum] = field(default_factory=dict)
    blobs: int = 0
    blob_bytes: int = 0
    catalogue_copied: bool = True
    indexed: int = 0


def _same_store(source: Settings, target: Settings) -> bool:
    return (source.storage_url or str(source.resolved_storage_path)) == (
        target.storage_url or str(target.resolved_storage_path))


def _check_target(archive: Archive, target: Settings) -> None:
    if target.resolved_database_url == archive.settings.resolved_database_url:
        raise BadInput("--database-url: the target catalogue is the archive's own; name "
                       "the server's PostgreSQL database")
    if not target.is_server_mode:
        raise BadInput(f"--database-url: {target.resolved_database_url.split('://')[0]}:// is "
                       "not server mode; give a postgresql+psycopg:// URL")
    dead = {j.id for j in archive.jobs.orphans()}
    running = [j for j in archive.jobs.list(limit=10_000, status="running") if j.id not in dead]
    if running:
        raise Conflict(f"{len(running)} jobs are running (e.g. {running[0].id}); stop the "
                       "workers and the server before moving the archive")


def _named_blobs(engine: sa.Engine) -> set[str]:
    with engine.connect() as conn:
        return {*conn.execute(sa.select(MasterRow.sha256)).scalars(),
                *conn.execute(sa.select(RenditionFileRow.sha256)).scalars()}


def copy_blobs(source: BlobStore, target: BlobStore, report: Report | None = None
               ) -> tuple[int, int]:
    """Put every blob of `source` into `target`, each checked against its name; returns
    (blobs, bytes). A blob that fails its checksum raises `BlobError` naming it."""
    blobs = sorted(source.iter_blobs(), key=lambda b: b.sha256)
    done = size = 0
    for blob in blobs:
        try:
            with source.local_file(blob.sha256) as path:
                target.put_file(path, expected_sha256=blob.sha256)
        except BlobError as exc:
            raise BlobError(f"blob {blob.sha256} could not be moved: {exc}") from exc
        done, size = done + 1, size + blob.size
        if report:
            report("blobs", done, len(blobs))
    return done, size


def migrate_to_server(archive: Archive, target: Settings,
                      report: Report | None = None) -> Migrated:
    """Move `archive` to the deployment `target` names (see the module docstring)."""
    _check_target(archive, target)
    out = Migrated()
    source_engine = archive.catalog.engine
    target_catalog = open_catalog(target)  # the newest schema, like the source's
    try:
        want = checksums(source_engine)
        empty = is_empty(target_catalog.engine)
        if not empty and checksums(target_catalog.engine) != want:
            raise TargetNotEmpty("the target catalogue already holds other records; "
                                 "migrate into an empty database")
        # 1. blobs
        blobs = archive.blobs
        target_blobs = blobs if _same_store(archive.settings, target) else None
        if target_blobs is None:
            with Archive(target) as server:
                out.blobs, out.blob_bytes = copy_blobs(blobs, server.blobs, report)
                missing = sorted(s for s in _named_blobs(source_engine)
                                 if not server.blobs.exists(s))
        else:
            missing = sorted(s for s in _named_blobs(source_engine) if not blobs.exists(s))
        if missing:
            raise BlobMissing(f"{len(missing)} blobs the catalogue names are not in the "
                              f"target store (e.g. {missing[0]}); run `hexaglot audit`")
        # 2. catalogue
        if empty:
            copy_catalogue(source_engine, target_catalog.engine)
        else:
            out.catalogue_copied = False  # an earlier run copied this very catalogue
        got = checksums(target_catalog.engine)
        bad = [name for name, s in want.items() if got.get(name) != s]
        if bad:
            raise MigrationFailed(f"the copied catalogue differs from the source in "
                                  f"{', '.join(bad)}; drop the target database and run again")
        out.tables = got
        if report:
            report("catalogue", sum(s.rows for s in got.values()),
                   sum(s.rows for s in want.values()))
    finally:
        target_catalog.engine.dispose()
    # 3. index
    with Archive(target) as server:
        out.indexed = reindex(server)
        assets = server.catalog.count()
        if out.indexed != assets or server.search.count() != assets:
            raise MigrationFailed(f"the rebuilt index holds {server.search.count()} of "
                                  f"{assets} assets; run `hexaglot reindex` on the server")
        if report:
            report("index", out.indexed, assets)
    return out
