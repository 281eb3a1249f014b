"""Where a new query's time goes in the Tantivy engine, phase by phase (issue 17, point 4).

    PYTHONPATH=src .venv/bin/python benchmarks/search_profile.py HOME [--queries 300]
        [--cprofile FILE] [--exact-facets S]

HOME is a kept benchmark home (`benchmarks/search.py --phase hx-build N HOME`). Each of
the benchmark's distinct two-word queries is answered once by `TantivyEngine.search`, its
caches emptied first, with a timer around each phase of the answer (`engine.phases`, filled
when `engine.profile` is set): parse, compile, top hits + count, facet rows, facet counting,
stored documents, snippets, moments, assembly. Prints per phase the p50, p99 and mean of
CPU and wall milliseconds, and the load average at start and end; `--cprofile` also writes
a cProfile of the whole run.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from search import distinct_queries  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("home", type=Path)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--cprofile", type=Path, default=None)
    ap.add_argument("--exact-facets", type=int, default=None,
                    help="the engine's exact_facets (S; default: EXACT_FACETS)")
    opts = ap.parse_args()

    from hexaglot.search import parse
    from hexaglot.search.tantivy_engine import TantivyEngine

    queries = distinct_queries(opts.queries)
    engine = (TantivyEngine(opts.home / "search") if opts.exact_facets is None
              else TantivyEngine(opts.home / "search", exact_facets=opts.exact_facets))
    engine.count()  # open the index and its ordinals before timing
    engine.profile = True
    load0 = Path("/proc/loadavg").read_text().split()[:3]
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    totals = []
    prof = cProfile.Profile() if opts.cprofile else None
    for text in queries:
        engine.phases.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        if prof:
            prof.enable()
        q = parse(text)
        t1, c1 = time.perf_counter(), time.process_time()
        res = engine.search(q)
        if prof:
            prof.disable()
        t2, c2 = time.perf_counter(), time.process_time()
        totals.append(res.total)
        wall.setdefault("parse", []).append((t1 - t0) * 1000)
        cpu.setdefault("parse", []).append((c1 - c0) * 1000)
        for name, (w, c) in engine.phases.items():
            wall.setdefault(name, []).append(w * 1000)
            cpu.setdefault(name, []).append(c * 1000)
        wall.setdefault("TOTAL", []).append((t2 - t0) * 1000)
        cpu.setdefault("TOTAL", []).append((c2 - c0) * 1000)
    load1 = Path("/proc/loadavg").read_text().split()[:3]
    n = len(queries)
    print(f"{n} new queries on {opts.home} (mean matches {statistics.mean(totals):.0f}); "
          f"load {' '.join(load0)} -> {' '.join(load1)}; pid {os.getpid()}")
    print(f"  {'phase':14} {'CPU p50':>8} {'CPU p99':>8} {'CPU mean':>9}   "
          f"{'wall p50':>8} {'wall p99':>8} {'wall mean':>9}")
    for name in wall:
        w, c = wall[name], cpu[name]
        w += [0.0] * (n - len(w))  # a phase some queries skip counts 0 for them
        c += [0.0] * (n - len(c))
        qw, qc = (statistics.quantiles(x, n=100, method="inclusive")[98] for x in (w, c))
        print(f"  {name:14} {statistics.median(c):8.3f} {qc:8.3f} {statistics.mean(c):9.3f}   "
              f"{statistics.median(w):8.3f} {qw:8.3f} {statistics.mean(w):9.3f}")
    if prof:
        prof.dump_stats(opts.cprofile)


if __name__ == "__main__":
    main()
