"""A bounded load against `hexaglot serve` (issue 9): N concurrent connections for S
seconds against an asset page, `/api/search` and `/api/assets`, with wrk (Debian's `wrk`).

Prints, per route, throughput, p50/p99 latency, errors (non-2xx answers, socket errors,
timeouts) and whether the server process is the one that started (no restart, no crash).
The archive: the demo's catalogue pages, the seed page when `../shared` is there, and
`--assets` generated records so that lists and searches have something to do.

    .venv/bin/python benchmarks/load.py --connections 100 --seconds 30
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HX = [sys.executable, "-m", "hexaglot"]


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _archive(home: Path, assets: int) -> str:
    env = {**os.environ, "HEXAGLOT_HOME": str(home)}
    pages = sorted((ROOT / "src/hexaglot/demo").glob("*.txt"))
    seed = ROOT.parent / "shared/seed/catalogue-page-sc8967.txt"
    subprocess.run([*HX, "import", "page", *map(str, pages)], env=env, check=True,
                   capture_output=True)
    if seed.exists():
        subprocess.run([*HX, "import", "page", str(seed)], env=env, check=True,
                       capture_output=True)
    if assets:
        folder = home / "generated"
        folder.mkdir()
        for i in range(assets):
            (folder / f"g{i:05d}.txt").write_text(
                f"Generated meeting {i} on water and peace - Security Council, {7000 + i}th "
                "Meeting\n\nPreview Language:   English\n16-Feb-2022 00:10:00\nDelegates spoke "
                "of water, peace and the council's work.\n\nAvailable Languages: English\n"
                "Other Formats\nCouncil debates water\n\nThe representative of Ghana said the "
                "council must act.\n\nPersonal Subjects\nParent ID\nAsset ID\n",
                encoding="utf-8")
        subprocess.run([*HX, "import", "page", *map(str, sorted(folder.glob("*.txt")))],
                       env=env, check=True, capture_output=True)
    listed = subprocess.run([*HX, "list", "--json", "--limit", "1"], env=env, check=True,
                            capture_output=True, text=True).stdout
    return re.search(r'"asset_id": "([^"]+)"', listed).group(1)  # type: ignore[union-attr]


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def _wrk(url: str, connections: int, seconds: int, threads: int) -> dict[str, float]:
    out = subprocess.run(["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s",
                          "--timeout", "10s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
                       out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
            "requests": float(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
            "p50": _ms(lat["50"]), "p99": _ms(lat["99"]),
            "non2xx": float(non2xx.group(1)) if non2xx else 0.0,
            "socket_errors": float(sum(map(int, errors.groups()))) if errors else 0.0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--connections", type=int, default=100)
    ap.add_argument("--seconds", type=int, default=30)
    ap.add_argument("--threads", type=int, default=2, help="wrk threads")
    ap.add_argument("--workers", type=int, default=1, help="web processes of serve")
    ap.add_argument("--assets", type=int, default=500, help="generated records")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        asset_id = _archive(home, args.assets)
        port = _free_port()
        env = {**os.environ, "HEXAGLOT_HOME": str(home)}
        server = subprocess.Popen([*HX, "serve", "--port", str(port), "--workers",
                                   str(args.workers)], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        routes = {"asset page": f"/assets/{asset_id}", "/api/search": "/api/search?q=water+peace",
                  "/api/assets": "/api/assets?limit=20"}
        print(f"hexaglot serve --workers {args.workers}, wrk -t{args.threads} "
              f"-c{args.connections} -d{args.seconds}s, {args.assets} generated assets")
        print(f"{'route':<14} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
        failures = 0
        for name, path in routes.items():
            r = _wrk(base + path, args.connections, args.seconds, args.threads)
            errors = int(r["non2xx"] + r["socket_errors"])
            failures += errors
            print(f"{name:<14} {r['rps']:>11.0f} {r['p50']:>8.1f} {r['p99']:>8.1f} {errors:>7}"
                  f"   ({int(r['requests'])} requests)")
        alive = server.poll() is None
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
        except OSError:
            alive = False
        server.terminate()
        server.wait(timeout=30)
        print(f"server process {server.pid}: {'alive throughout' if alive else 'DIED'}; "
              f"errors in all: {failures} (target 0)")
        sys.exit(0 if alive and failures == 0 else 1)


if __name__ == "__main__":
    main()
