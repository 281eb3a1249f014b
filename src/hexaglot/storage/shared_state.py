"""State that every web process of a deployment must agree on: cached answers and counters
of events in a time window (failed sign-ins), behind one small contract.

`RedisState` keeps it in Redis (`HEXAGLOT_CACHE_URL`, by default the queue's Redis in
server mode), so any number of web processes on any number of machines see the same
counters and share one cache; `MemoryState` keeps it in this process (an embedded archive
without Redis). Cached values are bytes with a time to live; a key that names what it was
computed from (the search index's generation, say) is never served once that changed, as
no one asks for it any more, and Redis forgets it when its time is up.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable
from typing import Protocol, runtime_checkable

from hexaglot.errors import BadInput

#: Every key this archive writes to Redis starts with this.
PREFIX = "hexaglot:"


@runtime_checkable
class SharedState(Protocol):
    """Values with a time to live, and events counted over a sliding window."""

    shared: bool  # True when other processes see the same state

    def get(self, key: str) -> bytes | None:
        """The value stored under `key`, or None (absent or expired)."""
        ...

    def put(self, key: str, value: bytes, ttl: int) -> None:
        """Store `value` under `key` for `ttl` seconds."""
        ...

    def count(self, key: str, window: float) -> int:
        """How many events of `key` happened within the last `window` seconds."""
        ...

    def record(self, key: str, window: float) -> int:
        """Count one event of `key` now; returns the events within `window` with it."""
        ...


class MemoryState:
    """`SharedState` in this process's memory (thread-safe; bounded)."""

    shared = False

    def __init__(self, size: int = 4096, keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.size, self.keys, self.clock = size, keys, clock
        self._values: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._events: defaultdict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        """See `SharedState.get`."""
        with self._lock:
            item = self._values.get(key)
            if item is None or item[0] < self.clock():
                return None
            self._values.move_to_end(key)
            return item[1]

    def put(self, key: str, value: bytes, ttl: int) -> None:
        """See `SharedState.put` (the least recently used value goes beyond `size`)."""
        with self._lock:
            self._values[key] = (self.clock() + ttl, value)
            self._values.move_to_end(key)
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def _recent(self, key: str, window: float, now: float) -> deque[float]:
        seen = self._events[key]
        while seen and now - seen[0] > window:
            seen.popleft()
        return seen

    def count(self, key: str, window: float) -> int:
        """See `SharedState.count`."""
        with self._lock:
            n = len(self._recent(key, window, self.clock()))
            if not n:
                self._events.pop(key, None)
            return n

    def record(self, key: str, window: float) -> int:
        """See `SharedState.record` (the oldest keys are forgotten beyond `keys`)."""
        with self._lock:
            now = self.clock()
            seen = self._recent(key, window, now)
            seen.append(now)
            if len(self._events) > self.keys:
                for old in list(self._events)[: self.keys // 2]:
                    del self._events[old]
            return len(seen)


class RedisState:
    """`SharedState` in Redis: values as keys with an expiry, events as a sorted set per
    key (scored by time, trimmed to the window, expiring with it)."""

    shared = True

    def __init__(self, url: str) -> None:
        import redis

        self.url = url
        self.client = redis.Redis.from_url(url, socket_timeout=2.0,
                                           socket_connect_timeout=2.0)

    def get(self, key: str) -> bytes | None:
        """See `SharedState.get`."""
        value = self.client.get(PREFIX + key)
        return value if isinstance(value, bytes) else None

    def put(self, key: str, value: bytes, ttl: int) -> None:
        """See `SharedState.put`."""
        self.client.set(PREFIX + key, value, ex=max(1, int(ttl)))

    def count(self, key: str, window: float) -> int:
        """See `SharedState.count`."""
        now = time.time()
        pipe = self.client.pipeline()
        pipe.zremrangebyscore(PREFIX + key, "-inf", now - window)
        pipe.zcard(PREFIX + key)
        return int(pipe.execute()[1])

    def record(self, key: str, window: float) -> int:
        """See `SharedState.record`."""
        now, name = time.time(), PREFIX + key
        pipe = self.client.pipeline()
        pipe.zadd(name, {uuid.uuid4().hex: now})
        pipe.zremrangebyscore(name, "-inf", now - window)
        pipe.zcard(name)
        pipe.expire(name, max(1, int(window) + 1))
        return int(pipe.execute()[2])


def open_shared_state(url: str | None) -> SharedState:
    """Redis at `url` (`redis://…`), or this process's memory when `url` is None."""
    if url is None:
        return MemoryState()
    if not url.startswith(("redis://", "rediss://", "unix://")):
        raise BadInput(f"HEXAGLOT_CACHE_URL: unsupported {url!r} (redis://host:port/db)")
    return RedisState(url)
