"""Exports of a real archive over HTTP (generated media, derived renditions, imported
captions, an ffmpeg clip): every IIIF manifest valid against the IIIF Presentation 3
schema and loaded back in iiif-prezi3, every MARCXML read by pymarc and every binary MARC
round-tripped, every PBCore valid against the XSD, JSON-LD expanded with PyLD, Dublin
Core; a non-public asset 404 on every route; the preservation log for staff only; and a
BagIt round trip between two archives with the `hexaglot` command."""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import shutil
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import bagit
import httpx
import iiif_prezi3
import jsonschema
import pymarc
import pytest
from lxml import etree
from pyld import jsonld

from hexaglot.app.archive import Archive
from hexaglot.web.app import create_app

from .conftest import SHARED
from .interop_archive import HIDDEN, MEETING, TOKEN, Built, build, copy_of, open_built
from .live_server import serving
from .media_helpers import hexaglot

SCHEMA = json.loads((SHARED / "schemas" / "iiif-presentation-3.json").read_text())
PBCORE = etree.XMLSchema(etree.parse(str(SHARED / "schemas" / "pbcore-2.1.xsd")))
SIX = {"ar", "zh", "en", "fr", "ru", "es"}
EXPORTS = (".json", ".dc.xml", ".marcxml", ".mrc", ".pbcore.xml", ".jsonld")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return build(tmp_path_factory.mktemp("interop"))


@pytest.fixture(scope="module")
def site(built: Built) -> Iterator[tuple[httpx.Client, Archive]]:
    with pytest.MonkeyPatch.context() as env:
        archive = open_built(env, built)
        with serving(create_app(archive)) as base, \
                httpx.Client(base_url=base, timeout=20) as client:
            yield client, archive
        archive.close()


def _validate(doc: dict[str, Any], cls: str) -> None:
    schema = copy.deepcopy(SCHEMA)
    schema["oneOf"] = [{"$ref": f"#/classes/{cls}"}]
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(doc))
    assert not errors, jsonschema.exceptions.best_match(errors)


def _walk(x: Any) -> Iterator[dict[str, Any]]:
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from _walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from _walk(v)


def _public(client: httpx.Client) -> list[str]:
    return [a["asset_id"] for a in client.get("/api/assets", params={"limit": 200}).json()["assets"]]


def test_every_iiif_manifest_is_valid_and_loads_back(site: tuple[httpx.Client, Archive],
                                                     built: Built) -> None:
    client, _ = site
    ids = _public(client)
    assert MEETING in ids and built.clip in ids and HIDDEN not in ids
    for asset_id in ids:
        r = client.get(f"/iiif/{asset_id}/manifest.json")
        assert r.status_code == 200, (asset_id, r.text[:200])
        assert r.headers["access-control-allow-origin"] == "*"
        m = r.json()
        _validate(m, "manifest")
        assert iiif_prezi3.Manifest(**m).id == m["id"]
    m = client.get(f"/iiif/{MEETING}/manifest.json").json()
    objs = list(_walk(m))
    sounds = [o for o in objs if o.get("type") == "Choice"
              and sum(x.get("type") == "Sound" for x in o["items"]) == 7]
    assert sounds and all(set(x["label"]) >= SIX for x in sounds[0]["items"])
    vtt = [o for o in objs if o.get("motivation") == "supplementing"]
    assert [o["body"]["language"] for o in vtt] == ["fr"]
    assert client.get(vtt[0]["body"]["id"].removeprefix(str(client.base_url).rstrip("/"))
                      ).text.startswith("WEBVTT")
    ranges = [o for o in objs if o.get("type") == "Range"]
    assert any("Statement by France" in json.dumps(r.get("label")) for r in ranges)
    also = [x["id"] for x in m["seeAlso"]]
    for url in also:
        assert client.get(url.removeprefix(str(client.base_url).rstrip("/"))).status_code == 200


def test_the_collection_of_a_series_and_year(site: tuple[httpx.Client, Archive]) -> None:
    client, _ = site
    c = client.get("/iiif/collections/security-council/2024.json")
    assert c.status_code == 200
    doc = c.json()
    _validate(doc, "collection")
    assert [x["id"].rsplit("/", 2)[-2] for x in doc["items"]] == [MEETING]  # meetings only
    assert client.get("/iiif/collections/trusteeship-council/2024.json").status_code == 404


