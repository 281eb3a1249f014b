"""Search over HTTP on a real server: /api/search and the /search page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hexaglot.archive import open_archive
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
    assert bad.status_code == 400 and "20x" in bad.json()["error"]


def test_search_page_links_facets_and_moments(server: str) -> None:
    r = httpx.get(f"{server}/search", params={"q": "paix"})
    assert r.status_code == 200
    html = r.text
    assert 'data-asset-id="A-1001"' in html
    assert "<mark>paix</mark>" in html
    assert 'href="/assets/A-1001?t=754&amp;lang=fr"' in html
    assert 'href="/search?q=paix&amp;body=Security+Council"' in html
    narrowed = httpx.get(f"{server}/search", params={"q": "", "body": "General Assembly"}).text
    assert 'data-asset-id="A-1003"' in narrowed and 'data-asset-id="A-1001"' not in narrowed
    assert "Closed consultations" not in httpx.get(f"{server}/search", params={"q": ""}).text
    deep = httpx.get(f"{server}/assets/A-1001", params={"t": "754", "lang": "fr"})
    assert deep.status_code == 200
