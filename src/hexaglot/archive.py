"""The archive context: settings plus the services built from them, opened lazily."""

from __future__ import annotations

from functools import cached_property

from hexaglot.catalog import Catalog, open_catalog
from hexaglot.config import Settings, get_settings
from hexaglot.search import SearchEngine, open_search


class Archive:
    """One archive (an embedded home or a server deployment) and its services."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()

    @cached_property
    def catalog(self) -> Catalog:
        """The catalogue, migrated to the newest schema on first use."""
        return open_catalog(self.settings)

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
