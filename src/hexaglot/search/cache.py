"""Answers already computed for the index as it is now.

Both engines keep two caches, emptied whenever the index changes (a commit or a rebuild,
by this process or another): the facet counts and total of a match (what was asked,
without page and order: paging and re-sorting reuse them) and whole result pages. Keys
include the viewer's audience (a staff answer is never served to a reader) and the day,
since an embargo ends at midnight.

Each cache has two tiers: a small LRU in this process, and behind it the deployment's
shared state (`storage.shared_state`: Redis in server mode), where every web process finds
what any of them computed. A shared key holds the archive's namespace and the index's
generation (PostgreSQL's counter of index changes, or the identity of Tantivy's
`meta.json`), so a change in the catalogue invalidates it for every process at once; values
are JSON, never pickles. Cached results are shared with every caller that asks the same:
treat them as read-only.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date
from typing import Any, Generic, TypeVar

import orjson

from hexaglot.domain import Audience
from hexaglot.search.base import Hit, Moment, SearchResults
from hexaglot.search.query import Query
from hexaglot.storage.shared_state import SharedState

#: How long a shared answer is kept (seconds); a newer generation makes it unreachable sooner.
SHARED_TTL = 3600
#: After the shared state failed, how long a process answers without it (seconds).
RETRY_SHARED = 30
log = logging.getLogger(__name__)

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


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:32]


class Tier(Generic[V]):
    """One cache: this process's LRU, then the shared state (see module docstring)."""

    def __init__(self, owner: ResultCache, name: str, size: int,
                 dump: Callable[[V], bytes], load: Callable[[bytes], V]) -> None:
        self.owner, self.name = owner, name
        self.local: LRU[V] = LRU(size)
        self.dump, self.load = dump, load

    def _key(self, key: Hashable) -> str:
        return f"search:{self.owner.namespace}:{self.owner.stamp}:{self.name}:{_digest(key)}"

    def get(self, key: Hashable, shared: bool = True) -> V | None:
        """The value of `key` from this process, else (`shared`) from the shared state."""
        value = self.local.get(key)
        state = self.owner.reachable()
        if value is not None or not shared or state is None or self.owner.stamp is None:
            return value
        try:
            raw = state.get(self._key(key))
        except Exception:  # noqa: BLE001 - a cache that is down is a cache miss
            self.owner.unreachable()
            return None
        if raw is None:
            return None
        value = self.load(raw)
        self.local.put(key, value)
        return value

    def put(self, key: Hashable, value: V) -> None:
        """Remember `value` here and in the shared state."""
        self.local.put(key, value)
        state = self.owner.reachable()
        if state is not None and self.owner.stamp is not None:
            try:
                state.put(self._key(key), self.dump(value), SHARED_TTL)
            except Exception:  # noqa: BLE001 - the answer stands; only sharing it failed
                self.owner.unreachable()

    def clear(self) -> None:
        """Forget this process's entries (shared ones are keyed by generation)."""
        self.local.clear()

    def __len__(self) -> int:
        return len(self.local)


def dump_results(results: SearchResults) -> bytes:
    """A page of results as JSON."""
    return orjson.dumps(results.to_dict())


def load_results(raw: bytes) -> SearchResults:
    """`dump_results` read back."""
    d: dict[str, Any] = orjson.loads(raw)
    hits = [Hit(**{**h, "moments": [Moment(**m) for m in h["moments"]]}) for h in d["hits"]]
    facets = {k: [(v["value"], v["count"]) for v in vs] for k, vs in d["facets"].items()}
    return SearchResults(hits=hits, facets=facets, total=d["total"], took_ms=d["took_ms"],
                         page=d["page"], per_page=d["per_page"],
                         facets_approximate=bool(d.get("facets_approximate", False)))


def dump_counted(counted: tuple) -> bytes:
    """The total and facet counts of a match (and what else the engine keeps with them,
    e.g. whether the counts are approximate) as JSON."""
    return orjson.dumps(counted)


def load_counted(raw: bytes) -> tuple:
    """`dump_counted` read back."""
    total, facets, *rest = orjson.loads(raw)
    return (int(total), {k: [(str(v), int(c)) for v, c in vs] for k, vs in facets.items()},
            *rest)


class ResultCache:
    """The two caches of an engine (see module docstring); `shared` is the deployment's
    shared state (None: this process only), `namespace` names the archive's index in it."""

    def __init__(self, pages: int = 512, matches: int = 512,
                 shared: SharedState | None = None, namespace: str = "") -> None:
        self.shared = shared if shared is not None and shared.shared else None
        self.namespace = _digest(namespace)[:16]
        self.pages: Tier[SearchResults] = Tier(self, "page", pages, dump_results,
                                               load_results)
        self.matches: Tier[tuple] = Tier(self, "match", matches, dump_counted, load_counted)
        self.generation: Hashable = None
        self.stamp: str | None = None  # the generation as a shared key part (None: unknown)
        self._down_until = 0.0

    def reachable(self) -> SharedState | None:
        """The shared state, unless it failed within the last `RETRY_SHARED` seconds."""
        return self.shared if time.monotonic() >= self._down_until else None

    def unreachable(self) -> None:
        """The shared state failed: this process answers alone for a while."""
        log.warning("shared search cache unreachable; answering without it for %d s",
                    RETRY_SHARED)
        self._down_until = time.monotonic() + RETRY_SHARED

    def at(self, generation: Hashable) -> ResultCache:
        """Empty both caches if the index is no longer the one they were filled from."""
        if generation != self.generation:
            self.pages.clear()
            self.matches.clear()
            self.generation = generation
            self.stamp = None if generation is None else _digest(generation)
        return self
