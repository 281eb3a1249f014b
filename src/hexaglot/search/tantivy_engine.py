"""The embedded search engine: a Tantivy index under `HEXAGLOT_HOME/search/`.

`search/current` is a symbolic link to the live index directory; `rebuild` fills a new
directory and replaces the link with one atomic rename, so a crash midway leaves the old
index serving. Tokens come from `hexaglot.search.analysis` and are indexed with Tantivy's
whitespace tokenizer, so both engines see exactly the same tokens.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path

import tantivy

from hexaglot.domain import Asset, Segment
from hexaglot.search import snippets
from hexaglot.search.base import FACETS, Progress, SearchResults
from hexaglot.search.documents import AssetDoc, SegmentDoc, asset_doc, segment_docs
from hexaglot.search.query import TEXT_FIELDS, AnyOf, Leaf, Node, Query

_FACET_FIELD = {name: f"f_{name}" for name in FACETS if name != "year"} | {"year": "year"}
MOMENTS_PER_ASSET = 3


def build_schema() -> tantivy.Schema:
    """The one schema of asset and cue documents."""
    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_type", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("asset_id", stored=True, tokenizer_name="raw", index_option="basic")
    for name in TEXT_FIELDS:
        sb.add_text_field(name, tokenizer_name="whitespace")
    for name in FACETS:
        if name != "year":
            sb.add_text_field(f"f_{name}", tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("year", "date", "visible_from"):
        sb.add_integer_field(name, indexed=True, fast=True)
    sb.add_bytes_field("display", stored=True)
    return sb.build()


def _asset_document(doc: AssetDoc) -> tantivy.Document:
    d = tantivy.Document()
    d.add_text("doc_type", "asset")
    d.add_text("asset_id", doc.asset_id)
    for name, toks in doc.fields.items():
        d.add_text(name, " ".join(toks))
    for name, values in doc.facets.items():
        for value in values:
            d.add_text(f"f_{name}", value)
    if doc.year is not None:
        d.add_integer("year", doc.year)
    d.add_integer("date", doc.date)
    d.add_integer("visible_from", doc.visible_from)
    d.add_bytes("display", json.dumps(doc.display).encode())
    return d


def _segment_document(doc: SegmentDoc) -> tantivy.Document:
    d = tantivy.Document()
    d.add_text("doc_type", "segment")
    d.add_text("asset_id", doc.asset_id)
    d.add_text("text", " ".join(doc.tokens))
    d.add_text("f_lang", doc.language)
    d.add_integer("date", doc.date)
    d.add_integer("visible_from", doc.visible_from)
    shown = {"language": doc.language, "speaker": doc.speaker, "start": doc.start,
             "end": doc.end, "text": doc.text}
    d.add_bytes("display", json.dumps(shown).encode())
    return d


def documents(asset: Asset, segments: Sequence[Segment]) -> list[tantivy.Document]:
    """The Tantivy documents of an asset and its cues."""
    docs = [_asset_document(asset_doc(asset, segments))]
    docs += [_segment_document(s) for s in segment_docs(asset, segments)]
    return docs


class TantivyEngine:
    """Search over a Tantivy index in a directory (see module docstring)."""

    def __init__(self, root: Path, heap_size: int = 100_000_000) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.schema = build_schema()
        self.heap_size = heap_size
        self._pending: list[tuple[str, str, list[tantivy.Document]]] = []
        self._index: tantivy.Index | None = None
        self._target: str | None = None
        self._seen: int = -1  # mtime of meta.json when this process last reloaded
        if not (self.root / "current").exists():
            self._swap_to(self._new_directory())

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
        return self._index

    def _fresh(self) -> tantivy.Index:
        """The live index, reloaded when a commit (from any process) changed it."""
        index = self._open()
        try:
            mtime = (self.root / self._target / "meta.json").stat().st_mtime_ns  # type: ignore[operator]
        except FileNotFoundError:
            mtime = -2
        if mtime != self._seen:
            index.reload()
            self._seen = mtime
        return index

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
        self._pending.append(("delete", asset_id, []))

    def _writer(self, index: tantivy.Index, threads: int = 1) -> tantivy.IndexWriter:
        deadline = time.monotonic() + 30
        while True:
            try:
                return index.writer(self.heap_size, threads)
            except ValueError:  # another process holds the writer lock: wait for it
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def commit(self) -> None:
        """Apply every queued change in one Tantivy commit."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        index = self._open()
        writer = self._writer(index)
        try:
            for _op, asset_id, docs in pending:
                writer.delete_documents_by_term("asset_id", asset_id)
                for doc in docs:
                    writer.add_document(doc)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        index.reload()

    def rebuild(self, items: Iterable[tuple[Asset, Sequence[Segment]]],
                progress: Progress | None = None, threads: int = 0) -> int:
        """Index everything into a new directory, then swap it in atomically."""
        self._remove_stale()
        path = self._new_directory()
        try:
            n = self._fill(path, items, progress, threads)
        except BaseException:
            shutil.rmtree(path, ignore_errors=True)
            raise
        old = self.current_directory
        self._swap_to(path)
        self._open()
        if old != path:
            shutil.rmtree(old, ignore_errors=True)
        return n

    def _fill(self, path: Path, items: Iterable[tuple[Asset, Sequence[Segment]]],
              progress: Progress | None, threads: int) -> int:
        index = tantivy.Index(self.schema, path=str(path), reuse=True)
        writer = index.writer(max(self.heap_size, 200_000_000), threads)
        n = 0
        try:
            for asset, segments in items:
                for doc in documents(asset, segments):
                    writer.add_document(doc)
                n += 1
                if progress:
                    progress(1)
            writer.commit()
        except BaseException:
            writer.rollback()
            raise
        finally:
            writer.wait_merging_threads()
        return n

    def _remove_stale(self, age: float = 3600) -> None:
        """Remove index directories a crashed rebuild left behind (untouched for `age` s)."""
        live = self.current_directory.name
        for path in self.root.glob("index-*"):
            if path.name != live and time.time() - path.stat().st_mtime > age:
                shutil.rmtree(path, ignore_errors=True)

    # -- reading --------------------------------------------------------------------------
    def count(self) -> int:
        """How many assets are indexed."""
        index = self._fresh()
        q = tantivy.Query.term_query(self.schema, "doc_type", "asset")
        return index.searcher().search(q, 1, count=True).count

    def search(self, query: Query, *, public_only: bool = True) -> SearchResults:
        """Run a parsed query (see `hexaglot.search.base`)."""
        t0 = time.perf_counter()
        searcher = self._fresh().searcher()
        q = self._asset_query(query, public_only)
        order = "date" if query.sort == "date" else None
        res = searcher.search(q, query.per_page, count=True, order_by_field=order,
                              offset=query.offset)
        aggs = {name: {"terms": {"field": field, "size": 50}}
                for name, field in _FACET_FIELD.items()}
        facets = _facets(searcher.aggregate(q, aggs))
        wanted = query.highlight_tokens()
        hits = []
        for score, addr in res.hits:
            doc = searcher.doc(addr)
            display = json.loads(bytes(doc.get_first("display")))
            hits.append(snippets.asset_hit(doc.get_first("asset_id"), score, display, wanted))
        self._add_moments(searcher, query, hits, wanted)
        took = (time.perf_counter() - t0) * 1000
        return SearchResults(hits=hits, facets=facets, total=res.count, took_ms=took,
                             page=query.page, per_page=query.per_page)

    def _add_moments(self, searcher: tantivy.Searcher, query: Query, hits: list,
                     wanted: set[str]) -> None:
        tree = query.tree(("text",))
        if tree is None or not hits:
            return
        must = [self._term("doc_type", "segment"), self._compile(tree),
                tantivy.Query.term_set_query(self.schema, "asset_id", [h.asset_id for h in hits])]
        if "lang" in query.filters:
            must.append(self._any_term("f_lang", query.filters["lang"]))
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])
        by_asset = {h.asset_id: h for h in hits}
        for _score, addr in searcher.search(q, 20 * len(hits), count=False).hits:
            doc = searcher.doc(addr)
            hit = by_asset[doc.get_first("asset_id")]
            if len(hit.moments) < MOMENTS_PER_ASSET:
                d = json.loads(bytes(doc.get_first("display")))
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

    def _asset_query(self, query: Query, public_only: bool) -> tantivy.Query:
        must = [self._term("doc_type", "asset")]
        tree = query.tree()
        if tree is not None:
            must.append(self._compile(tree))
        for name, values in query.filters.items():
            if name == "year":
                must.append(tantivy.Query.boolean_query(
                    [(tantivy.Occur.Should, self._range("year", int(v), int(v))) for v in values]))
            else:
                for value in values:  # several values of one facet: all must hold
                    must.append(self._term(_FACET_FIELD[name], value))
        if query.date_from or query.date_to:
            must.append(self._range("date", query.date_from.toordinal() if query.date_from
                                    else None,
                                    query.date_to.toordinal() if query.date_to else None))
        if public_only:
            must.append(self._range("visible_from", None, date.today().toordinal()))
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])

    def close(self) -> None:
        """Forget the open index (files are closed when it is collected)."""
        self._index = None
        self._target = None


def _facets(raw: dict) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        buckets = raw.get(name, {}).get("buckets", [])
        pairs = [(str(b["key"]), int(b["doc_count"])) for b in buckets if b["doc_count"]]
        if name == "year":
            pairs.sort(key=lambda p: p[0], reverse=True)
        else:
            pairs.sort(key=lambda p: (-p[1], p[0]))
        out[name] = pairs
    return out
