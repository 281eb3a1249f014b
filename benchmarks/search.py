"""Search benchmark: raw Tantivy (the floor) vs Hexaglot's Python API vs HTTP, and PostgreSQL.

    .venv/bin/python benchmarks/search.py --sizes 10000,100000 --pg-size 100000

For each size it builds a synthetic archive (Zipf vocabulary, six languages, 5 cues per
asset) three ways in separate processes (so peak memory is per build): raw Tantivy with its
own tokenizer, Hexaglot's Tantivy engine (`rebuild`, what `hexaglot reindex` runs), and, at
`--pg-size`, Hexaglot's PostgreSQL engine. It then times different two-word queries, top 10
plus all facets: raw Tantivy, `engine.search` in Python, and `GET /api/search` with 8
concurrent clients against `hexaglot serve` -- each query first new to Hexaglot (caches
emptied), then the same queries again (answered from its caches). Prints one table per size
and the growth across sizes; `--json` prints the raw figures.

The HTTP phases serve an embedded home: its web processes share their caches only when
`HEXAGLOT_CACHE_URL` names a Redis database (as in server mode); set it, to an empty
database, to measure issue 17's repeated queries with `--workers 2`:

    HEXAGLOT_CACHE_URL=redis://127.0.0.1:6379/11 .venv/bin/python benchmarks/search.py ...
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).parent))
import search_data as synth  # noqa: E402

PG_URL = os.environ.get("HEXAGLOT_TEST_POSTGRES_URL",
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test")
#: Issue 17's target for the PostgreSQL engine at 1M assets, new queries (p50, p99 in ms).
PG_TARGET = (20, 150)
FACET_FIELDS = ["f_body", "f_kind", "f_lang", "f_affiliation", "f_personal", "f_corporate",
                "f_geographic", "f_topical", "year"]


def peak_mb() -> float:
    """Peak resident memory of this process in MiB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    """CPU seconds (user + system, all threads) this process and its finished children
    (the worker processes of a parallel rebuild) have used."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def dir_mb(path: Path) -> float:
    """Size of the files under a directory in MiB."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def percentiles(ms: list[float], prefix: str = "") -> dict[str, float]:
    """p50 and p99 of a list of milliseconds."""
    qs = statistics.quantiles(ms, n=100, method="inclusive")
    return {f"{prefix}p50_ms": round(statistics.median(ms), 3),
            f"{prefix}p99_ms": round(qs[98], 3)}


def built(n: int, wall: float, cpu: float, index_mb: float) -> dict:
    """The figures of one build."""
    return {"build_s": round(wall, 2), "cpu_s": round(cpu, 2), "assets_per_s": round(n / wall),
            "assets_per_cpu_s": round(n / cpu), "index_mb": round(index_mb, 1),
            "peak_mb": round(peak_mb())}


# -- raw Tantivy: its own tokenizer, the same documents -----------------------------------
def raw_schema():
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("doc_type", tokenizer_name="raw", index_option="basic")
    sb.add_text_field("asset_id", stored=True, tokenizer_name="raw", index_option="basic")
    sb.add_text_field("text", tokenizer_name="default")
    for name in FACET_FIELDS[:-1]:
        sb.add_text_field(name, tokenizer_name="raw", fast=True, index_option="basic")
    for name in ("year", "visible_from"):
        sb.add_integer_field(name, indexed=True, fast=True)
    return sb.build()


def raw_documents(asset, cues):
    import tantivy

    subj = [s for k in ("personal", "corporate", "geographic", "topical")
            for s in getattr(asset.subjects, k)]
    text = " ".join([asset.title, asset.summary or "", asset.description or "",
                     asset.meeting.body or "", asset.meeting.record_symbol or "",
                     *(f"{s.name} {s.affiliation}" for s in asset.speakers),
                     *(" ".join([s.label, *s.labels.values()]) for s in subj),
                     *(c.text for c in cues)])
    d = tantivy.Document(doc_type="asset", asset_id=asset.asset_id, text=text)
    d.add_text("f_body", asset.meeting.body)
    d.add_text("f_kind", asset.kind)
    for v in asset.available_languages:
        d.add_text("f_lang", v)
    for s in asset.speakers:
        d.add_text("f_affiliation", s.affiliation)
    for k in ("personal", "corporate", "geographic", "topical"):
        for s in getattr(asset.subjects, k):
            d.add_text(f"f_{k}", s.label)
    d.add_integer("year", asset.recorded_on.year)
    d.add_integer("visible_from", 0 if asset.access == "public" else 10**7)
    docs = [d]
    for c in cues:
        docs.append(tantivy.Document(doc_type="segment", asset_id=asset.asset_id, text=c.text,
                                     f_lang=c.language))
    return docs


