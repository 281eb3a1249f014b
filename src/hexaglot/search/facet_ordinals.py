"""Facet counts over compact per-asset ordinals, kept beside a search index.

Every asset document of the index carries a row number; this store keeps, for every row,
the ids of its facet values, as one CSR over one id space of every facet (`offsets[r]` …
`offsets[r + 1]` index `values`), and the (facet, value) each id names. Counting the facets
of a match set is then a gather and one `numpy.bincount` over the rows the index returns.

Files, in a directory of their own (`<index>/facets/`):

- `base.npz`: the rows a rebuild wrote (`offsets`, `values`, and the names as JSON);
- `log`: batches a commit appends, each `MAGIC`, payload length, CRC-32, then the payload
  (JSON: the first row and each row's values by name). A batch is written and synced before
  the index commits the documents that refer to its rows, so a kill leaves at most rows no
  document refers to (never counted: nothing matches them); a torn batch at the end is
  ignored by readers and cut off by the next writer. Appending must be done under the
  index's writer lock (one writer at a time).

A re-indexed asset gets a new row; the old one stays, unmatched, until the next rebuild.
"""

from __future__ import annotations

import os
import struct
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import orjson

#: How many values per facet a count returns (the most frequent; ties by value).
TOP = 50
MAGIC = b"HXF1"
_HEADER = struct.Struct("<4sII")  # magic, payload length, CRC-32 of the payload
Facets = dict[str, list[tuple[str, int]]]


def top_counts(counts: np.ndarray, names: Sequence[str], rank: np.ndarray, scale: float = 1.0,
               numeric: bool = False, top: int = TOP) -> list[tuple[str, int]]:
    """The `top` values with the highest counts (ties: by name), as (name, count): counts
    scaled by `scale` and rounded; `numeric` facets are then ordered by value, highest first.
    `rank[i]` is the position of `names[i]` in name order."""
    nonzero = np.flatnonzero(counts)
    held = counts[nonzero]
    if len(nonzero) > top:  # every value above the top-th count, and of those tied with
        cut = np.partition(held, len(nonzero) - top)[len(nonzero) - top]  # it the first
        above = held > cut  # by name (a small count has many ties: don't sort them all)
        tied = nonzero[held == cut]
        need = top - int(np.count_nonzero(above))
        if len(tied) > need:
            tied = tied[np.argpartition(rank[tied], need - 1)[:need]]
        nonzero = np.concatenate([nonzero[above], tied])
        held = counts[nonzero]
    order = np.lexsort((rank[nonzero], -held))[:top]
    # plain ints from numpy at once: indexing numpy scalars one by one costs more than the sort
    pairs = [(names[i], round(c * scale))
             for i, c in zip(nonzero[order].tolist(), held[order].tolist(), strict=True)]
    if numeric:
        pairs.sort(key=lambda p: int(p[0]), reverse=True)
    return pairs


class _Values:
    """The id space of every facet's values: id -> (facet, name), (facet, name) -> id."""

    def __init__(self, facets: Sequence[str]) -> None:
        self.facets = tuple(facets)
        self.of: dict[tuple[str, str], int] = {}
        self.names: list[tuple[str, str]] = []

    def id(self, facet: str, name: str) -> int:
        key = (facet, name)
        got = self.of.get(key)
        if got is None:
            got = self.of[key] = len(self.names)
            self.names.append(key)
        return got

    def add_row(self, row: Mapping[str, Iterable[str]], offsets: array, values: array,
                before: int = 0) -> None:
        """Append a row's ids to `values` and its end (`before` + the length of `values`:
        the ids held before those in `values`) to `offsets`."""
        for facet in self.facets:
            for name in row.get(facet, ()):
                values.append(self.id(facet, name))
        offsets.append(before + len(values))


class OrdinalsBuilder:
    """Collects the rows of a rebuild (row 0, 1, … in the order added), then `save`s them."""

    def __init__(self, facets: Sequence[str]) -> None:
        self._values = _Values(facets)
        self._offsets = array("q", [0])
        self._ids = array("i")

    def add(self, row: Mapping[str, Iterable[str]]) -> int:
        """Add a row (each facet's values by name); returns its row number."""
        self._values.add_row(row, self._offsets, self._ids)
        return len(self._offsets) - 2

    def save(self, directory: Path) -> None:
        """Write `base.npz` into `directory` (made if needed), synced, by an atomic rename."""
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / ".base.npz.tmp"
        names = orjson.dumps(self._values.names)
        with open(tmp, "wb") as f:
            np.savez(f, offsets=np.frombuffer(self._offsets, dtype=np.int64),
                     values=np.frombuffer(self._ids, dtype=np.int32),
                     names=np.frombuffer(names, dtype=np.uint8))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, directory / "base.npz")


