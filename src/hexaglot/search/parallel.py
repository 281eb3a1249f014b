"""Analysing many assets on every core while one process writes the index.

A rebuild spends most of its time in text analysis (folding, Snowball, bigrams), which is
pure Python and so bound to one core per process. `in_order` runs that work in worker
processes and hands the results back in input order to the one process holding the index
writer. The input is read only by the calling thread, in chunks, with a bounded number of
chunks in flight, so a database cursor can feed it and memory stays flat at any size.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: Inputs analysed in this process before worker processes are started: a small rebuild
#: (a test, a new archive) is done before the workers would have finished starting.
INLINE_FIRST = 500


def default_processes() -> int:
    """Worker processes for a rebuild: one per core this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _apply_all(work: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [work(item) for item in chunk]


def in_order(work: Callable[[T], R], items: Iterable[T], processes: int | None = None,
             chunk: int = 64) -> Iterator[R]:
    """`work(item)` for every item, in input order; beyond the first `INLINE_FIRST` items
    in `processes` worker processes (`work` must be a module-level function). An error in
    a worker is raised here; leaving the iterator early stops the workers."""
    processes = default_processes() if processes is None else processes
    it = iter(items)
    head = list(islice(it, INLINE_FIRST))
    for item in head:
        yield work(item)
    if len(head) < INLINE_FIRST:
        return
    if processes <= 1:
        for item in it:
            yield work(item)
        return
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        inflight: deque = deque()
        while True:
            batch = list(islice(it, chunk))
            if batch:
                inflight.append(pool.apply_async(_apply_all, (work, batch)))
            if inflight and (not batch or len(inflight) > 2 * processes):
                yield from inflight.popleft().get()
            if not batch and not inflight:
                return
