"""Benchmark: the workspace's resumable upload (tus 1.0) over loopback beside a plain `cp`.

Generates a real recording of about `--megabytes` (default 2048: uncompressed 720p video
and one audio track in Matroska, so that it probes and ingests like a master), then:
  (a) `cp` of the file into the same file system (after a read that warms the page cache);
  (b) the upload through the tus routes of a real `uvicorn` serving Hexaglot (its own
      process, no worker): creation, then PATCH requests of `--chunk-mb` each sent with
      `sendfile`, all but the last byte first (the transfer alone: the bytes written under
      the upload and hashed as they arrive), then the last byte (the ingest: probe, the
      blob store's copy with its own SHA-256, the catalogue, the derive job queued).
Prints the throughput of each in MB/s, the ratio (b transfer / a; target >= 0.5) and the
server's peak resident memory (VmHWM of its process; target < 200 MB) beside the file's
size. The request is authenticated with a cataloguer's API token (no CSRF for tokens).

    .venv/bin/python benchmarks/upload.py [--megabytes 2048] [--chunk-mb 64] [--keep]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import http.client
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import imageio_ffmpeg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from hexaglot.app.accounts import add_user, create_token  # noqa: E402
from hexaglot.app.archive import Archive  # noqa: E402
from hexaglot.config import Settings  # noqa: E402

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()
FRAME = 1280 * 720 * 3 // 2  # bytes of one yuv420p frame


def make_recording(path: Path, megabytes: int) -> None:
    frames = max(25, megabytes * 1_000_000 // FRAME)
    seconds = frames / 25
    subprocess.run([FFMPEG, "-y", "-v", "error", "-f", "lavfi", "-i",
                    f"testsrc=size=1280x720:rate=25:duration={seconds}", "-f", "lavfi", "-i",
                    f"sine=frequency=440:duration={seconds}", "-map", "0:v", "-map", "1:a",
                    "-metadata:s:a:0", "language=eng", "-c:v", "rawvideo", "-pix_fmt",
                    "yuv420p", "-c:a", "pcm_s16le", str(path)], check=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def patch(port: int, path: str, token: str, f: object, offset: int, count: int) -> int:
    """One PATCH of `count` bytes of the file from `offset`, sent with sendfile."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    conn.putrequest("PATCH", path)
    for k, v in {"Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0",
                 "Upload-Offset": str(offset), "Content-Length": str(count),
                 "Content-Type": "application/offset+octet-stream"}.items():
        conn.putheader(k, v)
    conn.endheaders()
    assert conn.sock is not None
    sent = 0
    while sent < count:
        sent += conn.sock.sendfile(f, offset + sent, count - sent)  # type: ignore[arg-type]
    r = conn.getresponse()
    body = r.read()
    conn.close()
    if r.status != 204:
        raise SystemExit(f"PATCH at {offset} -> {r.status} {body[:300]!r}")
    return int(r.getheader("Upload-Offset") or -1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--megabytes", type=int, default=2048)
    ap.add_argument("--chunk-mb", type=int, default=64)
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="hx-upload-bench-"))
    try:
        src = work / "master.mkv"
        t0 = time.perf_counter()
        make_recording(src, args.megabytes)
        size = src.stat().st_size
        print(f"recording: {size / 1e6:.0f} MB ({time.perf_counter() - t0:.1f} s to make)")
        with src.open("rb") as f:  # warm the page cache for both runs, and the SHA-256
            h = hashlib.sha256()
            while chunk := f.read(8 << 20):
                h.update(chunk)
        sha = h.hexdigest()

        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(["cp", str(src), str(work / "copy.mkv")], check=True)
        cp_s = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cp_cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        fd = os.open(work / "copy.mkv", os.O_RDONLY)
        os.fsync(fd)  # the upload makes its bytes durable; cp + fsync is the like for like
        os.close(fd)
        cp_sync_s = time.perf_counter() - t0
        (work / "copy.mkv").unlink()
        print(f"(a) cp:     {size / 1e6 / cp_s:8.1f} MB/s  ({cp_s:.2f} s, {cp_cpu:.2f} CPU s; "
              f"with an fsync of the copy {size / 1e6 / cp_sync_s:.1f} MB/s)")

        home = work / "home"
        env = {**os.environ, "HEXAGLOT_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
        for k in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL", "HEXAGLOT_STORAGE_URL"):
            env.pop(k, None)
        with Archive(Settings(home=home)) as archive:
            add_user(archive, "bench@example.org", "Bench-Pass-2026-x", "cataloguer")
            token = create_token(archive, "bench@example.org", "bench", "write")[1]
        port = free_port()
        server = subprocess.Popen([sys.executable, "-c", (
            "import uvicorn; from hexaglot.web.app import create_app; "
            f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, log_level='warning')")],
            env=env)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("the server did not start") from None
                    time.sleep(0.2)
            idle = peak_rss_mb(server.pid)
            meta = "filename " + base64.b64encode(b"master.mkv").decode() + ",sha256 " + \
                base64.b64encode(sha.encode()).decode()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("POST", "/workspace/uploads", headers={
                "Authorization": f"Bearer {token}", "Tus-Resumable": "1.0.0",
                "Upload-Length": str(size), "Upload-Metadata": meta, "Content-Length": "0"})
            r = conn.getresponse()
            r.read()
            if r.status != 201:
                raise SystemExit(f"creation -> {r.status}")
            where = r.getheader("Location") or ""
            chunk = args.chunk_mb << 20
            with src.open("rb") as f:
                cpu0 = cpu_s(server.pid)
                t0 = time.perf_counter()
                offset = 0
                while offset < size - 1:
                    offset = patch(port, where, token, f, offset, min(chunk, size - 1 - offset))
                transfer_s = time.perf_counter() - t0
                transfer_cpu = cpu_s(server.pid) - cpu0
                t1 = time.perf_counter()
                patch(port, where, token, f, offset, 1)
                ingest_s = time.perf_counter() - t1
            peak = peak_rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
        with Archive(Settings(home=home)) as archive:
            stored = [a for a in archive.catalog.list(limit=5)
                      if (m := archive.catalog.master(a.asset_id)) and m.sha256 == sha]
        assert stored, "the upload did not end as an ingested master"
        print(f"(b) upload: {size / 1e6 / transfer_s:8.1f} MB/s  ({transfer_s:.2f} s: the bytes "
              f"received, written and hashed, {args.chunk_mb} MB pieces; the server "
              f"{transfer_cpu:.2f} CPU s, {size / 1e6 / transfer_cpu:.0f} MB per CPU s)")
        print(f"    ingest of the finished upload: {ingest_s:.2f} s (probe, blob store copy "
              f"with its SHA-256, catalogue); end to end {size / 1e6 / (transfer_s + ingest_s):.1f}"
              " MB/s")
        print(f"ratio upload / cp: {cp_s / transfer_s:.2f} (target >= 0.5); upload / cp + "
              f"fsync: {cp_sync_s / transfer_s:.2f}; load average "
              f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"server peak memory (VmHWM): {peak:.0f} MB (idle {idle:.0f} MB; target < 200 MB)"
              f" for a {size / 1e6:.0f} MB file")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
