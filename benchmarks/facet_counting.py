"""Facet counting at scale: ways to count the nine facets of a query's match set, measured.

    .venv/bin/python benchmarks/facet_counting.py build 100000 /work/bench/facets-100k
    .venv/bin/python benchmarks/facet_counting.py run /work/bench/facets-100k --queries 300

`build` (`facet_index.py`) indexes the synthetic archive of `search_data.py` the way the raw
Tantivy floor of `benchmarks/search.py` does (one document per asset and per cue, Tantivy's
own tokenizer, the nine facets as fast fields), plus `ord` (the asset's row number, a fast
field), `rnd` (a fixed pseudo-random number per asset, a fast field) and `bucket` (its top
6 bits, an indexed term: one of 64 random shares of the assets). Beside the index it writes
the facets as compact per-asset ordinals (`facets.npz`: one int16 matrix, one column per
value slot, every facet's values numbered after the previous facet's).

`run` times, for each new two-word query (the floor's queries), the top 10 with stored
documents and the count (common to every approach), then each way of counting the facets,
interleaved per query so that each sees the same machine load:

- `tantivy`: nine terms aggregations, 50 values each (today's floor and engine);
- `tantivy_top10`: the same with 10 values each;
- `tantivy_sampled`: exact aggregations up to `--exact` matches; beyond, aggregations over
  the matches with `rnd` below a cut that keeps about `--exact` of them, scaled up;
- `numpy`: every match's `ord` from Tantivy (`search` ordered by the fast field, limit =
  the count), then one gather and one `bincount` over the ordinal matrix;
- `numpy_scored`: the same, the doc addresses from a scored search and `ord` read with
  `fast_field_values`;
- `numpy_sampled`: exact up to `--exact`; beyond, the `--exact` matches with the smallest
  `rnd` (a uniform sample, from Tantivy's top-N by that fast field), scaled up;
- `numpy_buckets_est`: no count from the page's search: the matches of 1 bucket estimate
  the total; up to `--exact` all are counted, beyond that the matches of just enough
  buckets for about `--exact`, scaled up (the total too);
- `numpy_hybrid_sampled`: the page's count decides: up to `--exact` all matches are
  counted, beyond that those of just enough buckets, scaled up;
- `roaring`: every match's `ord` into a roaring bitmap, then one intersection count per
  facet value with a bitmap of the assets that have it.

Prints p50/p99 of the facet counting alone and of the whole query (top 10 + facets) per
approach, the load average before and after, the memory and build cost of the structures,
and the error of the sampled approaches against the exact counts; `--json` for raw figures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from facet_index import (  # noqa: E402
    BUCKET_BITS,
    RND_BITS,
    TOP,
    build,
    rss_mb,
    schema,
)
from search import distinct_queries, percentiles  # noqa: E402

from hexaglot.search.base import FACETS  # noqa: E402


def _key(key: object) -> str:
    """A bucket key as the ordinals name it (years come back as floats)."""
    return str(int(key)) if isinstance(key, float) else str(key)


# -- counting -------------------------------------------------------------------------------
Facets = dict[str, list[tuple[str, int]]]


class Counter:
    """The structures every approach counts with, loaded from a built directory."""

    def __init__(self, path: Path, with_roaring: bool = True) -> None:
        import tantivy

        self.schema = schema()
        self.index = tantivy.Index(self.schema, path=str(path / "index"))
        self.searcher = self.index.searcher()
        self.n = json.loads((path / "build.json").read_text())["n"]
        self.names = json.loads((path / "values.json").read_text(encoding="utf-8"))
        self.offsets, total = {}, 0
        for name in FACETS:
            self.offsets[name] = (total, total + len(self.names[name]))
            total += len(self.names[name])
        self.total_values = total
        self.cost: dict[str, float] = {}
        m0, t0 = rss_mb(), time.perf_counter()
        self.matrix = np.load(path / "facets.npz")["matrix"]
        self.cost |= {"ordinals_load_s": round(time.perf_counter() - t0, 2),
                      "ordinals_mb": round(self.matrix.nbytes / 2**20, 1),
                      "ordinals_rss_mb": round(rss_mb() - m0, 1)}
        self.bitmaps: list = []
        if with_roaring:
            self._roaring()
        self.aggs = {k: {f"{name}": {"terms": {"field": f"f_{name}" if name != "year" else "year",
                                               "size": k}} for name in FACETS} for k in (TOP, 10)}

    def _roaring(self) -> None:
        """One roaring bitmap per facet value: the rows of the assets that have it."""
        from pyroaring import BitMap

        gc.collect()
        m0, t0 = rss_mb(), time.perf_counter()
        flat = self.matrix.ravel()
        rows = np.repeat(np.arange(self.n, dtype=np.uint32), self.matrix.shape[1])
        order = np.argsort(flat, kind="stable")
        bounds = np.searchsorted(flat[order], np.arange(self.total_values + 1))
        sorted_rows = rows[order]
        self.bitmaps = [BitMap(sorted_rows[bounds[v]:bounds[v + 1]])
                        for v in range(self.total_values)]
        for b in self.bitmaps:
            b.run_optimize()
        del flat, rows, order, sorted_rows
        gc.collect()
        self.cost |= {"roaring_build_s": round(time.perf_counter() - t0, 2),
                      "roaring_mb": round(sum(len(b.serialize()) for b in self.bitmaps) / 2**20, 1),
                      "roaring_rss_mb": round(rss_mb() - m0, 1)}

    # -- queries ------------------------------------------------------------------------------
    def query(self, text: str, rnd_below: int | None = None, buckets: int | None = None):
        import tantivy

        s = self.schema
        must = [tantivy.Query.term_query(s, "doc_type", "asset"),
                tantivy.Query.range_query(s, "visible_from", tantivy.FieldType.Integer, None, 0)]
        must += [tantivy.Query.term_query(s, "text", w) for w in text.lower().split()]
        if rnd_below is not None:
            must.append(tantivy.Query.range_query(s, "rnd", tantivy.FieldType.Unsigned,
                                                  0, rnd_below - 1))
        if buckets is not None:
            must.append(tantivy.Query.range_query(s, "bucket", tantivy.FieldType.Unsigned,
                                                  0, buckets - 1))
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])

    def page(self, q, count: bool = True) -> int:
        """The part every approach shares: top 10 with stored documents, and the count
        (without it for the `_est` approaches, which estimate the total themselves)."""
        res = self.searcher.search(q, 10, count=count)
        for _score, addr in res.hits:
            self.searcher.doc(addr)
        return res.count if count else -1

    # -- ways to count ------------------------------------------------------------------------
    def tantivy(self, q, total: int, size: int = TOP) -> Facets:
        raw = self.searcher.aggregate(q, self.aggs[size])
        return {name: [(_key(b["key"]), int(b["doc_count"])) for b in raw[name]["buckets"]]
                for name in FACETS}

    def tantivy_top10(self, q, total: int) -> Facets:
        return self.tantivy(q, total, 10)

    def tantivy_sampled(self, q, total: int, text: str, exact: int) -> Facets:
        if total <= exact:
            return self.tantivy(q, total)
        cut = int((1 << RND_BITS) * exact / total)
        sq = self.query(text, rnd_below=cut)
        raw = self.searcher.aggregate(sq, self.aggs[TOP])
        scale = (1 << RND_BITS) / cut
        return {name: [(_key(b["key"]), round(b["doc_count"] * scale))
                       for b in raw[name]["buckets"]]
                for name in FACETS}

    def ords(self, q, limit: int, by: str = "ord"):
        import tantivy

        hits = self.searcher.search(q, limit, count=False, order_by_field=by,
                                    order=tantivy.Order.Asc).hits
        if by == "ord":
            return np.fromiter((h[0] for h in hits), dtype=np.int64, count=len(hits))
        addrs = [h[1] for h in hits]
        return np.array(self.searcher.fast_field_values("ord", addrs), dtype=np.int64)

    def count_rows(self, rows: np.ndarray, scale: float = 1.0) -> Facets:
        counts = np.bincount(self.matrix[rows].ravel(), minlength=self.total_values + 1)
        out = {}
        for name in FACETS:
            a, b = self.offsets[name]
            c = counts[a:b]
            k = min(TOP, int(np.count_nonzero(c)))
            top = np.argpartition(-c, k - 1)[:k] if k else np.array([], dtype=np.int64)
            top = top[np.lexsort((top, -c[top]))]
            vals = self.names[name]
            out[name] = [(vals[i], round(int(c[i]) * scale)) for i in top]
        return out

    def numpy(self, q, total: int) -> Facets:
        return self.count_rows(self.ords(q, total)) if total else self.count_rows(np.zeros(0, int))

    def numpy_scored(self, q, total: int) -> Facets:
        if not total:
            return self.count_rows(np.zeros(0, int))
        hits = self.searcher.search(q, total, count=False).hits
        rows = np.array(self.searcher.fast_field_values("ord", [h[1] for h in hits]),
                        dtype=np.int64)
        return self.count_rows(rows)

    def numpy_sampled(self, q, total: int, exact: int) -> Facets:
        if total <= exact:
            return self.numpy(q, total)
        return self.count_rows(self.ords(q, exact, by="rnd"), total / exact)

    def numpy_buckets_est(self, q, total: int, text: str, exact: int
                          ) -> tuple[Facets, int, bool]:
        """Without a count: the matches in 1 of 64 random buckets estimate the total; up to
        `exact` matches all are counted, beyond that the matches of just enough buckets
        for about `exact` of them, scaled up. Returns the facets, the (estimated) total and
        whether it sampled."""
        share = 1 << BUCKET_BITS
        first = self.all_ords(self.query(text, buckets=1), exact // share + 1)
        if len(first) * share <= exact:
            rows = self.all_ords(q, exact)
            return self.count_rows(rows), len(rows), False
        k = min(share, -(-exact // len(first)))
        rows = first if k == 1 else self.all_ords(self.query(text, buckets=k), 2 * exact)
        return self.count_rows(rows, share / k), round(len(rows) * share / k), True

    def numpy_hybrid(self, q, total: int, text: str, exact: int) -> Facets:
        """With the count the page's search gives: up to `exact` matches all are counted;
        beyond, the matches of just enough random buckets for about `exact`, scaled up."""
        if total <= exact:
            return self.numpy(q, total)
        share = 1 << BUCKET_BITS
        k = min(share, -(-exact * share // total))
        rows = self.all_ords(self.query(text, buckets=k), 2 * exact)
        return self.count_rows(rows, share / k)

    def all_ords(self, q, guess: int) -> np.ndarray:
        """The `ord` of every match, asking for `guess` first (Tantivy allocates room for
        as many hits as it is asked for)."""
        import tantivy

        res = self.searcher.search(q, guess, count=True, order_by_field="ord",
                                   order=tantivy.Order.Asc)
        if res.count > len(res.hits):
            return self.ords(q, res.count)
        return np.fromiter((h[0] for h in res.hits), dtype=np.int64, count=len(res.hits))

    def roaring(self, q, total: int) -> Facets:
        from pyroaring import BitMap

        match = BitMap(self.ords(q, total).astype(np.uint32)) if total else BitMap()
        out = {}
        for name in FACETS:
            a, b = self.offsets[name]
            c = np.array([match.intersection_cardinality(self.bitmaps[v]) for v in range(a, b)])
            top = np.lexsort((np.arange(len(c)), -c))[:TOP]
            out[name] = [(self.names[name][i], int(c[i])) for i in top if c[i]]
        return out


def approaches(counter: Counter, exact: int) -> dict[str, Callable]:
    """Every way of counting, as f(query, total, text) -> facets."""
    out = {"tantivy": lambda q, t, s: counter.tantivy(q, t),
           "tantivy_top10": lambda q, t, s: counter.tantivy_top10(q, t),
           "tantivy_sampled": lambda q, t, s: counter.tantivy_sampled(q, t, s, exact),
           "numpy": lambda q, t, s: counter.numpy(q, t),
           "numpy_scored": lambda q, t, s: counter.numpy_scored(q, t),
           "numpy_sampled": lambda q, t, s: counter.numpy_sampled(q, t, exact),
           "numpy_buckets_est": lambda q, t, s: counter.numpy_buckets_est(q, t, s, exact),
           "numpy_hybrid_sampled": lambda q, t, s: counter.numpy_hybrid(q, t, s, exact)}
    if counter.bitmaps:
        out["roaring"] = lambda q, t, s: counter.roaring(q, t)
    return out


# -- measuring ------------------------------------------------------------------------------
def exact_counts(counter: Counter, text: str) -> dict[str, dict[str, int]]:
    """Every value's exact count in the match set (numpy over all matches)."""
    q = counter.query(text)
    total = counter.searcher.search(q, 1, count=True).count
    rows = counter.ords(q, total) if total else np.zeros(0, np.int64)
    counts = np.bincount(counter.matrix[rows].ravel(), minlength=counter.total_values + 1)
    return {name: {counter.names[name][i - a]: int(counts[i]) for i in range(a, b) if counts[i]}
            for name, (a, b) in counter.offsets.items()}


