"""The archive context: settings plus the services built from them, opened lazily."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from hexaglot.catalog import Catalog, open_catalog
from hexaglot.config import Settings, get_settings
from hexaglot.jobs.store import JobStore
from hexaglot.search import SearchEngine, open_search
from hexaglot.storage import BlobStore, open_blob_store

if TYPE_CHECKING:
    from huey import Huey


class Archive:
    """One archive (an embedded home or a server deployment) and its services."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @cached_property
    def catalog(self) -> Catalog:
        """The catalogue, migrated to the newest schema on first use."""
        return open_catalog(self.settings)

    @cached_property
    def blobs(self) -> BlobStore:
        """The blob store holding masters."""
        return open_blob_store(self.settings)

    @cached_property
    def jobs(self) -> JobStore:
        """The job log (queued, running, failed, done)."""
        return JobStore(self.catalog.engine)

    @cached_property
    def queue(self) -> Huey:
        """The Huey task queue (SQLite under the home, or Redis)."""
        from hexaglot.jobs.queue import make_huey

        return make_huey(self.settings)

    @cached_property
    def search(self) -> SearchEngine:
        """The search engine (Tantivy embedded, PostgreSQL full-text in server mode)."""
        return open_search(self.settings, self.catalog.engine)

    def close(self) -> None:
        """Release connections."""
        if "search" in self.__dict__:
            self.search.close()
        if "catalog" in self.__dict__:
            self.catalog.engine.dispose()


def open_archive(settings: Settings | None = None) -> Archive:
    """The archive configured by the environment (or the given settings)."""
    return Archive(settings)
