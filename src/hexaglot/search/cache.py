"""Answers already computed for the index as it is now.

Both engines keep two small LRU caches per process, emptied whenever the index changes
(a commit or a rebuild, by this process or another): the facet counts and total of a match
(what was asked, without page and order: paging and re-sorting reuse them) and whole result
pages. Keys include the viewer's audience (a staff answer is never served to a reader)
and the day, since an embargo ends at midnight. Nothing is
shared between processes, so a cache can never serve another index's answers. Cached
results are shared with every caller that asks the same: treat them as read-only.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from datetime import date
from typing import Generic, TypeVar

from hexaglot.domain import Audience
from hexaglot.search.base import SearchResults
from hexaglot.search.query import Query

V = TypeVar("V")


class LRU(Generic[V]):
    """A bounded mapping that forgets the least recently used entry first (thread-safe:
    the web server's threads share one)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        """The value of `key` (now the most recently used), or None."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: V) -> None:
        """Remember `value` under `key`, forgetting the oldest entry beyond `size`."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything."""
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


def match_key(query: Query, audience: Audience) -> tuple:
    """What decides which assets match (hence the total and the facet counts)."""
    filters = tuple(sorted((k, tuple(v)) for k, v in query.filters.items()))
    day = date.today().toordinal() if audience < Audience.STAFF else None
    return (tuple(query.must), tuple(query.must_not), filters, query.date_from, query.date_to,
            int(audience), day)


def page_key(query: Query, audience: Audience) -> tuple:
    """What decides a whole page of results."""
    return (match_key(query, audience), query.sort, query.page, query.per_page)


class ResultCache:
    """The two caches of an engine (see module docstring)."""

    def __init__(self, pages: int = 512, matches: int = 512) -> None:
        self.pages: LRU[SearchResults] = LRU(pages)
        self.matches: LRU[tuple] = LRU(matches)
        self.generation: Hashable = None

    def at(self, generation: Hashable) -> ResultCache:
        """Empty both caches if the index is no longer the one they were filled from."""
        if generation != self.generation:
            self.pages.clear()
            self.matches.clear()
            self.generation = generation
        return self
