"""Keeping the index in step with the catalogue: drain the outbox, or rebuild from scratch.

Every catalogue change writes an outbox row in the same transaction (`Catalog.save`,
`delete`, `add_segments`, ...). `drain` applies pending rows to the index and only then
acknowledges them, so a crash between the two re-applies them (indexing is idempotent).
One drain runs at a time per archive, across processes: otherwise a slow drain holding an
older version of an asset could commit it after a quicker one committed the newer version.
"""

from __future__ import annotations

import fcntl
import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from hexaglot.catalog import Catalog
from hexaglot.domain import Asset, Segment, preferred_segments
from hexaglot.search.base import Progress, SearchEngine


def apply(catalog: Catalog, search: SearchEngine, asset_ids: Iterable[str]) -> int:
    """Index the catalogue's current version of some assets (or remove the deleted ones),
    each with the transcript preferred in each language (human over machine)."""
    done = 0
    for asset_id in dict.fromkeys(asset_ids):
        asset = catalog.get(asset_id)
        if asset is None:
            search.delete(asset_id)
        else:
            search.index(asset, preferred_segments(catalog.segments(asset_id)))
        done += 1
    search.commit()
    return done


_DRAIN_LOCK = 4244  # advisory lock key (with the schema's hash) on PostgreSQL


@contextmanager
def one_drain_at_a_time(catalog: Catalog) -> Iterator[None]:
    """Hold the archive's drain lock (waiting for it): a PostgreSQL advisory lock of the
    catalogue's schema, or an exclusive lock on a file beside the SQLite catalogue."""
    engine = catalog.engine
    if engine.dialect.name == "postgresql":
        key = f"{_DRAIN_LOCK}, hashtext(current_schema())"
        with engine.connect() as conn:
            conn.execute(sa.text(f"SELECT pg_advisory_lock({key})"))
            conn.commit()
            try:
                yield
            finally:
                conn.execute(sa.text(f"SELECT pg_advisory_unlock({key})"))
                conn.commit()
        return
    database = engine.url.database
    if not database or database == ":memory:":  # one process only: nothing to share
        yield
        return
    with open(Path(database).with_name(Path(database).name + ".drain-lock"), "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def drain(catalog: Catalog, search: SearchEngine, batch: int = 500) -> int:
    """Apply every pending outbox row to the index; returns how many assets were applied."""
    with one_drain_at_a_time(catalog):
        return _drain(catalog, search, batch)


def _drain(catalog: Catalog, search: SearchEngine, batch: int = 500) -> int:
    done = 0
    while True:
        pending = catalog.outbox_pending(batch)
        if not pending:
            return done
        done += apply(catalog, search, (e.asset_id for e in pending))
        catalog.outbox_ack([e.id for e in pending])


_draining = threading.Lock()
_checked: weakref.WeakKeyDictionary[SearchEngine, float] = weakref.WeakKeyDictionary()


def catch_up_due(search: SearchEngine, every: float = 1.0) -> bool:
    """Whether `catch_up` would look at the outbox now."""
    return time.monotonic() - _checked.get(search, -every) >= every


def catch_up(catalog: Catalog, search: SearchEngine, every: float = 1.0) -> int:
    """Drain the outbox before answering a search: at most once every `every` seconds per
    engine in this process, and not while another thread of this process is draining."""
    now = time.monotonic()
    if now - _checked.get(search, -every) < every or not _draining.acquire(blocking=False):
        return 0
    try:
        _checked[search] = now
        return drain(catalog, search)
    finally:
        _draining.release()


def everything(catalog: Catalog) -> Iterator[tuple[Asset, Sequence[Segment]]]:
    """Every asset with its segments (the preferred transcript of each language), for a
    rebuild."""
    for asset in catalog.iter_assets():
        yield asset, preferred_segments(catalog.segments(asset.asset_id))


def reindex(catalog: Catalog, search: SearchEngine, progress: Progress | None = None) -> int:
    """Rebuild the index from the catalogue (atomic swap), then apply what changed since:
    pending outbox rows, and the assets other processes indexed into the old index while
    the rebuild ran (their outbox rows are already acknowledged; the new index may hold an
    older version of them)."""
    started = catalog.outbox_pending(1_000_000)
    n = search.rebuild(everything(catalog), progress)
    with one_drain_at_a_time(catalog):
        catalog.outbox_ack([e.id for e in started])
        apply(catalog, search, getattr(search, "changed_during_rebuild", ()))
        _drain(catalog, search)
    return n