FEW_VALUES = ("body", "year", "kind", "lang")  # facets of at most a few dozen values


def check(name: str, got: Facets, exact: dict[str, dict[str, int]], sampled: bool,
          errors: dict[str, list]) -> None:
    """Exact approaches must give exact counts; for a sampled answer note the error of the
    true top 10 values of each facet (relative error of their counts; share of the true top
    10 among the 10 shown), apart for the few-valued facets and the long-tail ones."""
    inexact = False
    for facet, pairs in got.items():
        truth = exact[facet]
        if not sampled:
            wrong = [(v, c, truth.get(v)) for v, c in pairs if truth.get(v) != c]
            if wrong or len(pairs) != min(TOP if "top10" not in name else 10, len(truth)):
                if not name.startswith("tantivy"):  # ours must be exact
                    raise SystemExit(f"{name} miscounts {facet}: {wrong[:3]} ({len(pairs)})")
                inexact = True
            continue
        true_top = sorted(truth.items(), key=lambda p: (-p[1], p[0]))[:10]
        if not true_top:
            continue
        group = "few" if facet in FEW_VALUES else "tail"
        estimate = dict(pairs)
        errors[f"{group}_rel_err"] += [abs(estimate.get(v, 0) - c) / c for v, c in true_top]
        cut = true_top[-1][1]  # values tied with the 10th count are as good
        ok = {v for v, c in truth.items() if c >= cut}
        errors[f"{group}_recall"].append(sum(v in ok for v, _ in pairs[:10]) / len(true_top))
    if inexact:
        errors["inexact"].append(1)