class FacetOrdinals:
    """The ordinals of one index (see module docstring): read, appended, counted."""

    def __init__(self, directory: Path, facets: Sequence[str],
                 numeric: Iterable[str] = ()) -> None:
        self.directory = Path(directory)
        self.numeric = frozenset(numeric)
        self._values = _Values(facets)
        self._offsets = np.zeros(1, dtype=np.int64)
        self._ids = np.zeros(0, dtype=np.int32)
        self._log_end = 0  # bytes of the log read (every whole batch up to there)
        self._by_facet: dict[str, tuple[np.ndarray, list[str], np.ndarray]] | None = None
        base = self.directory / "base.npz"
        if base.exists():
            with np.load(base) as z:
                self._offsets, self._ids = z["offsets"], z["values"]
                names = orjson.loads(z["names"].tobytes())
            for facet, name in names:
                self._values.id(facet, name)
        self.refresh()

    @property
    def rows(self) -> int:
        """How many rows the store holds."""
        return len(self._offsets) - 1

    def _read_batches(self) -> list[dict]:
        """The whole batches of the log after what was read; advances `_log_end`."""
        try:
            with open(self.directory / "log", "rb") as f:
                f.seek(self._log_end)
                data = f.read()
        except FileNotFoundError:
            return []
        out, at = [], 0
        while at + _HEADER.size <= len(data):
            magic, length, crc = _HEADER.unpack_from(data, at)
            payload = data[at + _HEADER.size:at + _HEADER.size + length]
            if magic != MAGIC or len(payload) < length or zlib.crc32(payload) != crc:
                break  # a torn or half-written batch: not (yet) part of the store
            out.append(orjson.loads(payload))
            at += _HEADER.size + length
        self._log_end += at
        return out

    def refresh(self) -> bool:
        """Read what other writers appended since; True when there were new rows."""
        batches = self._read_batches()
        if not batches:
            return False
        before = int(self._offsets[-1])
        offsets, ids = array("q", [before]), array("i")
        n = self.rows
        for batch in batches:
            for _ in range(batch["first"] - n):  # rows skipped: none refers to them
                offsets.append(offsets[-1])
            for row in batch["rows"]:
                self._values.add_row(row, offsets, ids, before)
            n = batch["first"] + len(batch["rows"])
        self._offsets = np.concatenate([self._offsets,
                                        np.frombuffer(offsets, dtype=np.int64)[1:]])
        self._ids = np.concatenate([self._ids, np.frombuffer(ids, dtype=np.int32)])
        self._by_facet = None
        return True

    def append(self, rows: Sequence[Mapping[str, Sequence[str]]]) -> int:
        """Add rows (call with the index's writer lock held); returns the first row number.
        The batch is on disk (synced) when this returns."""
        self.refresh()
        first = self.rows
        payload = orjson.dumps({"first": first, "rows": list(rows)})
        self.directory.mkdir(parents=True, exist_ok=True)
        with open(self.directory / "log", "ab") as f:
            f.truncate(self._log_end)  # cut a batch a killed writer left half-written
            f.write(_HEADER.pack(MAGIC, len(payload), zlib.crc32(payload)) + payload)
            f.flush()
            os.fsync(f.fileno())
        self.refresh()
        return first

    def _facets(self) -> dict[str, tuple[np.ndarray, list[str], np.ndarray]]:
        """Per facet: its value ids, their names and the names' ranks in name order."""
        if self._by_facet is None:
            grouped: dict[str, tuple[list[int], list[str]]] = {
                f: ([], []) for f in self._values.facets}
            for i, (facet, name) in enumerate(self._values.names):
                grouped[facet][0].append(i)
                grouped[facet][1].append(name)
            self._by_facet = {}
            for facet, (ids, names) in grouped.items():
                keys = [(int(n) if facet in self.numeric else 0, n) for n in names]
                order = sorted(range(len(names)), key=keys.__getitem__)
                rank = np.empty(len(names), dtype=np.int64)
                rank[order] = np.arange(len(names))
                self._by_facet[facet] = (np.array(ids, dtype=np.int64), names, rank)
        return self._by_facet

    def count(self, rows: np.ndarray, scale: float = 1.0, top: int = TOP) -> Facets:
        """The facet counts of the assets in `rows` (row numbers the index matched; rows
        this store does not hold yet are left out), each scaled by `scale`."""
        rows = np.asarray(rows, dtype=np.int64)
        rows = rows[rows < self.rows]
        start = self._offsets[rows]
        lengths = self._offsets[rows + 1] - start
        ends = np.cumsum(lengths)
        where = np.arange(int(ends[-1]) if len(ends) else 0, dtype=np.int64)
        where += np.repeat(start - (ends - lengths), lengths)
        counts = np.bincount(self._ids[where], minlength=len(self._values.names))
        return {facet: top_counts(counts[ids], names, rank, scale, facet in self.numeric, top)
                for facet, (ids, names, rank) in self._facets().items()}
