"""The web pages and JSON API over a real HTTP server, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from hexaglot.app.archive import open_archive
from hexaglot.app.importing import import_pages
from hexaglot.domain import Asset, Format
from hexaglot.web.app import create_app

from .live_server import serving

PAGES = Path(__file__).parent / "fixtures" / "pages"


@pytest.fixture
def site(home: Path) -> Iterator[tuple[httpx.Client, str]]:
    archive = open_archive()
    meeting = import_pages(archive, [PAGES / "sc-meeting.txt"])[0]
    catalog = archive.catalog
    catalog.replace_formats(meeting.asset_id, {"mp4"}, [
        Format(rendition="mp4", language="fr", media_type="video/mp4", size=1234, url="/media/x.mp4")])
    catalog.save(Asset(asset_id="CLIP1", parent_id=meeting.asset_id, title="Ecuador statement",
                       duration_seconds=450))
    catalog.save(Asset(asset_id="SECRET", title="Closed consultations", access="restricted"))
    archive.changed()  # the writes above bypass the use cases: bring the index in step
    with serving(create_app(archive)) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client, meeting.asset_id
    archive.close()


def test_asset_page_shows_fields_in_catalogue_order(site: tuple[httpx.Client, str]) -> None:
    client, asset_id = site
    page = client.get(f"/assets/{asset_id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    html = page.text[page.text.index("<article"):]
    order = ["9512th Meeting", "December 5, 2023", "01:46:09", "Terrorist groups exploit",
             "Available languages", "Arabic", "Spanish", "Preview language",
             "Six Official", "Other Formats", "Video (MP4)",
             "Counter-Terrorism Head Urges", "Record symbol", f"<bdi>{asset_id}</bdi>"]
    positions = [html.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions, strict=True) if p == -1]
    assert positions == sorted(positions), str(list(zip(order, positions, strict=True)))[-400:]
    for fact in ("S/PV.9512", "15:05", "16:51", "Ecuador statement", "/assets/CLIP1"):
        assert fact in html


def test_clip_page_links_its_parent(site: tuple[httpx.Client, str]) -> None:
    client, asset_id = site
    html = client.get("/assets/CLIP1").text
    assert f'href="/assets/{asset_id}' in html and "00:07:30" in html


def test_api_returns_the_record(site: tuple[httpx.Client, str]) -> None:
    client, asset_id = site
    record = client.get(f"/api/assets/{asset_id}").json()
    stored = open_archive().catalog.get(asset_id)
    assert record == stored.model_dump(mode="json")
    assert record["children"] == ["CLIP1"]


def test_unknown_and_restricted_ids_are_404(site: tuple[httpx.Client, str]) -> None:
    client, _ = site
    for path in ("/assets/999999", "/assets/SECRET"):
        r = client.get(path)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"]
    for path in ("/api/assets/999999", "/api/assets/SECRET"):
        r = client.get(path)
        asset_id = path.rsplit("/", 1)[1]
        assert r.status_code == 404
        assert r.json() == {"error": {"code": "not_found",
                                      "message": f"no asset with id {asset_id!r}"}}


def test_list_is_paginated_and_public_only(site: tuple[httpx.Client, str]) -> None:
    client, asset_id = site
    first = client.get("/api/assets", params={"limit": 1}).json()
    second = client.get("/api/assets", params={"limit": 1, "offset": 1}).json()
    assert first["total"] == 2
    ids = [first["assets"][0]["asset_id"], second["assets"][0]["asset_id"]]
    assert sorted(ids) == sorted([asset_id, "CLIP1"])
    assert client.get("/api/assets", params={"limit": 0}).status_code == 422
    home_page = client.get("/").text
    assert "Closed consultations" not in home_page and "Ecuador statement" in home_page


def test_openapi_and_docs(site: tuple[httpx.Client, str]) -> None:
    client, _ = site
    spec = client.get("/openapi.json").json()
    assert "/api/assets/{asset_id}" in spec["paths"] and "/api/assets" in spec["paths"]
    assert client.get("/docs").status_code == 200


def test_interface_speaks_six_languages(site: tuple[httpx.Client, str]) -> None:
    client, asset_id = site
    arabic = client.get(f"/assets/{asset_id}", params={"hl": "ar"}).text
    assert 'dir="rtl"' in arabic and "اللغات المتاحة" in arabic
    assert client.get("/", headers={"accept-language": "fr"}).text.startswith(
        '<!doctype html>\n<html lang="ar"')  # the choice is kept in a cookie
    client.cookies.clear()
    french = client.get(f"/assets/{asset_id}", headers={"accept-language": "fr-CH, en;q=0.5"}).text
    assert 'lang="fr"' in french and "Langues disponibles" in french


def test_patch_needs_a_cataloguer(site: tuple[httpx.Client, str]) -> None:
    client, asset_id = site
    r = client.patch(f"/api/assets/{asset_id}", json={"title": "x"})
    assert r.status_code == 401 and "API token" in r.json()["error"]["message"]


@pytest.fixture
def editor_site(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[httpx.Client, str]]:
    monkeypatch.setenv("HEXAGLOT_EDITOR_TOKEN", "s3cret")
    archive = open_archive()
    asset = import_pages(archive, [PAGES / "sc-meeting.txt"])[0]
    with serving(create_app(archive)) as base, httpx.Client(base_url=base, timeout=10) as client:
        yield client, asset.asset_id
    archive.close()


def test_patch_edits_and_confirms(editor_site: tuple[httpx.Client, str]) -> None:
    client, asset_id = editor_site
    url = f"/api/assets/{asset_id}"
    assert client.patch(url, json={"title": "x"}, headers={"Authorization": "Bearer nope"}).status_code == 401
    auth = {"Authorization": "Bearer s3cret"}
    before = client.get(url).json()
    assert before["speakers"] and before["speakers"][0]["status"] == "suggested"
    r = client.patch(url, headers=auth, json={
        "title": "Renamed meeting", "speakers": [{"number": 1, "name": "María Cruz"}],
        "add_subjects": ["topical:sanctions"]})
    assert r.status_code == 200, r.text
    record = r.json()
    assert record["title"] == "Renamed meeting"
    assert record["speakers"][0] | {"name": "María Cruz", "status": "confirmed"} == record["speakers"][0]
    assert any(s["status"] == "confirmed" for s in record["subjects"]["topical"])
    assert client.get(url).json() == record
    bad = client.patch(url, headers=auth, json={"speakers": [{"number": 99, "name": "x"}]})
    assert bad.status_code == 409 and "no speaker 99" in bad.json()["error"]["message"]
    assert client.patch(url, headers=auth, json={"access": "secret"}).status_code == 422
    assert client.patch(url, headers=auth, json={"colour": "red"}).status_code == 422
    assert client.get(url).json() == record