def run(path: Path, n_queries: int, exact: int, only: list[str] | None = None) -> dict:
    counter = Counter(path, with_roaring=not only or "roaring" in only)
    queries = distinct_queries(n_queries)
    ways = {k: v for k, v in approaches(counter, exact).items()
            if not only or k in only or k == "tantivy"}
    for text in queries:  # warm the page cache, so that no approach pays the first reads
        counter.page(counter.query(text))
    times: dict[str, list[float]] = {w: [] for w in ways}
    page_ms, totals, bare_ms, total_err = [], [], [], []
    errors = {w: {f"{g}_{k}": [] for g in ("few", "tail") for k in ("rel_err", "recall")}
              for w in ways}
    for e in errors.values():
        e["inexact"] = []
    parts: dict[str, list[float]] = {"ids": [], "bincount": []}
    load0 = os.getloadavg()
    for text in queries:
        exact_set = exact_counts(counter, text)
        q = counter.query(text)
        t0 = time.perf_counter()
        total = counter.page(q)
        page_ms.append((time.perf_counter() - t0) * 1000)
        totals.append(total)
        t0 = time.perf_counter()
        counter.page(q, count=False)
        bare_ms.append((time.perf_counter() - t0) * 1000)
        for name, way in ways.items():
            t0 = time.perf_counter()
            got = way(q, total, text)
            times[name].append((time.perf_counter() - t0) * 1000)
            sampled = "sampled" in name and total > exact
            if name.endswith("_est"):
                got, estimate, sampled = got
                if sampled:
                    total_err.append(abs(estimate - total) / total)
                elif estimate != total:
                    raise SystemExit(f"{name}: total {estimate}, not {total}")
            check(name, got, exact_set, sampled, errors[name])
        t0 = time.perf_counter()
        rows = counter.ords(q, total) if total else np.zeros(0, np.int64)
        t1 = time.perf_counter()
        counter.count_rows(rows)
        parts["ids"].append((t1 - t0) * 1000)
        parts["bincount"].append((time.perf_counter() - t1) * 1000)
    load1 = os.getloadavg()
    out: dict = {"n": counter.n, "queries": len(queries), "exact_up_to": exact,
                 "mean_matches": round(statistics.mean(totals), 1),
                 "max_matches": max(totals), "load_before": load0, "load_after": load1,
                 "page": percentiles(page_ms), "cost": counter.cost, "approaches": {},
                 "numpy_parts": {k: percentiles(v) for k, v in parts.items()}}
    out["page_without_count"] = percentiles(bare_ms)
    for name, ms in times.items():
        base = bare_ms if name.endswith("_est") else page_ms
        whole = [a + b for a, b in zip(base, ms, strict=True)]
        row = {"facets": percentiles(ms), "whole": percentiles(whole)}
        if name.endswith("_est") and total_err:
            row["total_rel_err_mean"] = round(statistics.mean(total_err), 4)
            row["total_rel_err_p90"] = round(float(np.percentile(total_err, 90)), 4)
        row["inexact_queries"] = len(errors[name].pop("inexact"))
        if errors[name]["few_rel_err"]:
            row["sampled_queries"] = (len(total_err) if name.endswith("_est")
                                      else sum(t > exact for t in totals))
            for key, vals in errors[name].items():
                stat = "p90" if "err" in key else "mean"
                row[f"{key}_{stat}"] = round(float(np.percentile(vals, 90)) if "err" in key
                                             else statistics.mean(vals), 4)
                if "err" in key:
                    row[f"{key}_mean"] = round(statistics.mean(vals), 4)
        out["approaches"][name] = row
    return out


