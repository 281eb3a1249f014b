"""Search over HTTP on a real server: /api/search and the /search page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hexaglot.app.archive import open_archive
from hexaglot.web.app import create_app
from tests.live_server import serving
from tests.search_data import french_cues, meeting_asset, other_assets, restricted_assets


@pytest.fixture
def server(home: Path) -> Iterator[str]:
    archive = open_archive()
    for asset in [meeting_asset(), *other_assets(), *restricted_assets()]:
        archive.catalog.save(asset)
    archive.catalog.add_segments("A-1001", french_cues())
    if archive.settings.is_server_mode:  # no worker in this test: catch up by hand
        from hexaglot.search.sync import drain

        drain(archive.catalog, archive.search)
    with serving(create_app(archive)) as base:
        yield base
    archive.close()


def test_api_search_returns_hits_facets_total_time(server: str) -> None:
    r = httpx.get(f"{server}/api/search", params={"q": "Kazakhstan soldats"})
    assert r.status_code == 200
    data = r.json()
    assert [h["asset_id"] for h in data["hits"]] == ["A-1001"]
    assert data["total"] == 1 and data["took_ms"] > 0
    assert data["hits"][0]["moments"][0]["link"] == "/assets/A-1001?t=754&lang=fr"
    assert {f["value"] for f in data["facets"]["body"]} == {"Security Council"}
    everything = httpx.get(f"{server}/api/search", params={"q": ""}).json()
    assert everything["total"] == 3  # the restricted and embargoed assets are not counted
    bodies = {f["value"] for f in everything["facets"]["body"]}
    assert bodies == {"Security Council", "General Assembly"}
    filtered = httpx.get(f"{server}/api/search", params={"q": "", "year": "2021"}).json()
    assert [h["asset_id"] for h in filtered["hits"]] == ["A-1002"]
    bad = httpx.get(f"{server}/api/search", params={"q": "date:20x"})
    assert bad.status_code == 400 and "20x" in bad.json()["error"]["message"]


def test_search_page_links_facets_and_moments(server: str) -> None:
    r = httpx.get(f"{server}/search", params={"q": "paix"})
    assert r.status_code == 200
    html = r.text
    assert 'data-asset-id="A-1001"' in html
    assert "<mark>paix</mark>" in html
    assert 'href="/assets/A-1001?t=754&amp;lang=fr&amp;hl=en"' in html  # keeps the language
    assert 'href="/search?q=paix&amp;body=Security+Council"' in html
    narrowed = httpx.get(f"{server}/search", params={"q": "", "body": "General Assembly"}).text
    assert 'data-asset-id="A-1003"' in narrowed and 'data-asset-id="A-1001"' not in narrowed
    assert "Closed consultations" not in httpx.get(f"{server}/search", params={"q": ""}).text
    deep = httpx.get(f"{server}/assets/A-1001", params={"t": "754", "lang": "fr"})
    assert deep.status_code == 200


def test_serve_with_two_workers_answers_searches(sqlite_home: Path) -> None:
    """`hexaglot serve --workers 2`: two web processes over one embedded archive."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.live_server import free_port

    archive = open_archive()
    for asset in [meeting_asset(), *other_assets()]:
        archive.catalog.save(asset)  # not indexed yet: the workers catch up on the outbox
    archive.close()
    port = free_port()
    hx = Path(sys.executable).with_name("hexaglot")
    proc = subprocess.Popen([str(hx), "serve", "--port", str(port), "--workers", "2"],
                            env=os.environ.copy(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline, data = time.monotonic() + 60, None
        while data is None and time.monotonic() < deadline:
            try:
                data = httpx.get(f"http://127.0.0.1:{port}/api/search",
                                 params={"q": "Kazakhstan"}, timeout=10).json()
            except httpx.HTTPError:
                assert proc.poll() is None, proc.stderr.read().decode()  # type: ignore[union-attr]
                time.sleep(0.2)
        assert data is not None and [h["asset_id"] for h in data["hits"]] == ["A-1001"]
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(20)