def test_every_marc_pbcore_dc_and_json_ld_export(site: tuple[httpx.Client, Archive]) -> None:
    client, _ = site
    loader = lambda url, options=None: {  # noqa: E731 - schema.org's context, offline
        "contextUrl": None, "documentUrl": url,
        "document": {"@context": {"@vocab": "https://schema.org/"}}}
    for asset_id in _public(client):
        xml = client.get(f"/assets/{asset_id}.marcxml")
        recs = pymarc.parse_xml_to_array(io.BytesIO(xml.content))
        assert len(recs) == 1 and recs[0].get_fields("245") and recs[0].get_fields("024")
        raw = client.get(f"/assets/{asset_id}.mrc").content
        back = next(iter(pymarc.MARCReader(raw, to_unicode=True, force_utf8=True)))
        assert back.as_marc() == raw and back["245"].value() == recs[0]["245"].value()
        pb = client.get(f"/assets/{asset_id}.pbcore.xml")
        assert PBCORE.validate(etree.fromstring(pb.content).getroottree()), \
            PBCORE.error_log.last_error
        dc = etree.fromstring(client.get(f"/assets/{asset_id}.dc.xml").content)
        assert dc.findtext("{http://purl.org/dc/elements/1.1/}title")
        doc = client.get(f"/assets/{asset_id}.jsonld").json()
        expanded = jsonld.expand(doc, {"documentLoader": loader})
        assert "https://schema.org/VideoObject" in expanded[0]["@type"]
        assert client.get(f"/assets/{asset_id}.json").json()["asset_id"] == asset_id
    text = client.get(f"/assets/{MEETING}.pbcore.xml").text
    record = client.get(f"/api/assets/{MEETING}").json()
    assert all(f["sha256"] in text for f in record["formats"] if f["sha256"])
    assert any(f["rendition"] == "transcript" and f["language"] == "fr" for f in record["formats"])


def test_a_non_public_asset_is_absent_everywhere(site: tuple[httpx.Client, Archive]) -> None:
    client, _ = site
    for path in [f"/assets/{HIDDEN}{x}" for x in EXPORTS] + [f"/iiif/{HIDDEN}/manifest.json"]:
        for headers in ({}, {"Authorization": f"Bearer {TOKEN}"}):  # staff too: public only
            r = client.get(path, headers=headers)
            assert r.status_code == 404, (path, r.status_code)
    assert client.get(f"/assets/{HIDDEN}", headers={"Authorization": f"Bearer {TOKEN}"}
                      ).status_code == 200  # the page itself still serves staff
    assert client.get(f"/assets/{MEETING}").headers["content-type"].startswith("text/html")
    assert client.get(f"/assets/{MEETING}.nonesuch").status_code == 404
    assert client.get("/assets/2100001.x.json").json()["error"]["code"] == "not_found"


