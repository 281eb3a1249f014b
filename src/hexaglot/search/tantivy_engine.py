"""The embedded search engine: a Tantivy index under `HEXAGLOT_HOME/search/`.

`search/current` is a symbolic link to the live index directory; `rebuild` fills a new
directory and replaces the link with one atomic rename, so a crash midway leaves the old
index serving. A rebuild holds `search/rebuild.lock` while it runs; the next rebuild (or
an index opened after a killed one) removes what a killed rebuild left (its directory, its
marker, its journal). Tokens come from `hexaglot.search.analysis` and are indexed with
Tantivy's whitespace tokenizer, so both engines see exactly the same tokens.

`search/layout` names the index layout; an index of another layout is replaced by a new,
empty one when opened (`was_reset`), and the caller queues every asset for indexing.

Facets are counted outside Tantivy, over the compact per-asset ordinals of
`hexaglot.search.facet_ordinals` kept in `<index>/facets/` (swapped with the index): every
asset document carries its `row` there (a fast field) and a `bucket` (one of `BUCKETS`
random shares of the assets, from a hash of its id). A query with at most `exact_facets`
matches is counted exactly over the rows of all its matches; beyond, over the matches in
just enough buckets for about `exact_facets` of them, scaled up and marked approximate
(`SearchResults.facets_approximate`; the total stays exact). A commit appends the rows of
its assets to the ordinals (synced) before the Tantivy commit, so a kill in between leaves
only rows no document refers to.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import numpy as np
import orjson
import tantivy

from hexaglot.domain import Asset, Audience, Segment
from hexaglot.domain.facets import BUCKETS, EXACT_FACETS, FACETS, TEXT_FIELDS, sample_buckets
from hexaglot.search import parallel, snippets
from hexaglot.search.base import Progress, SearchResults
from hexaglot.search.cache import ResultCache, match_key, page_key
from hexaglot.search.documents import (
    AssetDoc,
    SegmentDoc,
    asset_doc,
    cue_tokens,
    segment_docs,
    visible_filter,
)
from hexaglot.search.facet_ordinals import FacetOrdinals, OrdinalsBuilder
from hexaglot.search.query import AnyOf, Leaf, Node, Query
from hexaglot.storage.shared_state import SharedState

#: The layout of the index directory and its schema; a change makes a new index.
LAYOUT = "4"
_FACET_FIELD = {f.name: f.name if f.numeric else f"f_{f.name}" for f in FACETS}
_FACET_NAMES = tuple(f.name for f in FACETS)
_NUMERIC_FACETS = tuple(f.name for f in FACETS if f.numeric)
MOMENTS_PER_ASSET = 3
#: Indexing memory of a rebuild: one writer thread with a large heap writes few, large
#: segments, so far less merging (measured at 100k assets: 12 % less CPU than two threads
#: of 100 MB, and one segment instead of eight, which also makes facet counting cheaper).
#: The memory is taken as the index grows, not up front.
REBUILD_HEAP = 1_000_000_000
_UNTIMED = contextlib.nullcontext()
_REBUILDING = "rebuilding"  # exists while a rebuild runs
_JOURNAL = "rebuild-journal"  # assets committed into the old index during that rebuild


def build_schema() -> tantivy.Schema:
    """The one schema of asset and cue documents."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_type", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("asset_id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace")
    for f in FACETS:
        if not f.numeric:
            sb.add_text_field(f"f_{f.name}", tokenizer_name="raw", fast=True,
                              index_option="basic")
    numeric = [f.name for f in FACETS if f.numeric]
    for name in (*numeric, "date", "audience", "visible_from"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_unsigned_field("row", fast=True)  # the asset's row in the facet ordinals
    sb.add_unsigned_field("bucket", indexed=True)
    sb.add_bytes_field("display", stored=True)
    return sb.build()


def _stored(value: object) -> str:
    """A stored `display` value as Tantivy's JSON documents carry bytes: base64."""
    return base64.b64encode(orjson.dumps(value)).decode("ascii")


def bucket_of(asset_id: str) -> int:
    """The asset's random share (0 … BUCKETS - 1), fixed by its id."""
    digest = hashlib.blake2b(asset_id.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % BUCKETS


def _asset_json(doc: AssetDoc) -> str:
    """The asset document without its `row` (`Prepared.asset_json` adds it)."""
    d: dict[str, object] = {"doc_type": "asset", "asset_id": doc.asset_id, "date": doc.date,
                            "audience": doc.audience, "visible_from": doc.visible_from,
                            "bucket": bucket_of(doc.asset_id), "display": _stored(doc.display)}
    for name, toks in doc.fields.items():
        d[name] = " ".join(toks)
    for name, values in doc.facets.items():
        if values:
            d[f"f_{name}"] = values
    for name, number in doc.numbers.items():
        if number is not None:
            d[name] = number
    return orjson.dumps(d).decode()


def _segment_json(doc: SegmentDoc) -> str:
    shown = {"language": doc.language, "speaker": doc.speaker, "start": doc.start,
             "end": doc.end, "text": doc.text}
    return orjson.dumps({"doc_type": "segment", "asset_id": doc.asset_id,
                         "text": " ".join(doc.tokens), "f_lang": doc.language,
                         "date": doc.date, "audience": doc.audience,
                         "visible_from": doc.visible_from,
                         "display": _stored(shown)}).decode()


def facet_row(doc: AssetDoc) -> dict[str, list[str]]:
    """The asset's facet values by name, as the facet ordinals keep them."""
    row = {name: list(values) for name, values in doc.facets.items() if values}
    row |= {name: [str(n)] for name, n in doc.numbers.items() if n is not None}
    return row


class Prepared(NamedTuple):
    """An asset's Tantivy documents, as the JSON `add_json` takes (strings are cheap to hand
    from a worker process to the writer's), and its facet values for the ordinals."""

    asset: str  # the asset document without its row
    segments: list[str]
    facets: dict[str, list[str]]

    def asset_json(self, row: int) -> str:
        """The asset document with its row in the facet ordinals."""
        return f'{self.asset[:-1]},"row":{row}}}'


def documents(asset: Asset, segments: Sequence[Segment]) -> Prepared:
    """What is indexed of an asset and its cues (see `Prepared`)."""
    spoken = cue_tokens(segments)
    doc = asset_doc(asset, segments, spoken)
    return Prepared(_asset_json(doc),
                    [_segment_json(s) for s in segment_docs(asset, segments, spoken)],
                    facet_row(doc))


def item_documents(item: tuple[Asset, Sequence[Segment]]) -> Prepared:
    """`documents` of one (asset, cues) pair: the unit of work of a parallel rebuild."""
    return documents(*item)


class TantivyEngine:
    """Search over a Tantivy index in a directory (see module docstring)."""

    def __init__(self, root: Path, heap_size: int = 100_000_000,
                 shared: SharedState | None = None, exact_facets: int = EXACT_FACETS) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self.heap_size = heap_size
        self.exact_facets = exact_facets
        self._pending: list[tuple[str, str, Prepared | None]] = []
        self._index: tantivy.Index | None = None
        self._ordinals: FacetOrdinals | None = None
        self._target: str | None = None
        self._seen: tuple = ()  # identity of meta.json when this process last reloaded
        self.cache = ResultCache(shared=shared, namespace=f"tantivy:{self.root.resolve()}")
        self._searcher: tantivy.Searcher | None = None  # reused until the index changes
        self.changed_during_rebuild: list[str] = []
        self._reset = False
        self.profile = False  # when set, `search` notes each phase's time in `phases`
        self.phases: dict[str, tuple[float, float]] = {}
        if not self._current_layout():
            with self._rebuild_lock():
                if not self._current_layout():  # still so, now that we hold the lock
                    self._reset = (self.root / "current").exists()
                    self._swap_to(self._new_directory())
                    self._write_layout()
                    self._remove_leftovers()
        elif (self.root / _REBUILDING).exists() or any(self._leftovers()):
            self._clean_if_no_rebuild()

    def _current_layout(self) -> bool:
        layout = self.root / "layout"
        return ((self.root / "current").exists() and layout.is_file()
                and layout.read_text().strip() == LAYOUT)

    @property
    def was_reset(self) -> bool:
        """True when this process replaced an index of another layout with an empty one."""
        return self._reset

    def _write_layout(self) -> None:
        tmp = self.root / f".layout-{uuid.uuid4().hex}"
        tmp.write_text(LAYOUT + "\n")
        os.replace(tmp, self.root / "layout")

    @contextlib.contextmanager
    def _rebuild_lock(self, wait: bool = True) -> Iterator[bool]:
        """Hold `rebuild.lock` (one rebuild at a time); with `wait=False`, yield False at
        once when another process holds it."""
        with open(self.root / "rebuild.lock", "a") as f:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    def _leftovers(self) -> Iterator[Path]:
        live = os.readlink(self.root / "current")
        for path in self.root.glob("index-*"):
            if path.name != live:
                yield path
        yield from self.root.glob(".current-*")
        yield from self.root.glob(".layout-*")

    def _remove_leftovers(self) -> None:
        """Remove what a killed rebuild left: index directories not serving, half-made
        links, its marker and journal (call with the rebuild lock held)."""
        for path in list(self._leftovers()):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        (self.root / _REBUILDING).unlink(missing_ok=True)
        (self.root / _JOURNAL).unlink(missing_ok=True)

    def _clean_if_no_rebuild(self) -> None:
        with self._rebuild_lock(wait=False) as held:
            if held:  # no rebuild is running: whatever one left is stale
                self._remove_leftovers()

    # -- directories ----------------------------------------------------------------------
    def _new_directory(self) -> Path:
        path = self.root / f"index-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        path.mkdir()
        tantivy.Index(self.schema, path=str(path), reuse=False)
        return path

    def _swap_to(self, path: Path) -> None:
        link = self.root / f".current-{uuid.uuid4().hex}"
        link.symlink_to(path.name)
        os.replace(link, self.root / "current")

    def _open(self) -> tantivy.Index:
        target = os.readlink(self.root / "current")
        if self._index is None or target != self._target:
            self._index = tantivy.Index(self.schema, path=str(self.root / target), reuse=True)
            self._target = target
            self._searcher = None
            self._ordinals = None
        return self._index

    def _facet_store(self) -> FacetOrdinals:
        """The facet ordinals of the open index, with what other processes appended."""
        if self._ordinals is None:
            self._ordinals = _ordinals_at(self.root / str(self._target))
        else:
            self._ordinals.refresh()
        return self._ordinals

    def _fresh(self) -> tantivy.Searcher:
        """A searcher of the live index, renewed when a commit (from any process) or a swap
        changed it; otherwise the same searcher is reused."""
        index = self._open()
        try:  # every commit writes meta.json anew (a new inode) by an atomic rename
            st = (self.root / self._target / "meta.json").stat()  # type: ignore[operator]
            seen: tuple = (self._target, st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            seen = (self._target,)
        searcher = self._searcher
        if seen != self._seen or searcher is None:
            index.reload()
            self._seen = seen
            searcher = self._searcher = index.searcher()
            self._facet_store()  # after the searcher: it holds every row the searcher sees
            self.cache.at(seen)
        return searcher

    @property
    def current_directory(self) -> Path:
        """The directory of the index now serving."""
        return self.root / os.readlink(self.root / "current")

    # -- writing --------------------------------------------------------------------------
    def index(self, asset: Asset, segments: Sequence[Segment] = ()) -> None:
        """Queue (re)indexing an asset and its cues."""
        self._pending.append(("index", asset.asset_id, documents(asset, segments)))

    def delete(self, asset_id: str) -> None:
        """Queue removing an asset and its cues."""
        self._pending.append(("delete", asset_id, None))

    def _writer(self, index: tantivy.Index, threads: int = 1) -> tantivy.IndexWriter:
        deadline = time.monotonic() + 30
        while True:
            try:
                return index.writer(self.heap_size, threads)
            except ValueError:  # another process holds the writer lock: wait for it
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def _live_writer(self) -> tuple[tantivy.Index, tantivy.IndexWriter]:
        """The writer of the index now serving: if a rebuild swapped the index while this
        waited for the writer lock, let go and take the new index's writer instead."""
        while True:
            index = self._open()
            writer = self._writer(index)
            if os.readlink(self.root / "current") == self._target:
                return index, writer
            del writer  # releases the lock of the replaced index

    def _journal(self, asset_ids: Iterable[str]) -> None:
        """While a rebuild runs, note which assets were written into the index it replaces
        (it re-applies them after the swap; see `rebuild`)."""
        if not (self.root / _REBUILDING).exists():
            return
        with self._rebuild_lock(wait=False) as free:
            if free:  # no rebuild holds the lock: the marker is a killed rebuild's
                self._remove_leftovers()
                return
        with open(self.root / _JOURNAL, "a", encoding="utf-8") as f:
            f.write("".join(f"{i}\n" for i in asset_ids))

    def commit(self) -> None:
        """Apply every queued change in one Tantivy commit."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        index, writer = self._live_writer()
        try:
            self._journal(asset_id for _op, asset_id, _docs in pending)
            added = [docs for _op, _id, docs in pending if docs is not None]
            row = self._facet_store().append([d.facets for d in added]) if added else 0
            for _op, asset_id, docs in pending:  # the rows are on disk before the documents
                writer.delete_documents_by_term("asset_id", asset_id)
                if docs is not None:
                    writer.add_json(docs.asset_json(row))
                    row += 1
                    for doc in docs.segments:
                        writer.add_json(doc)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        index.reload()
        self._searcher = None
        self.cache.at(None)

    def rebuild(self, items: Iterable[tuple[Asset, Sequence[Segment]]],
                progress: Progress | None = None, threads: int = 1,
                processes: int | None = None) -> int:
        """Index everything into a new directory, then swap it in atomically. The text is
        analysed in `processes` worker processes (default: one per core) when there is much.

        Assets other processes commit into the old index meanwhile are listed afterwards in
        `changed_during_rebuild`: the caller re-applies them to the new index."""
        with self._rebuild_lock():
            return self._rebuild(items, progress, threads, processes)

    def _rebuild(self, items: Iterable[tuple[Asset, Sequence[Segment]]],
                 progress: Progress | None, threads: int, processes: int | None) -> int:
        self._remove_leftovers()
        marker, journal = self.root / _REBUILDING, self.root / _JOURNAL
        marker.write_text(str(os.getpid()))
        self.changed_during_rebuild = []
        path = self._new_directory()
        try:
            n = self._fill(path, items, progress, threads, processes)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            marker.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
            raise
        old, old_index = self.current_directory, self._open()
        self._swap_to(path)
        guard = self._writer(old_index)  # waits for writers still busy in the old index
        try:
            if journal.exists():
                ids = journal.read_text(encoding="utf-8").split()
                self.changed_during_rebuild = list(dict.fromkeys(ids))
            marker.unlink(missing_ok=True)
            journal.unlink(missing_ok=True)
        finally:
            del guard
        self._open()
        self.cache.at(None)
        if old != path:
            shutil.rmtree(old, ignore_errors=True)
        return n

    def _fill(self, path: Path, items: Iterable[tuple[Asset, Sequence[Segment]]],
              progress: Progress | None, threads: int, processes: int | None) -> int:
        index = tantivy.Index(self.schema, path=str(path), reuse=True)
        writer = index.writer(max(self.heap_size, REBUILD_HEAP), threads)
        ordinals = OrdinalsBuilder(_FACET_NAMES)
        n = 0
        try:
            for docs in parallel.in_order(item_documents, items, processes):
                writer.add_json(docs.asset_json(ordinals.add(docs.facets)))
                for doc in docs.segments:
                    writer.add_json(doc)
                n += 1
                if progress:
                    progress(1)
            ordinals.save(path / "facets")
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        return n

    # -- reading --------------------------------------------------------------------------
    def _timed(self, name: str) -> contextlib.AbstractContextManager[None]:
        """Add the wall and CPU seconds of the block to `phases[name]` (if `profile`; else
        a shared no-op, so an unprofiled search pays next to nothing)."""
        return self._timer(name) if self.profile else _UNTIMED

    @contextlib.contextmanager
    def _timer(self, name: str) -> Iterator[None]:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            w, c = self.phases.get(name, (0.0, 0.0))
            self.phases[name] = (w + time.perf_counter() - t0, c + time.process_time() - c0)

    def count(self) -> int:
        """How many assets are indexed."""
        q = tantivy.Query.term_query(self.schema, "doc_type", "asset")
        return self._fresh().search(q, 1, count=True).count  # type: ignore[attr-defined]

    def search(self, query: Query, *, audience: Audience = Audience.PUBLIC) -> SearchResults:
        """Run a parsed query (see `hexaglot.search.base`)."""
        t0 = time.perf_counter()
        cached = self.cached(query, audience=audience)
        if cached is not None:
            return cached
        searcher = self._fresh()
        pkey = page_key(query, audience)
        shared = self.cache.pages.get(pkey)  # another process may have answered it
        if shared is not None:
            return replace(shared, took_ms=(time.perf_counter() - t0) * 1000)
        with self._timed("compile"):
            q = self._asset_query(query, audience)
            order = "date" if query.sort == "date" else None
            mkey = match_key(query, audience)
        counted = self.cache.matches.get(mkey)  # total and facets of this match, if known
        with self._timed("top+count"):
            res = searcher.search(q, query.per_page, count=counted is None,
                                  order_by_field=order, offset=query.offset)
        if counted is None:
            total = res.count  # type: ignore[attr-defined]
            counted = (total, *self._count_facets(searcher, q, total))
            self.cache.matches.put(mkey, counted)
        total, facets, *more = counted  # (more: whether the counts are approximate)
        approximate = bool(more and more[0])
        wanted = query.highlight_tokens()
        hits = []
        for score, addr in res.hits:
            with self._timed("stored"):
                doc = searcher.doc(addr)
                display = orjson.loads(bytes(doc.get_first("display") or b""))
            with self._timed("snippets"):
                hits.append(snippets.asset_hit(str(doc.get_first("asset_id")), score, display,
                                               wanted))
        with self._timed("moments"):
            self._add_moments(searcher, query, hits, wanted)
        took = (time.perf_counter() - t0) * 1000
        with self._timed("assembly"):
            results = SearchResults(hits=hits, facets=facets, total=total, took_ms=took,
                                    page=query.page, per_page=query.per_page,
                                    facets_approximate=approximate)
        self.cache.pages.put(pkey, results)
        return results

    def _count_facets(self, searcher: tantivy.Searcher, q: tantivy.Query,
                      total: int) -> tuple[dict[str, list[tuple[str, int]]], bool]:
        """The facet counts of the `total` matches of `q`, and whether they are sampled:
        exact up to `exact_facets` matches; beyond, over the matches in the first k of
        `BUCKETS` random shares (just enough for about `exact_facets`), scaled by BUCKETS/k."""
        store = self._ordinals or self._facet_store()  # `_fresh` read what was appended
        if not total:
            return store.count(np.zeros(0, dtype=np.int64)), False
        k = sample_buckets(total, self.exact_facets)
        with self._timed("facet rows"):
            if k < BUCKETS:
                shares = self._range_u64("bucket", 0, k - 1)
                q = tantivy.Query.boolean_query([(tantivy.Occur.Must, q),
                                                 (tantivy.Occur.Must, shares)])
                rows = _rows(searcher, q, 2 * self.exact_facets)
            else:
                rows = _rows(searcher, q, total)
        with self._timed("facet count"):
            return store.count(rows, BUCKETS / k), k < BUCKETS

    def cached(self, query: Query, *,
               audience: Audience = Audience.PUBLIC) -> SearchResults | None:
        """The answer `search` would give, if this process has it for the index as it is
        now (a file status and a lookup: cheap enough for an event loop); else None."""
        t0 = time.perf_counter()
        self._fresh()
        hit = self.cache.pages.get(page_key(query, audience), shared=False)
        return replace(hit, took_ms=(time.perf_counter() - t0) * 1000) if hit else None

    def _add_moments(self, searcher: tantivy.Searcher, query: Query, hits: list,
                     wanted: set[str]) -> None:
        """The matching cues of the hits (only visible assets are hits)."""
        tree = query.tree(("text",))
        if tree is None or not hits:
            return
        # The page's assets as a union of term queries, not a term set (measured 3x
        # faster at 100k, same cues; presumably the union's few postings lead the
        # intersection). Constant score 1, as the term set scored.
        assets = tantivy.Query.boolean_query(
            [(tantivy.Occur.Should, self._term("asset_id", h.asset_id)) for h in hits])
        must = [self._term("doc_type", "segment"), self._compile(tree),
                tantivy.Query.const_score_query(assets, 1.0)]
        if "lang" in query.filters:
            must.append(self._any_term("f_lang", query.filters["lang"]))
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])
        by_asset = {h.asset_id: h for h in hits}
        for _score, addr in searcher.search(q, 20 * len(hits), count=False).hits:
            doc = searcher.doc(addr)
            hit = by_asset[doc.get_first("asset_id")]
            if len(hit.moments) < MOMENTS_PER_ASSET:
                d = orjson.loads(bytes(doc.get_first("display") or b""))
                hit.moments.append(snippets.moment(hit.asset_id, d["language"], d["speaker"],
                                                   d["start"], d["end"], d["text"], wanted))
        for hit in hits:
            hit.moments.sort(key=lambda m: (m.start, m.language))

    # -- compiling queries ----------------------------------------------------------------
    def _term(self, field: str, value: str) -> tantivy.Query:
        return tantivy.Query.term_query(self.schema, field, value)

    def _any_term(self, field: str, values: list[str]) -> tantivy.Query:
        return tantivy.Query.term_set_query(self.schema, field, values)

    def _compile(self, node: Node) -> tantivy.Query:
        if isinstance(node, Leaf):
            if len(node.tokens) == 1:
                return self._term(node.field, node.tokens[0])
            return tantivy.Query.phrase_query(self.schema, node.field, list(node.tokens))
        if isinstance(node, AnyOf):
            return tantivy.Query.boolean_query(
                [(tantivy.Occur.Should, self._compile(c)) for c in node.children])
        clauses = [(tantivy.Occur.Must, self._compile(c)) for c in node.must]
        clauses += [(tantivy.Occur.MustNot, self._compile(c)) for c in node.must_not]
        return tantivy.Query.boolean_query(clauses)

    def _range(self, field: str, low: int | None, high: int | None) -> tantivy.Query:
        return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Integer, low, high)

    def _range_u64(self, field: str, low: int, high: int) -> tantivy.Query:
        return tantivy.Query.range_query(self.schema, field, tantivy.FieldType.Unsigned,
                                         low, high)

    def _visible(self, audience: Audience) -> list[tantivy.Query]:
        """The clauses keeping what `audience` may not see out (none for staff)."""
        bounds = visible_filter(audience)
        if bounds is None:
            return []
        highest, today = bounds
        return [self._range("audience", None, highest), self._range("visible_from", None, today)]

    def _asset_query(self, query: Query, audience: Audience) -> tantivy.Query:
        must = [self._term("doc_type", "asset")]
        tree = query.tree()
        if tree is not None:
            must.append(self._compile(tree))
        for name, values in query.filters.items():
            if _FACET_FIELD[name] == name:  # a numeric facet: any of the values
                must.append(tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, self._range(name, int(v), int(v))) for v in values]))
            else:
                for value in values:  # several values of one facet: all must hold
                    must.append(self._term(_FACET_FIELD[name], value))
        if query.date_from or query.date_to:
            must.append(self._range("date", query.date_from.toordinal() if query.date_from
                                    else None,
                                    query.date_to.toordinal() if query.date_to else None))
        must += self._visible(audience)
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])

    def close(self) -> None:
        """Forget the open index (files are closed when it is collected)."""
        self._index = None
        self._target = None
        self._searcher = None
        self._ordinals = None


def _ordinals_at(directory: Path) -> FacetOrdinals:
    return FacetOrdinals(directory / "facets", _FACET_NAMES, _NUMERIC_FACETS)


def _rows(searcher: tantivy.Searcher, q: tantivy.Query, guess: int) -> np.ndarray:
    """The `row` of every match of `q`, asking for `guess` hits first (Tantivy makes room
    for as many hits as it is asked for)."""
    res = searcher.search(q, max(guess, 1), count=True, order_by_field="row",
                          order=tantivy.Order.Asc)
    hits = res.hits
    if res.count > len(hits):  # type: ignore[attr-defined]
        hits = searcher.search(q, res.count, count=False, order_by_field="row",  # type: ignore[attr-defined]
                               order=tantivy.Order.Asc).hits
    return np.fromiter(map(itemgetter(0), hits), dtype=np.int64, count=len(hits))
