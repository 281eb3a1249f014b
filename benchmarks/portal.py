"""Weight and speed of the public pages (issue 13).

Builds an archive (the demo's catalogue pages, the seed page when `../shared` is there, a
generated 12-second meeting with seven audio tracks and French captions on the first
page's asset), starts `hexaglot serve` (one process), then:

- in headless Chromium (Playwright, `/usr/bin/chromium`), the bytes transferred (as sent:
  compressed) until the network is idle, before anyone presses play, for the home page,
  a search page and the asset page (targets: 150 KB, 150 KB, 300 KB);
- with Debian's `wrk`, `GET /assets/{id}` at 50 concurrent connections for `--seconds`
  (target: p99 under 25 ms on one process).

    .venv/bin/python benchmarks/portal.py --seconds 20
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import _free_port, _wrk  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
HX = [sys.executable, "-m", "hexaglot"]
VTT = ("WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nLe Conseil de sécurité se réunit.\n\n"
       "00:00:06.000 --> 00:00:08.500\nLa coopération régionale est essentielle.\n")
TARGETS = {"/": 150, "/search?q=council": 150, "asset": 300}


def _archive(home: Path) -> str:
    env = {**os.environ, "HEXAGLOT_HOME": str(home)}
    seed = ROOT.parent / "shared/seed/catalogue-page-sc8967.txt"
    pages = [seed] if seed.exists() else sorted((ROOT / "src/hexaglot/demo").glob("*.txt"))[:1]
    out = subprocess.run([*HX, "import", "page", str(pages[0])], env=env, check=True,
                         capture_output=True, text=True).stdout
    asset = out.strip().splitlines()[-1].strip()
    others = sorted((ROOT / "src/hexaglot/demo").glob("*.txt"))
    subprocess.run([*HX, "import", "page", *map(str, others)], env=env, check=True,
                   capture_output=True)
    import imageio_ffmpeg

    media = home / "meeting.mkv"
    args = [imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-v", "error", "-f", "lavfi", "-i",
            "testsrc=size=640x360:rate=25:duration=12"]
    maps = ["-map", "0:v"]
    for i, tag in enumerate(("mul", "ara", "zho", "eng", "fra", "rus", "spa"), start=1):
        args += ["-f", "lavfi", "-i", f"sine=frequency={200 + 110 * i}:duration=12"]
        maps += ["-map", f"{i}:a", f"-metadata:s:a:{i - 1}", f"language={tag}"]
    subprocess.run([*args, *maps, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                    str(media)], check=True)
    subprocess.run([*HX, "ingest", str(media), "--asset", asset], env=env, check=True,
                   capture_output=True)
    subprocess.run([*HX, "worker", "--burst"], env=env, check=True, capture_output=True)
    (home / "fr.vtt").write_text(VTT, encoding="utf-8")
    subprocess.run([*HX, "import", "captions", asset, str(home / "fr.vtt"), "--language", "fr"],
                   env=env, check=True, capture_output=True)
    return asset


def _weights(base: str, asset: str) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                     args=["--no-sandbox", "--disable-gpu"])
        try:
            for path in ("/", "/search?q=council", f"/assets/{asset}"):
                ctx = browser.new_context()
                page = ctx.new_page()
                cdp = ctx.new_cdp_session(page)
                cdp.send("Network.enable")
                got: dict[str, float] = {}
                cdp.on("Network.loadingFinished",
                       lambda e, got=got: got.__setitem__(e["requestId"], e["encodedDataLength"]))
                page.goto(base + path, wait_until="networkidle")
                page.wait_for_timeout(1000)
                out[path] = sum(got.values()) / 1024
                ctx.close()
        finally:
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=50)
    opts = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        asset = _archive(home)
        port = _free_port()
        env = {**os.environ, "HEXAGLOT_HOME": str(home)}
        server = subprocess.Popen([*HX, "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(base + "/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.1)
            weights = _weights(base, asset)
            print("page                        KB before play   target")
            for path, kb in weights.items():
                target = TARGETS.get(path, TARGETS["asset"])
                print(f"{path:<28}{kb:>10.1f}   {target:>6}  {'met' if kb < target else 'NOT met'}")
            for _ in range(200):  # warm the page once
                urllib.request.urlopen(f"{base}/assets/{asset}", timeout=5).read()
            res = _wrk(f"{base}/assets/{asset}", opts.connections, opts.seconds, 2)
            print(f"GET /assets/{asset}, wrk -t2 -c{opts.connections} -d{opts.seconds}s: "
                  f"{res['rps']:.0f} requests/s, p50 {res['p50']:.1f} ms, p99 {res['p99']:.1f} ms "
                  f"(target p99 < 25 ms: {'met' if res['p99'] < 25 else 'NOT met'}), "
                  f"non-2xx {res['non2xx']:.0f}; load average {os.getloadavg()[0]:.1f}")
        finally:
            server.terminate()
            server.wait(timeout=20)


if __name__ == "__main__":
    main()