def phase_raw_build(n: int, path: Path) -> dict:
    import tantivy

    vocab = synth.Vocabulary()
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    index = tantivy.Index(raw_schema(), path=str(path))
    writer = index.writer(200_000_000, 0)
    t0, c0 = time.perf_counter(), cpu_s()
    for asset, cues in synth.archive(n, vocab):
        for d in raw_documents(asset, cues):
            writer.add_document(d)
    writer.commit()
    writer.wait_merging_threads()
    return built(n, time.perf_counter() - t0, cpu_s() - c0, dir_mb(path))


def phase_generate(n: int) -> dict:
    vocab = synth.Vocabulary()
    t0, c0 = time.perf_counter(), cpu_s()
    for _ in synth.archive(n, vocab):
        pass
    return {"generate_s": round(time.perf_counter() - t0, 2), "cpu_s": round(cpu_s() - c0, 2)}


def phase_hx_build(n: int, home: Path) -> dict:
    from hexaglot.search.tantivy_engine import TantivyEngine

    vocab = synth.Vocabulary()
    shutil.rmtree(home / "search", ignore_errors=True)
    engine = TantivyEngine(home / "search")
    t0, c0 = time.perf_counter(), cpu_s()
    engine.rebuild(synth.archive(n, vocab))
    return built(n, time.perf_counter() - t0, cpu_s() - c0, dir_mb(engine.current_directory))


def _pg_url(schema: str) -> str:
    return f"{PG_URL}?options=-csearch_path%3D{schema}"


def drop_schema(schema: str) -> None:
    """Remove a benchmark's PostgreSQL schema."""
    import sqlalchemy as sa

    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def phase_pg_build(n: int, schema: str) -> dict:
    import sqlalchemy as sa

    from hexaglot.catalog import create_engine, upgrade
    from hexaglot.search.postgres_engine import PostgresEngine

    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    catalogue = create_engine(_pg_url(schema))
    upgrade(catalogue)  # the search tables are the catalogue's (its migrations make them)
    catalogue.dispose()
    engine = PostgresEngine(_pg_url(schema))
    vocab = synth.Vocabulary()
    t0, c0 = time.perf_counter(), cpu_s()
    engine.rebuild(synth.archive(n, vocab))
    took, cpu = time.perf_counter() - t0, cpu_s() - c0
    with admin.connect() as conn:
        size = conn.execute(sa.text(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c JOIN pg_namespace n "
            "ON n.oid = c.relnamespace WHERE n.nspname = :s AND c.relkind = 'r'"),
            {"s": schema}).scalar_one()
    return built(n, took, cpu, int(size) / 2**20)  # cpu: this process only, not the server


def phase_raw_query(path: Path, queries: list[str]) -> dict:
    import tantivy

    schema = raw_schema()
    index = tantivy.Index(schema, path=str(path))
    searcher = index.searcher()
    aggs = {f: {"terms": {"field": f, "size": 50}} for f in FACET_FIELDS}
    ms, cpu = [], []
    for text in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        words = text.lower().split()
        must = [tantivy.Query.term_query(schema, "doc_type", "asset"),
                tantivy.Query.range_query(schema, "visible_from", tantivy.FieldType.Integer,
                                          None, 0)]
        must += [tantivy.Query.term_query(schema, "text", w) for w in words]
        q = tantivy.Query.boolean_query([(tantivy.Occur.Must, m) for m in must])
        res = searcher.search(q, 10, count=True)
        for _score, addr in res.hits:
            searcher.doc(addr)
        searcher.aggregate(q, aggs)
        ms.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return percentiles(ms) | percentiles(cpu, "cpu_")


def _hx_engine(kind: str, where: str):
    if kind == "pg":
        from hexaglot.search.postgres_engine import PostgresEngine

        return PostgresEngine(_pg_url(where))
    from hexaglot.search.tantivy_engine import TantivyEngine

    return TantivyEngine(Path(where) / "search")


