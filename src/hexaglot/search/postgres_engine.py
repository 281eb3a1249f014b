"""The server-mode search engine: PostgreSQL full-text search in the catalogue database.

Its two tables (`search_assets`, `search_segments`) are the catalogue's (made by its
migrations). Every web process shares them. `commit` runs in one transaction; `rebuild`
loads shadow tables and swaps them in with one short transaction. Either way readers see
the old rows until the new ones are complete, and a crash midway leaves the old index.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import suppress
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from hexaglot.catalog import search_shadow as shadow
from hexaglot.domain import Asset, Audience, Segment
from hexaglot.domain.facets import BUCKETS, EXACT_FACETS, FACETS, TEXT_FIELDS, sample_buckets
from hexaglot.search import parallel, snippets
from hexaglot.search.base import Progress, SearchResults
from hexaglot.search.cache import ResultCache, match_key, page_key
from hexaglot.search.documents import asset_doc, cue_tokens, segment_docs
from hexaglot.search.postgres_sql import (
    ASSETS,
    GENERATION,
    LIST_FACETS,
    NUMBER_FACETS,
    SEGMENTS,
    WRITER_LOCK,
    WRITER_SESSION_LOCK,
    WRITER_SESSION_UNLOCK,
    Conditions,
    count_sql,
    facets_sql,
    tsvector,
)
from hexaglot.search.query import Query
from hexaglot.storage.shared_state import SharedState

MOMENTS_PER_ASSET = 3
#: Settings of a search's transaction: no JIT compilation (it costs more than the short
#: statements of a search save) and no parallel workers (their start costs more than they
#: save on a page of hits; a server has many searches at once to spread over its cores).
_SETTINGS = ("set_config('jit', 'off', true), "
             "set_config('max_parallel_workers_per_gather', '0', true)")
_ASSET_COLS = ["asset_id", "visible_from", "audience", "day", *NUMBER_FACETS,
               *(f"f_{n}" for n in LIST_FACETS), *(f"{n}_tsv" for n in TEXT_FIELDS), "display"]
_SEGMENT_COLS = ["asset_id", "seq", "language", "speaker", "start_s", "end_s", "body", "tsv"]


def asset_rows(asset: Asset, segments: Sequence[Segment]) -> tuple[tuple, list[tuple]]:
    """The row of an asset and the rows of its cues, in column order."""
    spoken = cue_tokens(segments)
    doc = asset_doc(asset, segments, spoken)
    row = (doc.asset_id, doc.visible_from, doc.audience, doc.date,
           *(doc.numbers[n] for n in NUMBER_FACETS), *(doc.facets[n] for n in LIST_FACETS),
           *(tsvector(doc.fields[n]) for n in TEXT_FIELDS), json.dumps(doc.display))
    segs = [(s.asset_id, s.seq, s.language, s.speaker, s.start, s.end, _no_nul(s.text),
             tsvector(s.tokens)) for s in segment_docs(asset, segments, spoken)]
    return row, segs


def _no_nul(text: str) -> str:
    """PostgreSQL text cannot hold NUL characters."""
    return text.replace("\x00", " ") if "\x00" in text else text


def item_rows(item: tuple[Asset, Sequence[Segment]]) -> tuple[tuple, list[tuple]]:
    """`asset_rows` of one (asset, cues) pair: the unit of work of a parallel rebuild."""
    return asset_rows(*item)


class PostgresEngine:
    """Search over PostgreSQL tables (see module docstring)."""

    def __init__(self, url: str | sa.Engine, shared: SharedState | None = None,
                 exact_facets: int = EXACT_FACETS) -> None:
        if exact_facets < 1:
            raise ValueError(f"exact_facets must be at least 1, not {exact_facets}")
        self.exact_facets = exact_facets
        self.engine = url if isinstance(url, sa.Engine) else sa.create_engine(url)
        self._distance: str | None = None  # the RUM distance operator, "" without RUM
        self._owns_engine = not isinstance(url, sa.Engine)
        self._pending: list[tuple[str, tuple | None, list[tuple]]] = []
        self.cache = ResultCache(shared=shared, namespace=f"postgresql:{self.engine.url}")

    @property
    def was_reset(self) -> bool:
        """False: the catalogue's migrations make the tables (and queue what they reset)."""
        return False

    def _changed(self) -> None:
        """Tell every process the index changed (after the commit: a reader that sees the
        new number also sees the new rows)."""
        self.cache.at(None)
        with self.engine.begin() as conn:
            conn.execute(sa.text(f"SELECT nextval('{GENERATION}')"))

    # -- writing --------------------------------------------------------------------------
    def index(self, asset: Asset, segments: Sequence[Segment] = ()) -> None:
        """Queue (re)indexing an asset and its cues."""
        row, segs = asset_rows(asset, segments)
        self._pending.append((asset.asset_id, row, segs))

    def delete(self, asset_id: str) -> None:
        """Queue removing an asset and its cues."""
        self._pending.append((asset_id, None, []))

    def _copy(self, cursor, rows: list[tuple], segs: list[tuple],
              table: Callable[[str], str] = str, options: str = "") -> None:
        with_ = f" WITH ({options})" if options else ""
        if rows:
            with cursor.copy(f"COPY {table(ASSETS)} ({', '.join(_ASSET_COLS)}) "
                             f"FROM STDIN{with_}") as cp:
                for row in rows:
                    cp.write_row(row)
        if segs:
            with cursor.copy(f"COPY {table(SEGMENTS)} ({', '.join(_SEGMENT_COLS)}) "
                             f"FROM STDIN{with_}") as cp:
                for seg in segs:
                    cp.write_row(seg)

    def commit(self) -> None:
        """Apply every queued change in one transaction."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        ids = list(dict.fromkeys(p[0] for p in pending))
        last = {p[0]: p for p in pending}
        raw: Any = self.engine.raw_connection()
        try:
            with raw.cursor() as cur:
                cur.execute(WRITER_LOCK)  # one index writer at a time
                cur.execute(f"DELETE FROM {SEGMENTS} WHERE asset_id = ANY(%s)", (ids,))
                cur.execute(f"DELETE FROM {ASSETS} WHERE asset_id = ANY(%s)", (ids,))
                rows = [p[1] for p in last.values() if p[1] is not None]
                self._copy(cur, rows, [s for p in last.values() if p[1] is not None for s in p[2]])
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
        finally:
            raw.close()
        self._changed()

    def rebuild(self, items: Iterable[tuple[Asset, Sequence[Segment]]],
                progress: Progress | None = None, batch: int = 2000,
                processes: int | None = None) -> int:
        """Replace every row: load fresh shadow tables without indexes, build their indexes
        once the rows are in, vacuum and analyse them, then swap them in with one short
        transaction (`hexaglot.catalog.search_shadow`). Readers get the old rows until
        the swap; a failure or a kill before it leaves the old tables serving (a kill's
        leftover shadow tables are dropped by the next rebuild). No other writer runs
        meanwhile. The text is analysed in `processes` worker processes (default: one per
        core)."""
        raw: Any = self.engine.raw_connection()
        conn = raw.driver_connection  # psycopg: VACUUM needs autocommit
        tables = [ASSETS, SEGMENTS]  # the order readers lock them in
        n = 0
        conn.autocommit = True
        try:
            with conn.cursor() as cur:
                cur.execute(WRITER_SESSION_LOCK)  # held until the swap has committed
                try:
                    shadow.drop(cur, tables)
                    plans = [shadow.plan(cur, t) for t in tables]
                    with conn.transaction():  # a failure here leaves no shadow table
                        for p in plans:
                            shadow.create(cur, p)
                        n = self._load(cur, items, progress, batch, processes)
                        cur.execute("SET LOCAL maintenance_work_mem = '1GB'")
                        for p in plans:
                            shadow.build_indexes(cur, p)
                    for t in tables:  # the visibility map lets counts skip the heap
                        cur.execute(f"VACUUM (ANALYZE) {shadow.shadow(t)}")
                    with conn.transaction():
                        shadow.swap(cur, plans)
                except BaseException:
                    with suppress(Exception):  # the first error is the one to report
                        shadow.drop(cur, tables)
                    raise
                finally:
                    with suppress(Exception):
                        cur.execute(WRITER_SESSION_UNLOCK)
        except BaseException:
            raw.invalidate()  # a connection broken or in an unknown state is not reused
            raise
        conn.autocommit = False
        raw.close()
        self._changed()
        return n

    def _load(self, cur: Any, items: Iterable[tuple[Asset, Sequence[Segment]]],
              progress: Progress | None, batch: int, processes: int | None) -> int:
        """COPY every row into the shadow tables (made in this transaction, so the rows
        are written frozen and their pages marked all-visible)."""
        n = 0
        rows: list[tuple] = []
        segs: list[tuple] = []
        for row, srows in parallel.in_order(item_rows, items, processes):
            rows.append(row)
            segs.extend(srows)
            n += 1
            if progress:
                progress(1)
            if len(rows) >= batch:
                self._copy(cur, rows, segs, shadow.shadow, "FREEZE")
                rows, segs = [], []
        self._copy(cur, rows, segs, shadow.shadow, "FREEZE")
        return n

    # -- reading --------------------------------------------------------------------------
    def count(self) -> int:
        """How many assets are indexed."""
        with self.engine.connect() as conn:
            return int(conn.execute(sa.text(f"SELECT count(*) FROM {ASSETS}")).scalar_one())

    def search(self, query: Query, *, audience: Audience = Audience.PUBLIC) -> SearchResults:
        """Run a parsed query (see `hexaglot.search.base`)."""
        t0 = time.perf_counter()
        with self.engine.connect() as conn:
            generation = conn.execute(sa.text(  # and settings for this transaction
                f"SELECT last_value, is_called, {_SETTINGS} FROM {GENERATION}")).one()
            self.cache.at(tuple(generation)[:2])
            pkey = page_key(query, audience)
            cached = self.cache.pages.get(pkey)
            if cached is not None:
                return replace(cached, took_ms=(time.perf_counter() - t0) * 1000)
            results = self._search(conn, query, audience)
        results.took_ms = (time.perf_counter() - t0) * 1000
        self.cache.pages.put(pkey, results)
        return results

    def cached(self, query: Query, *,
               audience: Audience = Audience.PUBLIC) -> SearchResults | None:
        """None: knowing whether a cached answer is current takes a database round trip,
        which `search` makes (and then answers from the cache)."""
        return None

    def _search(self, conn: sa.Connection, query: Query, audience: Audience) -> SearchResults:
        cond = Conditions()
        where = cond.asset_where(query, audience)
        rank = cond.rank_query(query.tree(), "text")
        score = f"ts_rank(text_tsv, {rank})" if rank else "0.0"
        order = "day DESC, asset_id" if query.sort == "date" else "score DESC, day DESC, asset_id"
        hits_sql = (f"SELECT asset_id, {score} AS score, display FROM {ASSETS} WHERE {where} "
                    f"ORDER BY {order} LIMIT {query.per_page} OFFSET {query.offset}")
        if rank and query.sort != "date" and self._rum_distance(conn):
            # The same order read from the RUM index (its distance is the inverse of
            # ts_rank): the inner scan returns matches by rank, the outer sort breaks ties
            # group by group (an incremental sort), reading only as far as the page needs.
            hits_sql = (
                f"SELECT asset_id, {score} AS score, display FROM (SELECT asset_id, text_tsv, "
                f"day, display, text_tsv {self._distance} {rank} AS distance FROM {ASSETS} "
                f"WHERE {where} ORDER BY distance LIMIT {query.offset + query.per_page + 1000}"
                f") AS c ORDER BY distance, day DESC, asset_id "
                f"LIMIT {query.per_page} OFFSET {query.offset}")
        wanted = query.highlight_tokens()
        rows = conn.execute(sa.text(hits_sql), cond.params).all()
        mkey = match_key(query, audience)
        counted = self.cache.matches.get(mkey)  # total and facets of this match, if known
        if counted is None:
            counted = self._count(conn, where, cond.params)
            self.cache.matches.put(mkey, counted)
        hits = [snippets.asset_hit(r.asset_id, r.score, r.display, wanted) for r in rows]
        self._add_moments(conn, query, hits, wanted)
        total, facets, *flags = counted  # a flag: cached by this version (older: none)
        approximate = bool(flags and flags[0])
        return SearchResults(hits=hits, facets=facets, total=total, took_ms=0.0,
                             page=query.page, per_page=query.per_page,
                             facets_approximate=approximate)

    def _rum_distance(self, conn: sa.Connection) -> str:
        """`OPERATOR(schema.<=>)` when the migrations made the RUM index, else ""."""
        if self._distance is None:
            schema = conn.execute(sa.text(
                "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n "
                "ON n.oid = e.extnamespace WHERE e.extname = 'rum' "
                "AND to_regclass('search_assets_text_rum') IS NOT NULL")).scalar()
            self._distance = f'OPERATOR("{schema}".<=>)' if schema else ""
        return self._distance

    def _count(self, conn: sa.Connection, where: str,
               params: dict[str, object]) -> tuple[int, dict[str, list[tuple[str, int]]], bool]:
        """The exact total and the facet counts of a match: exact up to `exact_facets`
        matches, else estimated from the first k buckets (see `EXACT_FACETS`)."""
        total = int(conn.execute(sa.text(count_sql(where)), params).scalar_one())
        buckets = sample_buckets(total, self.exact_facets)
        if buckets >= BUCKETS:
            sample, facets = _counted(conn.execute(sa.text(facets_sql(where)), params))
            return total, facets, False
        sample, facets = _counted(conn.execute(sa.text(facets_sql(where, buckets)), params))
        scale = total / max(sample, 1)
        scaled = {name: [(v, min(total, max(1, round(n * scale)))) for v, n in pairs]
                  for name, pairs in facets.items()}
        return total, scaled, True

    def _add_moments(self, conn: sa.Connection, query: Query, hits: list,
                     wanted: set[str]) -> None:
        """The matching cues of the hits (only visible assets are hits)."""
        tree = query.tree(("text",))
        if tree is None or not hits:
            return
        cond = Conditions()
        match = cond.node(tree, {"text": "tsv"})
        rank = cond.rank_query(tree, "text")
        ids = cond.bind([h.asset_id for h in hits])
        where = f"asset_id = ANY({ids}) AND {match}"
        if "lang" in query.filters:
            where += f" AND language = ANY({cond.bind(query.filters['lang'])})"
        sql = (f"SELECT asset_id, language, speaker, start_s, end_s, body FROM {SEGMENTS} "
               f"WHERE {where} ORDER BY ts_rank(tsv, {rank}) DESC, start_s "
               f"LIMIT {20 * len(hits)}")
        by_asset = {h.asset_id: h for h in hits}
        for r in conn.execute(sa.text(sql), cond.params):
            hit = by_asset[r.asset_id]
            if len(hit.moments) < MOMENTS_PER_ASSET:
                hit.moments.append(snippets.moment(r.asset_id, r.language, r.speaker,
                                                   r.start_s, r.end_s, r.body, wanted))
        for hit in hits:
            hit.moments.sort(key=lambda m: (m.start, m.language))

    def close(self) -> None:
        """Release the connection pool this engine created."""
        if self._owns_engine:
            self.engine.dispose()


def _counted(rows: Iterable) -> tuple[int, dict[str, list[tuple[str, int]]]]:
    """The total and the sorted facet counts from the rows of `facets_sql`."""
    total = 0
    facets: dict[str, list[tuple[str, int]]] = {f.name: [] for f in FACETS}
    for facet, value, n in rows:
        if facet == "total":
            total = int(n)
        else:
            facets[facet].append((str(value), int(n)))
    for name, pairs in facets.items():
        numeric = name in NUMBER_FACETS
        pairs.sort(key=(lambda p: p[0]) if numeric else (lambda p: (-p[1], p[0])),
                   reverse=numeric)
    return total, facets
