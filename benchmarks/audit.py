"""Benchmark: the fixity audit's read throughput beside `sha256sum` of the same files.

Builds an embedded archive whose blob store holds a realistic mix (default 512 MB): a few
large masters and many small HLS-segment-sized rendition files, registered in the
catalogue like real ones (random bytes, so nothing compresses). Then, in the same run,
alternating `--repeat` times:
  (a) `sha256sum` over every blob file (one process, the files as arguments);
  (b) `hexaglot audit --all` in this process: planning, reading every blob through the
      blob store, hashing, committing findings and events in batches.
Both read the page cache after a first warm-up pass (a cold disk would time the disk).
Prints MB/s for each run, the best of each, and the ratio b/a (target >= 0.8).

    .venv/bin/python benchmarks/audit.py [--megabytes 512] [--masters 2] [--segment-kb 512]
                                         [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from hexaglot.app.archive import Archive  # noqa: E402
from hexaglot.app.auditing import audit  # noqa: E402
from hexaglot.config import Settings  # noqa: E402
from hexaglot.domain import Asset, Format, Master, RenditionFile  # noqa: E402

CHUNK = 1 << 20


def _blob(archive: Archive, size: int) -> tuple[str, int]:
    """A blob of `size` random bytes, written straight into the store."""
    with tempfile.TemporaryFile() as fh:
        left = size
        while left:
            n = min(CHUNK, left)
            fh.write(os.urandom(n))
            left -= n
        fh.seek(0)
        blob = archive.blobs.put(fh)  # type: ignore[arg-type]
    return blob.sha256, blob.size


def build(archive: Archive, megabytes: int, masters: int, segment_kb: int) -> list[Path]:
    """Masters taking half the bytes, segments the other half; their blob files."""
    total = megabytes * 1_000_000
    master_size = total // 2 // masters
    segments = max(1, total // 2 // (segment_kb * 1000) // masters)
    paths = []
    for m in range(masters):
        asset_id = f"{1_000_001 + m}"
        sha, size = _blob(archive, master_size)
        files = []
        for i in range(segments):
            s, n = _blob(archive, segment_kb * 1000)
            files.append(RenditionFile(rendition="hls", path=f"job/hls/seg{i:05d}.m4s",
                                       media_type="video/iso.segment", sha256=s, size=n))
        with archive.catalog.transaction() as tx:
            tx.save(Asset(asset_id=asset_id, title=f"Benchmark meeting {m + 1}"))
            tx.save_master(Master(asset_id=asset_id, sha256=sha, tracks={"original": 1},
                                  height=360, duration=60.0))
            tx.replace_formats(asset_id, {"master", "hls"}, [
                Format(rendition="master", media_type="video/x-matroska", size=size, sha256=sha),
                Format(rendition="hls", media_type="application/vnd.apple.mpegurl",
                       sha256=files[0].sha256)], files)
        paths += [archive.blobs.path(sha)] + [archive.blobs.path(f.sha256) for f in files]  # type: ignore[attr-defined]
    return paths


def sha256sum(paths: list[Path]) -> float:
    start = time.perf_counter()
    subprocess.run(["sha256sum", *map(str, paths)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def hexaglot_audit(archive: Archive) -> tuple[float, int]:
    start = time.perf_counter()
    report = audit(archive, "all")
    took = time.perf_counter() - start
    if not report.ok or report.run.failures:
        raise SystemExit("the audit found failures in freshly written blobs")
    return took, report.run.blobs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=int, default=512)
    ap.add_argument("--masters", type=int, default=2)
    ap.add_argument("--segment-kb", type=int, default=512)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="hexaglot-audit-bench-") as tmp:
        archive = Archive(Settings(home=Path(tmp) / "home", database_url=None,
                                   storage_url=None, replica_url=None, audit_max_rate=None))
        began = time.perf_counter()
        paths = build(archive, args.megabytes, args.masters, args.segment_kb)
        size = sum(p.stat().st_size for p in paths)
        print(f"archive: {len(paths)} blobs, {size / 1e6:.0f} MB "
              f"(built in {time.perf_counter() - began:.1f} s)")
        sha256sum(paths)  # warm-up: both read the page cache from here on
        best_a = best_b = float("inf")
        for i in range(args.repeat):
            a = sha256sum(paths)
            b, n = hexaglot_audit(archive)
            assert n == len(set(paths))
            best_a, best_b = min(best_a, a), min(best_b, b)
            print(f"run {i + 1}: sha256sum {size / 1e6 / a:7.1f} MB/s ({a:.2f} s)   "
                  f"hexaglot audit --all {size / 1e6 / b:7.1f} MB/s ({b:.2f} s)")
        ratio = best_a / best_b
        print(f"best: sha256sum {size / 1e6 / best_a:.1f} MB/s, audit {size / 1e6 / best_b:.1f} "
              f"MB/s; audit / sha256sum = {ratio:.2f} (target >= 0.8: "
              f"{'met' if ratio >= 0.8 else 'NOT met'})")
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        archive.close()


if __name__ == "__main__":
    main()
