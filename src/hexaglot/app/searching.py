"""Searching the archive as one viewer (what it may not see is absent from hits, totals,
facets and moments), the embedded index catching up first."""

from __future__ import annotations

from hexaglot.app.archive import Archive
from hexaglot.domain import Audience
from hexaglot.search import Query, QueryError, SearchResults, parse
from hexaglot.search.query import FILTERS, MAX_DEPTH
from hexaglot.search.sync import catch_up, catch_up_due

__all__ = ["FILTERS", "MAX_DEPTH", "Query", "QueryError", "SearchResults", "cached",
           "catch_up_due_for", "parse", "search", "search_catch_up"]


def search_catch_up(archive: Archive) -> int:
    """Embedded archives: apply what other processes wrote (at most once a second)."""
    if archive.settings.is_server_mode:
        return 0
    return catch_up(archive.catalog, archive.search)


def search(archive: Archive, query: Query, viewer: Audience) -> SearchResults:
    """Run a parsed query as `viewer`."""
    search_catch_up(archive)
    return archive.search.search(query, audience=viewer)


def cached(archive: Archive, query: Query, viewer: Audience) -> SearchResults | None:
    """The answer when it is known without searching (see `SearchEngine.cached`)."""
    return archive.search.cached(query, audience=viewer)


def catch_up_due_for(archive: Archive) -> bool:
    """Whether a search would catch the embedded index up first."""
    return not archive.settings.is_server_mode and catch_up_due(archive.search)