def test_the_preservation_log_is_for_staff(site: tuple[httpx.Client, Archive]) -> None:
    client, _ = site
    r = client.get(f"/api/assets/{MEETING}/events")
    assert r.status_code == 401 and r.json()["error"]["code"] == "unauthorized"
    staff = {"Authorization": f"Bearer {TOKEN}"}
    events = client.get(f"/api/assets/{MEETING}/events", headers=staff).json()["events"]
    kinds = [e["event_type"] for e in events]
    assert kinds[:2] == ["ingestion", "replication"] and "derivation" in kinds
    assert all(datetime.fromisoformat(e["date"]).utcoffset() == timedelta(0)
               and e["agent"].startswith("hexaglot ") for e in events)
    assert client.get(f"/api/assets/{HIDDEN}/events", headers=staff).json()["events"] == []
    assert client.get("/api/assets/9999999/events", headers=staff).status_code == 404
    page = client.get(f"/assets/{MEETING}", headers=staff).text
    assert 'class="preservation"' in page and "ingestion" in page
    assert 'class="preservation"' not in client.get(f"/assets/{MEETING}").text


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_bag_round_trip_between_two_archives(built: Built, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    own = copy_of(built, tmp_path / "a")
    open_built(monkeypatch, own).close()
    bag = tmp_path / "bag"
    done = hexaglot("export", "bag", MEETING, "--out", str(bag))
    assert done.returncode == 0, done.stderr
    assert bagit.Bag(str(bag)).is_valid() and bagit.Bag(str(bag)).version_info == (1, 0)
    record = json.loads(hexaglot("show", MEETING, "--json").stdout)
    payload = {_sha(p) for p in (bag / "data" / "files").rglob("*") if p.is_file()}
    assert {f["sha256"] for f in record["formats"] if f["sha256"]} <= payload
    monkeypatch.setenv("HEXAGLOT_HOME", str(tmp_path / "b"))
    monkeypatch.delenv("HEXAGLOT_REPLICA_URL")
    into = hexaglot("import", "bag", str(bag))
    assert into.returncode == 0 and into.stdout.strip() == MEETING, into.stderr
    again = json.loads(hexaglot("show", MEETING, "--json").stdout)
    for key in ("title", "description", "speakers", "subjects", "formats", "access", "meeting"):
        assert again[key] == record[key], key
    events = [e["event_type"] for e in _events(tmp_path / "b")]
    assert events[0] == "ingestion" and events[-2:] == ["export", "import"]
    twice = hexaglot("import", "bag", str(bag))
    assert twice.returncode == 2 and "already in this archive" in twice.stderr


def _events(home: Path) -> list[dict[str, Any]]:
    from hexaglot.app.archive import open_archive

    archive = open_archive()
    try:
        assert str(archive.settings.resolved_home) == str(home.resolve())
        return [e.model_dump(mode="json") for e in archive.events.events(MEETING)]
    finally:
        archive.close()


def test_a_bag_with_a_changed_byte_stores_nothing(built: Built, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    own = copy_of(built, tmp_path / "a")
    open_built(monkeypatch, own).close()
    bag = tmp_path / "bag"
    assert hexaglot("export", "bag", MEETING, "--out", str(bag)).returncode == 0
    vtt = bag / "data" / "files" / "transcripts" / "fr.vtt"
    os.chmod(vtt, 0o644)
    data = bytearray(vtt.read_bytes())
    data[len(data) // 2] ^= 0x01
    vtt.write_bytes(bytes(data))
    monkeypatch.setenv("HEXAGLOT_HOME", str(tmp_path / "b"))
    monkeypatch.delenv("HEXAGLOT_REPLICA_URL")
    bad = hexaglot("import", "bag", str(bag))
    assert bad.returncode == 2
    assert "data/files/transcripts/fr.vtt has changed" in bad.stderr.replace("\n", "")
    assert json.loads(hexaglot("list", "--json").stdout)["total"] == 0
    blobs = tmp_path / "b" / "blobs"
    assert not blobs.exists() or not [p for p in blobs.rglob("*") if p.is_file()]
    shutil.rmtree(bag)
    assert hexaglot("import", "bag", str(bag)).returncode == 2  # no bag at all


def test_export_command(built: Built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    open_built(monkeypatch, copy_of(built, tmp_path / "a")).close()
    done = hexaglot("export", "marcxml", MEETING, built.clip, "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted([f"{MEETING}.marcxml", f"{built.clip}.marcxml"])
    recs = pymarc.parse_xml_to_array(str(tmp_path / "out" / f"{MEETING}.marcxml"))
    assert "Water" in recs[0]["245"].value()
    iiif = hexaglot("export", "iiif", MEETING)
    assert iiif.returncode == 0 and json.loads(iiif.stdout)["type"] == "Manifest"
    for args, said in ((["nonesuch", MEETING], "no format 'nonesuch'"),
                       (["pbcore", HIDDEN], f"no asset with id '{HIDDEN}'"),
                       (["json", MEETING, built.clip], "give --out DIR"),
                       (["bag", MEETING], "give --out DIR")):
        bad = hexaglot("export", *args)
        assert bad.returncode == 2 and said in bad.stderr, (args, bad.stderr)
    staff = hexaglot("export", "json", HIDDEN, "--include-restricted")
    assert staff.returncode == 0 and json.loads(staff.stdout)["asset_id"] == HIDDEN
