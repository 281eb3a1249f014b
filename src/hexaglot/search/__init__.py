"""Search: one query model (`query`), one small contract (`base`), two engines.

`open_search` picks the engine the deployment calls for: Tantivy under
`HEXAGLOT_HOME/search/` when embedded, PostgreSQL full-text search when the catalogue is
PostgreSQL. `hexaglot.search.sync` keeps either one in step with the catalogue.
"""

from __future__ import annotations

import sqlalchemy as sa

from hexaglot.config import Settings, get_settings
from hexaglot.search.base import SearchEngine, SearchResults
from hexaglot.search.query import Query, QueryError, parse
from hexaglot.storage.shared_state import SharedState

__all__ = ["Query", "QueryError", "SearchEngine", "SearchResults", "open_search", "parse"]


def open_search(settings: Settings | None = None, engine: sa.Engine | None = None,
                shared: SharedState | None = None) -> SearchEngine:
    """The configured search engine (`engine`: the catalogue's, reused in server mode;
    `shared`: where its caches are shared with other processes)."""
    settings = settings or get_settings()
    if settings.is_server_mode:
        from hexaglot.search.postgres_engine import PostgresEngine

        return PostgresEngine(engine or settings.resolved_database_url, shared=shared)
    from hexaglot.search.tantivy_engine import TantivyEngine

    return TantivyEngine(settings.resolved_home / "search", shared=shared)
