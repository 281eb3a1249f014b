"""OAI-PMH over a real archive (the demo archive plus records of our own, on SQLite and
PostgreSQL), harvested with Sickle over HTTP with a page size of 2: every public asset
once in each metadata format, a never-public asset absent, withdrawn and deleted ones
listed as deleted (and back when public again), sets and dates selected in SQL, a token
that outlives its server, and every error of the protocol."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pymarc
import pytest
import sqlalchemy as sa
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from hexaglot.app.archive import Archive
from hexaglot.app.demo import build_demo_archive
from hexaglot.app.editing import edit_asset, make_edits
from hexaglot.config import Settings
from hexaglot.domain import Asset, Meeting
from hexaglot.web.app import create_app

from .conftest import SHARED
from .live_server import serving

OAI = "{http://www.openarchives.org/OAI/2.0/}"
DC = "{http://purl.org/dc/elements/1.1/}"
MEETING, CLIP_A, CLIP_B, GA = "2100001", "2100002", "2100003", "2100004"
WITHDRAWN, NEVER, GONE, OLD = "3000001", "3000002", "3000003", "3000004"


def _asset(asset_id: str, title: str, body: str | None, day: date | None,
           access: str = "public") -> Asset:
    return Asset(asset_id=asset_id, title=title, recorded_on=day, access=access,
                 meeting=Meeting(body=body, number=int(asset_id[-3:]) + 9000 if body else None))


@pytest.fixture
def archive(home: Path) -> Iterator[Archive]:
    """The demo archive and four records of our own: one withdrawn after publication,
    one never public, one deleted, one from 2019; page size 2."""
    archive = Archive(Settings(oai_page_size=2))
    assert build_demo_archive(archive) == [MEETING, CLIP_A, CLIP_B, GA]
    catalog = archive.catalog
    catalog.save(_asset(WITHDRAWN, "Withdrawn briefing", "Security Council", date(2024, 1, 9)))
    catalog.save(_asset(NEVER, "Closed consultations", "Security Council", date(2024, 2, 1),
                        access="staff"))
    catalog.save(_asset(GONE, "Duplicate record", "General Assembly", date(2024, 4, 2)))
    catalog.save(_asset(OLD, "Arria-formula meeting", "Security Council", date(2019, 5, 3)))
    edit_asset(archive, WITHDRAWN, make_edits(access="staff"))
    assert catalog.delete(GONE)
    yield archive
    archive.close()


@pytest.fixture
def base(archive: Archive) -> Iterator[str]:
    with serving(create_app(archive)) as url:
        yield url + "/oai"


PUBLIC = {MEETING, CLIP_A, CLIP_B, GA, OLD}
DELETED = {WITHDRAWN, GONE}


def _id(identifier: str) -> str:
    assert identifier.startswith("oai:127.0.0.1:"), identifier
    return identifier.rsplit(":", 1)[-1]


def _harvest(base: str, prefix: str) -> tuple[list[str], list[str], list[etree._Element]]:
    live, dead, bodies = [], [], []
    for r in Sickle(base, timeout=20).ListRecords(metadataPrefix=prefix, ignore_deleted=False):
        if r.header.deleted:
            dead.append(_id(r.header.identifier))
            assert r.xml.find(f"{OAI}metadata") is None
        else:
            live.append(_id(r.header.identifier))
            bodies.append(r.xml.find(f"{OAI}metadata")[0])
    return live, dead, bodies


@pytest.mark.parametrize("prefix", ["oai_dc", "marc21", "pbcore"])
def test_every_public_asset_once_in_each_format(base: str, prefix: str) -> None:
    live, dead, bodies = _harvest(base, prefix)
    assert sorted(live) == sorted(PUBLIC) and len(live) == len(set(live))
    assert sorted(dead) == sorted(DELETED)  # withdrawn and deleted: told, never just gone
    assert NEVER not in live + dead
    if prefix == "oai_dc":
        titles = {e.text for b in bodies for e in b.iter(f"{DC}title")}
        assert "Arria-formula meeting" in titles
    if prefix == "marc21":
        for b in bodies:
            recs = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(b)))
            assert len(recs) == 1 and recs[0].get_fields("245")
    if prefix == "pbcore":
        xsd = etree.XMLSchema(etree.parse(str(SHARED / "schemas" / "pbcore-2.1.xsd")))
        for b in bodies:
            assert xsd.validate(etree.ElementTree(b)), xsd.error_log.last_error


def test_pages_of_two_end_with_an_empty_token(base: str) -> None:
    sizes, r = [], httpx.get(base, params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    while True:
        doc = etree.fromstring(r.content)
        sizes.append(len(doc.findall(f".//{OAI}header")))
        token = doc.findtext(f".//{OAI}resumptionToken")
        if not token:
            assert doc.find(f".//{OAI}resumptionToken") is not None  # empty, not missing
            break
        r = httpx.get(base, params={"verb": "ListIdentifiers", "resumptionToken": token})
    assert sizes == [2, 2, 2, 1]


def _ids(base: str, **kw: str) -> set[str]:
    try:
        return {_id(h.identifier) for h in Sickle(base).ListIdentifiers(
            metadataPrefix="oai_dc", ignore_deleted=True, **kw)}
    except NoRecordsMatch:
        return set()


def test_sets_and_dates(base: str) -> None:
    sets = {s.setSpec: s.setName for s in Sickle(base).ListSets()}
    assert sets["body:security-council"] == "Security Council"
    assert {"body", "year", "body:general-assembly", "year:2024", "year:2019"} <= set(sets)
    assert "year:2019" in sets and _ids(base, set="year:2019") == {OLD}
    assert _ids(base, set="body:security-council") == {MEETING, CLIP_A, CLIP_B, OLD}
    assert _ids(base, set="body") == PUBLIC
    today = datetime.now(UTC).date()
    assert _ids(base, **{"from": today.isoformat()}) == PUBLIC
    assert _ids(base, until=(today - timedelta(days=1)).isoformat()) == set()
    later = (datetime.now(UTC) + timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _ids(base, **{"from": later}) == set()


def test_withdrawn_and_deleted_records_and_a_never_public_one(base: str) -> None:
    s = Sickle(base)
    gone = s.GetRecord(identifier=f"oai:127.0.0.1:{WITHDRAWN}", metadataPrefix="oai_dc")
    assert gone.header.deleted and gone.header.setSpecs == ["body:security-council", "year:2024"]
    assert s.GetRecord(identifier=f"oai:127.0.0.1:{GONE}", metadataPrefix="pbcore").header.deleted
    r = httpx.get(base, params={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                "identifier": f"oai:127.0.0.1:{NEVER}"})
    assert [e.get("code") for e in etree.fromstring(r.content).iter(f"{OAI}error")] == \
        ["idDoesNotExist"]
    ident = s.Identify()
    assert (ident.deletedRecord, ident.protocolVersion) == ("persistent", "2.0")


def test_hiding_a_meeting_deletes_its_clips_and_publishing_brings_them_back(
        archive: Archive, base: str) -> None:
    time.sleep(1.1)  # datestamps have seconds: the fixture's writes are a second ago
    before = datetime.now(UTC).replace(microsecond=0)
    edit_asset(archive, MEETING, make_edits(access="registered"))
    harvested = Sickle(base).ListIdentifiers(metadataPrefix="oai_dc", ignore_deleted=False,
                                             **{"from": before.strftime("%Y-%m-%dT%H:%M:%SZ")})
    assert {_id(h.identifier): h.deleted for h in harvested} == \
        {MEETING: True, CLIP_A: True, CLIP_B: True}
    time.sleep(1.1)
    back = datetime.now(UTC).replace(microsecond=0)
    edit_asset(archive, MEETING, make_edits(access="public"))
    assert _ids(base, **{"from": back.strftime("%Y-%m-%dT%H:%M:%SZ")}) == \
        {MEETING, CLIP_A, CLIP_B}
    edit_asset(archive, WITHDRAWN, make_edits(access="public"))
    assert WITHDRAWN in _ids(base)


def test_a_token_survives_a_server_restart(archive: Archive) -> None:
    with serving(create_app(archive)) as first:
        doc = etree.fromstring(httpx.get(first + "/oai", params={
            "verb": "ListRecords", "metadataPrefix": "marc21"}).content)
    token = doc.findtext(f".//{OAI}resumptionToken")
    got = [_id(h.findtext(f"{OAI}identifier")) for h in doc.iter(f"{OAI}header")]
    assert token and len(got) == 2
    fresh = Archive(Settings(oai_page_size=2))  # another process would hold nothing more
    with serving(create_app(fresh)) as second:
        while token:
            doc = etree.fromstring(httpx.post(second + "/oai", data={
                "verb": "ListRecords", "resumptionToken": token}).content)
            assert doc.find(f"{OAI}error") is None
            got += [_id(h.findtext(f"{OAI}identifier")) for h in doc.iter(f"{OAI}header")]
            token = doc.findtext(f".//{OAI}resumptionToken")
    fresh.close()
    assert sorted(got) == sorted(PUBLIC | DELETED)


def test_an_embargo_lifts_by_itself(archive: Archive, base: str) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    archive.catalog.save(_asset("3000005", "Embargoed", "Security Council", date(2024, 6, 1),
                                access=f"embargoed until {tomorrow.isoformat()}"))
    assert "3000005" not in _ids(base)
    yesterday = tomorrow - timedelta(days=2)  # a day and a half later, as it were
    with archive.catalog.engine.begin() as conn:
        conn.execute(sa.text("UPDATE assets SET visible_from = :d WHERE asset_id = '3000005'"),
                     {"d": yesterday})
        conn.execute(sa.text("UPDATE oai_items SET public_from = :d WHERE asset_id = '3000005'"),
                     {"d": yesterday})
    r = Sickle(base).GetRecord(identifier="oai:127.0.0.1:3000005", metadataPrefix="oai_dc")
    assert not r.header.deleted
    assert r.header.datestamp == f"{yesterday.isoformat()}T00:00:00Z"


ERRORS = [
    ("", "badVerb"),
    ("verb=Harvest", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&set=year:2024", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=pbcore", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-06-01&until=2024-05-01", "badArgument"),
    ("verb=GetRecord&identifier=oai:127.0.0.1:2100001", "badArgument"),
    ("verb=ListRecords&metadataPrefix=mods", "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:127.0.0.1:9999999", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere:2100001", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=oai:127.0.0.1:3000002", "idDoesNotExist"),
    ("verb=ListIdentifiers&resumptionToken=not-a-token", "badResumptionToken"),
    ("verb=ListSets&resumptionToken=x", "badResumptionToken"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=2001-01-01", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=pbcore&set=body:trusteeship-council", "noRecordsMatch"),
]


def test_every_error_of_the_protocol(base: str) -> None:
    wrong = []
    for query, code in ERRORS:
        for r in (httpx.get(f"{base}?{query}"),
                  httpx.post(base, content=query, headers={
                      "Content-Type": "application/x-www-form-urlencoded"})):
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
            got = [e.get("code") for e in etree.fromstring(r.content).iter(f"{OAI}error")]
            if got != [code]:
                wrong.append(f"{r.request.method} {query!r}: {got}, want {code}")
    assert not wrong, wrong