def phase_hx_query(kind: str, where: str, queries: list[str]) -> dict:
    """First pass: every query new to the engine (`distinct_queries`); second pass: the
    same queries again, answered from the engine's caches."""
    from hexaglot.search import parse

    engine = _hx_engine(kind, where)
    out: dict[str, float] = {}
    for prefix in ("", "repeat_"):
        ms, cpu, totals, approximate = [], [], [], 0
        for text in queries:
            t0, c0 = time.perf_counter(), time.process_time()
            res = engine.search(parse(text))
            ms.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
            totals.append(res.total)
            approximate += bool(getattr(res, "facets_approximate", False))
        out |= percentiles(ms, prefix) | percentiles(cpu, f"{prefix}cpu_")
        out[f"{prefix}mean_total"] = round(statistics.mean(totals), 1)
        out[f"{prefix}approximate"] = approximate  # queries whose facets were estimated
    return out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def response_ok(response: http.client.HTTPResponse) -> http.client.HTTPResponse:
    """The response, if its status is 200."""
    if response.status != 200:
        raise SystemExit(f"HTTP {response.status}: {response.read()[:300]!r}")
    return response


def http_query(home: Path, queries: list[str], clients: int, workers: int = 1) -> dict:
    """p50/p99 of GET /api/search with `clients` concurrent clients on `hexaglot serve`
    (with `workers` web processes)."""
    import httpx

    port = _free_port()
    env = os.environ | {"HEXAGLOT_HOME": str(home)}
    env.pop("HEXAGLOT_DATABASE_URL", None)
    hx = Path(sys.executable).with_name("hexaglot")
    server = subprocess.Popen([str(hx), "serve", "--port", str(port),
                               "--workers", str(workers)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{base}/api/search?q=warmup", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        out: dict[str, float | str] = {
            "caches": "shared in Redis" if env.get("HEXAGLOT_CACHE_URL") else "per process"}
        for prefix in ("", "repeat_"):  # every query new to the server, then the same again
            ms: list[float] = []
            lock = threading.Lock()

            def client(part: list[str], ms: list[float] = ms, lock=lock) -> None:
                # the standard library's client on a kept-alive connection: the lightest
                # Python client, so the figures are the server's more than the client's
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                try:
                    for text in part:
                        t0 = time.perf_counter()
                        conn.request("GET", "/api/search?" + urlencode({"q": text}))
                        response = response_ok(conn.getresponse())
                        response.read()
                        with lock:
                            ms.append((time.perf_counter() - t0) * 1000)
                finally:
                    conn.close()

            threads = [threading.Thread(target=client, args=(queries[i::clients],))
                       for i in range(clients)]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            wall = time.perf_counter() - t0
            out |= percentiles(ms, prefix) | {f"{prefix}qps": round(len(ms) / wall, 1)}
        return out
    finally:
        server.terminate()
        server.wait(10)


def child(args: list[str]) -> dict:
    """Run one phase in a fresh process and return its JSON figures."""
    out = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"phase {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def distinct_queries(n: int) -> list[str]:
    """`n` two-word queries that also differ once parsed (two spellings with the same stems
    would let the second be answered from the cache of the first)."""
    from hexaglot.domain import Audience
    from hexaglot.search import parse
    from hexaglot.search.cache import page_key

    out: dict[tuple, str] = {}
    for text in synth.Vocabulary().queries(2 * n):
        out.setdefault(page_key(parse(text), Audience.PUBLIC), text)
    if len(out) < n:
        raise SystemExit(f"only {len(out)} distinct queries")
    return list(out.values())[:n]


def run_phase(argv: list[str]) -> None:
    name, rest = argv[0], argv[1:]
    queries = distinct_queries(int(os.environ.get("BENCH_QUERIES", "300")))
    if name == "generate":
        result = phase_generate(int(rest[0]))
    elif name == "raw-build":
        result = phase_raw_build(int(rest[0]), Path(rest[1]))
    elif name == "hx-build":
        result = phase_hx_build(int(rest[0]), Path(rest[1]))
    elif name == "pg-build":
        result = phase_pg_build(int(rest[0]), rest[1])
    elif name == "raw-query":
        result = phase_raw_query(Path(rest[0]), queries)
    elif name == "http":  # http HOME CLIENTS WORKERS: re-measure HTTP on a kept index
        result = http_query(Path(rest[0]), queries, int(rest[1]), int(rest[2]))
    else:  # hx-query KIND WHERE
        result = phase_hx_query(rest[0], rest[1], queries)
    print(json.dumps(result))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--phase":
        run_phase(sys.argv[2:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="asset counts, comma-separated")
    ap.add_argument("--pg-size", type=int, default=100_000, help="0 to skip PostgreSQL")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--workers", type=int, default=2,
                    help="also measure HTTP with `hexaglot serve --workers N` (1: skip)")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--keep", action="store_true", help="keep the indexes")
    ap.add_argument("--no-generate", action="store_true",
                    help="skip timing the generation of the records alone")
    ap.add_argument("--json", action="store_true")
    opts = ap.parse_args()
    os.environ["BENCH_QUERIES"] = str(opts.queries)
    work = opts.workdir or Path(tempfile.mkdtemp(prefix="hx-bench-"))
    queries = distinct_queries(opts.queries)
    report: dict[str, dict] = {}
    sizes = [int(s) for s in opts.sizes.split(",")]
    for n in sizes:
        raw_dir, home = work / f"raw-{n}", work / f"home-{n}"
        home.mkdir(parents=True, exist_ok=True)
        row: dict[str, object] = {
            "generate": {"generate_s": "-"} if opts.no_generate else child(["generate", str(n)])}
        row["raw_build"] = child(["raw-build", str(n), str(raw_dir)])
        row["hx_build"] = child(["hx-build", str(n), str(home)])
        row["raw_query"] = child(["raw-query", str(raw_dir)])
        row["hx_query"] = child(["hx-query", "tantivy", str(home)])
        row["http_query"] = http_query(home, queries, opts.clients)
        if opts.workers > 1:
            row["http_workers_query"] = http_query(home, queries, opts.clients, opts.workers)
        if n == opts.pg_size:
            schema = f"bench_search_{n}"
            row["pg_build"] = child(["pg-build", str(n), schema])
            row["pg_query"] = child(["hx-query", "pg", schema])
            if not opts.keep:
                drop_schema(schema)
        report[str(n)] = row
        print(f"done {n}: {json.dumps(row)}", file=sys.stderr, flush=True)
        if not opts.keep:
            shutil.rmtree(raw_dir, ignore_errors=True)
            shutil.rmtree(home, ignore_errors=True)
    if opts.pg_size and opts.pg_size not in sizes:  # PostgreSQL alone at its own size
        schema = f"bench_search_{opts.pg_size}"
        row = {"pg_build": child(["pg-build", str(opts.pg_size), schema])}
        print(f"built PostgreSQL {opts.pg_size}: {json.dumps(row)}", file=sys.stderr, flush=True)
        row["pg_query"] = child(["hx-query", "pg", schema])
        if not opts.keep:
            drop_schema(schema)
        report[str(opts.pg_size)] = row
    if opts.json:
        print(json.dumps(report, indent=2))
    print_table(report, opts.clients, opts.workers)


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def print_table(report: dict[str, dict], clients: int, workers: int = 1) -> None:
    """The figures as one readable table per size."""
    for n, row in report.items():
        print(f"\n== {int(n):,} assets, {int(n) * 5:,} cues ==")
        if "generate" in row:
            print(f"  generating the records alone: {row['generate']['generate_s']} s")
        for key, label in (("raw_build", "raw Tantivy build"), ("hx_build", "Hexaglot reindex"),
                           ("pg_build", "PostgreSQL engine reindex")):
            if key in row:
                b = row[key]
                print(f"  {label:28} {b['build_s']:>9} s  {b['assets_per_s']:>7} assets/s  "
                      f"{b.get('assets_per_cpu_s', '-'):>7} assets/CPU-s  "
                      f"index {b['index_mb']} MiB  peak {b['peak_mb']} MiB")
        for key, label in (("raw_query", "raw Tantivy query"), ("hx_query", "Hexaglot Python API"),
                           ("http_query", f"HTTP, {clients} clients"),
                           ("http_workers_query", f"HTTP, {clients} cl., {workers} workers"),
                           ("pg_query", "PostgreSQL engine (Python)")):
            if key in row:
                q = row[key]
                cpu = (f"  (CPU p50 {q['cpu_p50_ms']} ms, p99 {q['cpu_p99_ms']} ms)"
                       if "cpu_p50_ms" in q else "")
                print(f"  {label:28} p50 {q['p50_ms']:>8} ms  p99 {q['p99_ms']:>8} ms{cpu}")
                if "repeat_p50_ms" in q:
                    print(f"  {'  same queries again':28} p50 {q['repeat_p50_ms']:>8} ms  "
                          f"p99 {q['repeat_p99_ms']:>8} ms")
        if "pg_query" in row:
            q = row["pg_query"]
            print(f"  PostgreSQL target (issue 17): p50 <= {PG_TARGET[0]} ms, p99 <= "
                  f"{PG_TARGET[1]} ms: {'met' if q['p50_ms'] <= PG_TARGET[0] else 'not met'} / "
                  f"{'met' if q['p99_ms'] <= PG_TARGET[1] else 'not met'}; facets estimated "
                  f"for {q.get('approximate', '-')} of the queries, mean total {q['mean_total']}")
        if "hx_query" not in row:
            continue
        hx, http = row["hx_query"], row["http_query"]
        print(f"  issue 17 targets (new queries, Tantivy): Python API p50 {hx['p50_ms']} ms "
              f"(<= 5: {_met(hx['p50_ms'] <= 5)}), p99 {hx['p99_ms']} ms "
              f"(<= 25: {_met(hx['p99_ms'] <= 25)}); HTTP p99 {http['p99_ms']} ms "
              f"(<= 50: {_met(http['p99_ms'] <= 50)}); raw Tantivy p50 "
              f"{row['raw_query']['p50_ms']} / p99 {row['raw_query']['p99_ms']} ms")
        if "http_workers_query" in row:
            w = row["http_workers_query"]
            print(f"  issue 17 target (repeated queries, {workers} web processes): p99 "
                  f"{w['repeat_p99_ms']} ms (<= 10: {_met(w['repeat_p99_ms'] <= 10)}; caches "
                  f"{w.get('caches', 'per process')}: set HEXAGLOT_CACHE_URL to an empty Redis "
                  "database to share them, as server mode does)")
        ratio = row["hx_query"]["p50_ms"] / max(row["raw_query"]["p50_ms"], 1e-9)
        speed = row["hx_build"]["assets_per_s"] / max(row["raw_build"]["assets_per_s"], 1)
        print(f"  Hexaglot/raw p50 ratio {ratio:.1f}x; reindex speed {speed:.2f} of raw (wall)")
        if "assets_per_cpu_s" in row["hx_build"]:
            cpu_speed = (row["hx_build"]["assets_per_cpu_s"]
                         / max(row["raw_build"]["assets_per_cpu_s"], 1))
            cpu_ratio = row["hx_query"]["cpu_p50_ms"] / max(row["raw_query"]["cpu_p50_ms"], 1e-9)
            print(f"  per CPU second: Hexaglot/raw p50 {cpu_ratio:.1f}x; "
                  f"reindex {cpu_speed:.2f} of raw")
    print("\n== growth (ms, p50 / p99; 'again' = the same queries a second time) ==")
    print(f"  {'assets':>10}  {'raw Tantivy':>15}  {'Python API':>15}  {'again':>13}  "
          f"{'HTTP':>15}  {'HTTP again':>13}  {'mean matches':>12}")
    for n, row in report.items():
        if "hx_query" not in row:
            continue
        raw, hx, http = row["raw_query"], row["hx_query"], row["http_query"]
        print(f"  {int(n):>10,}  {raw['p50_ms']:>7} / {raw['p99_ms']:<7}"
              f"{hx['p50_ms']:>7} / {hx['p99_ms']:<7}"
              f"{hx['repeat_p50_ms']:>6} / {hx['repeat_p99_ms']:<6}"
              f"{http['p50_ms']:>7} / {http['p99_ms']:<7}"
              f"{http['repeat_p50_ms']:>6} / {http['repeat_p99_ms']:<6}"
              f"{hx['mean_total']:>12}")


if __name__ == "__main__":
    main()