def print_report(r: dict) -> None:
    print(f"\n== {r['n']:,} assets, {r['queries']} new two-word queries, "
          f"mean matches {r['mean_matches']:,} (max {r['max_matches']:,}); "
          f"exact up to {r['exact_up_to']:,} ==")
    print(f"  load average before {r['load_before'][0]:.2f}, after {r['load_after'][0]:.2f}")
    print(f"  top 10 + stored documents + count (shared): p50 {r['page']['p50_ms']} ms, "
          f"p99 {r['page']['p99_ms']} ms; without the count (for `_est`): p50 "
          f"{r['page_without_count']['p50_ms']} ms, p99 {r['page_without_count']['p99_ms']} ms")
    print(f"  {'approach':18} {'facets p50':>11} {'p99':>9} {'whole p50':>10} {'p99':>9}  error")
    floor = r["approaches"]["tantivy"]["facets"]["p50_ms"]
    for name, row in r["approaches"].items():
        f, w = row["facets"], row["whole"]
        err = f"{row['inexact_queries']} queries inexact; " if row["inexact_queries"] else ""
        if "sampled_queries" in row:
            err += f"{row['sampled_queries']} sampled;" + "".join(
                f" {g}: off {row[f'{g}_rel_err_mean']:.1%} (p90 {row[f'{g}_rel_err_p90']:.1%}),"
                f" top 10 {row[f'{g}_recall_mean']:.1%};" for g in ("few", "tail"))
        if "total_rel_err_mean" in row:
            err += (f" total off {row['total_rel_err_mean']:.1%} "
                    f"(p90 {row['total_rel_err_p90']:.1%})")
        print(f"  {name:18} {f['p50_ms']:>9} ms {f['p99_ms']:>6} ms {w['p50_ms']:>8} ms "
              f"{w['p99_ms']:>6} ms  {floor / max(f['p50_ms'], 1e-9):4.1f}x  {err}")
    p = r["numpy_parts"]
    print(f"  numpy, its parts: ids from Tantivy p50 {p['ids']['p50_ms']} / p99 "
          f"{p['ids']['p99_ms']} ms; gather + bincount + top 50 p50 {p['bincount']['p50_ms']}"
          f" / p99 {p['bincount']['p99_ms']} ms")
    print(f"  memory and build: {json.dumps(r['cost'])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build")
    b.add_argument("n", type=int)
    b.add_argument("dir", type=Path)
    b.add_argument("--no-cue-docs", action="store_true",
                   help="index the assets alone (what the asset query costs without cue "
                        "documents in the same postings)")
    r = sub.add_parser("run")
    r.add_argument("dir", type=Path)
    r.add_argument("--queries", type=int, default=300)
    r.add_argument("--exact", type=int, default=10_000, help="count exactly up to this many matches")
    r.add_argument("--only", default="", help="approaches to time, comma-separated "
                   "(tantivy, the floor, always runs)")
    r.add_argument("--json", action="store_true")
    opts = ap.parse_args()
    if opts.cmd == "build":
        print(json.dumps(build(opts.n, opts.dir, not opts.no_cue_docs)))
        return
    report = run(opts.dir, opts.queries, opts.exact, [w for w in opts.only.split(",") if w])
    if opts.json:
        print(json.dumps(report))
    print_report(report)


if __name__ == "__main__":
    main()
