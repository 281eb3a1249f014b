"""OAI-PMH over real HTTP: the provider on a uvicorn server, harvested with Sickle across
resumption tokens (page size 2) in every metadata format, sets, from/until, a deleted
record, a token that outlives its server, and every error code."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl

import httpx
import pymarc
import pytest
from fastapi import FastAPI, Request, Response
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from hexaglot.domain import Asset
from hexaglot.interop.oai import OaiProvider
from hexaglot.interop.oai_source import (
    Cursor,
    OaiItem,
    OaiSet,
    Window,
    set_matches,
    sets_of,
)
from tests.interop_records import SITE, meeting, press_only
from tests.live_server import serving

SHARED = Path(__file__).resolve().parents[2] / "shared"
OAI = "{http://www.openarchives.org/OAI/2.0/}"
T0 = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


class ListSource:
    """The `OaiSource` protocol over a list of items (what the catalogue will do in SQL)."""

    def __init__(self, items: list[OaiItem]) -> None:
        self.items = sorted(items, key=lambda i: (i.datestamp, i.asset_id))

    def earliest_datestamp(self) -> datetime | None:
        return self.items[0].datestamp if self.items else None

    def sets(self) -> list[OaiSet]:
        found = {s.spec: s for i in self.items if i.record for s in sets_of(i.record)}
        return list(found.values())

    def item(self, asset_id: str) -> OaiItem | None:
        return next((i for i in self.items if i.asset_id == asset_id), None)

    def page(self, window: Window, after: Cursor | None, limit: int) -> list[OaiItem]:
        out = [i for i in self.items
               if (window.since is None or i.datestamp >= window.since)
               and (window.before is None or i.datestamp < window.before)
               and (window.set_spec is None or set_matches(window.set_spec, i.sets))
               and (after is None or (i.datestamp, i.asset_id) > (after.datestamp,
                                                                   after.asset_id))]
        return out[:limit]


def live(asset: Asset, stamp: datetime) -> OaiItem:
    return OaiItem(asset.asset_id, stamp, tuple(s.spec for s in sets_of(asset)), False, asset)


def archive() -> list[OaiItem]:
    """Six public records over two bodies and years (two share a datestamp to the
    microsecond) and one withdrawn record."""
    ga = meeting("1000003", body="General Assembly", number=77, day=date(2023, 9, 20))
    items = [
        live(meeting("1000001"), T0),
        live(meeting("1000002", number=9002, day=date(2022, 3, 1)), T0 + timedelta(hours=1)),
        live(ga, T0 + timedelta(hours=1)),
        live(press_only("1000004"), T0 + timedelta(days=1, microseconds=250_000)),
        live(meeting("1000005", number=9100, day=date(2023, 1, 5)), T0 + timedelta(days=2)),
        live(meeting("1000006", number=9101, day=date(2023, 1, 6)), T0 + timedelta(days=3)),
        OaiItem("1000007", T0 + timedelta(days=2, hours=5), ("body:security-council", "year:2022"),
                True, None),
    ]
    return items


def app_for(provider: OaiProvider) -> FastAPI:
    app = FastAPI()

    @app.api_route("/oai", methods=["GET", "POST"])
    async def oai(request: Request) -> Response:
        pairs = list(request.query_params.multi_items())
        if request.method == "POST":
            pairs += parse_qsl((await request.body()).decode(), keep_blank_values=True)
        return Response(provider.respond(pairs), media_type="text/xml; charset=utf-8")

    return app


def provider(items: list[OaiItem] | None = None) -> OaiProvider:
    return OaiProvider(ListSource(archive() if items is None else items), SITE, page_size=2,
                       admin_emails=["archivist@archive.test"])


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serving(app_for(provider())) as url:
        yield url


def ident(asset_id: str) -> str:
    return f"oai:archive.test:{asset_id}"


def codes(base: str, query: str) -> list[str]:
    r = httpx.get(f"{base}/oai?{query}", timeout=10)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/xml")
    return [e.get("code") for e in etree.fromstring(r.content).iter(f"{OAI}error")]


def test_identify_formats_and_sets(base: str) -> None:
    s = Sickle(f"{base}/oai")
    i = s.Identify()
    assert (i.protocolVersion, i.deletedRecord, i.granularity) == \
        ("2.0", "persistent", "YYYY-MM-DDThh:mm:ssZ")
    assert i.earliestDatestamp == "2024-05-01T08:00:00Z" and i.baseURL == "http://archive.test:8080/oai"
    assert i.repositoryName == "Test Archive" and i.adminEmail == "archivist@archive.test"
    assert [f.metadataPrefix for f in s.ListMetadataFormats()] == ["oai_dc", "marc21", "pbcore"]
    assert [f.metadataPrefix for f in s.ListMetadataFormats(identifier=ident("1000007"))] == \
        ["oai_dc", "marc21", "pbcore"]
    sets = {x.setSpec: x.setName for x in s.ListSets()}
    assert sets == {"body": "Meeting series (by body)", "year": "Year of the recording",
                    "body:security-council": "Security Council",
                    "body:general-assembly": "General Assembly", "year:2022": "2022",
                    "year:2023": "2023"}


@pytest.mark.parametrize("prefix", ["oai_dc", "marc21", "pbcore"])
def test_harvest_every_record_once_across_tokens(base: str, prefix: str) -> None:
    seen, deleted, bodies = [], [], []
    for r in Sickle(f"{base}/oai").ListRecords(metadataPrefix=prefix, ignore_deleted=False):
        aid = r.header.identifier.rsplit(":", 1)[-1]
        if r.header.deleted:
            deleted.append(aid)
            assert r.xml.find(f"{OAI}metadata") is None
            continue
        seen.append(aid)
        bodies.append(r.xml.find(f"{OAI}metadata")[0])
    assert sorted(seen) == ["1000001", "1000002", "1000003", "1000004", "1000005", "1000006"]
    assert deleted == ["1000007"]
    if prefix == "pbcore":
        path = SHARED / "schemas" / "pbcore-2.1.xsd"
        if path.exists():
            xsd = etree.XMLSchema(etree.parse(str(path)))
            for body in bodies:
                assert xsd.validate(etree.ElementTree(body)), xsd.error_log.last_error
    if prefix == "marc21":
        for body in bodies:
            recs = pymarc.parse_xml_to_array(io.BytesIO(etree.tostring(body)))
            assert len(recs) == 1 and recs[0]["245"]["a"]
    if prefix == "oai_dc":
        titles = [b.findtext("{http://purl.org/dc/elements/1.1/}title") for b in bodies]
        assert all(titles)


def test_pages_of_two_and_an_empty_token_at_the_end(base: str) -> None:
    sizes, tokens = [], []
    r = httpx.get(f"{base}/oai", params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    while True:
        doc = etree.fromstring(r.content)
        sizes.append(len(doc.findall(f".//{OAI}header")))
        t = doc.find(f".//{OAI}resumptionToken")
        tokens.append(None if t is None else t.text)
        if t is None or not t.text:
            break
        r = httpx.get(f"{base}/oai", params={"verb": "ListIdentifiers", "resumptionToken": t.text})
    assert sizes == [2, 2, 2, 1]
    assert tokens[-1] is None and all(tokens[:-1])  # the last part has an empty token


def _ids(base: str, **kw: str) -> list[str]:
    try:
        return [h.identifier.rsplit(":", 1)[-1] for h in
                Sickle(f"{base}/oai").ListIdentifiers(metadataPrefix="oai_dc",
                                                      ignore_deleted=False, **kw)]
    except NoRecordsMatch:
        return []


def test_sets_and_dates_select(base: str) -> None:
    assert _ids(base, set="body:general-assembly") == ["1000003", "1000004"]
    assert sorted(_ids(base, set="year:2022")) == ["1000001", "1000002", "1000007"]
    assert len(_ids(base, set="body")) == 7  # a parent set holds its children
    assert _ids(base, set="year:1999") == []
    assert _ids(base, **{"from": "2024-05-02"}) == ["1000004", "1000005", "1000007", "1000006"]
    assert _ids(base, until="2024-05-01") == ["1000001", "1000002", "1000003"]
    assert _ids(base, **{"from": "2024-05-01T09:00:00Z", "until": "2024-05-01T09:00:00Z"}) == \
        ["1000002", "1000003"]
    assert _ids(base, until="2024-05-02T08:00:00Z") == ["1000001", "1000002", "1000003",
                                                       "1000004"]  # .25 s counts as that second
    assert _ids(base, **{"from": "2024-05-02", "set": "body:security-council"}) == \
        ["1000005", "1000007", "1000006"]


def test_get_record_and_a_deleted_one(base: str) -> None:
    s = Sickle(f"{base}/oai")
    r = s.GetRecord(identifier=ident("1000003"), metadataPrefix="oai_dc")
    assert "General Assembly" in etree.tostring(r.xml, encoding="unicode")
    assert r.header.datestamp == "2024-05-01T09:00:00Z"
    assert r.header.setSpecs == ["body:general-assembly", "year:2023"]
    d = s.GetRecord(identifier=ident("1000007"), metadataPrefix="marc21")
    assert d.header.deleted and d.xml.find(f"{OAI}metadata") is None


def test_a_token_survives_a_server_restart() -> None:
    with serving(app_for(provider())) as first:
        r = httpx.get(f"{first}/oai", params={"verb": "ListRecords", "metadataPrefix": "marc21",
                                              "set": "body:security-council"})
        doc = etree.fromstring(r.content)
        got = [h.findtext(f"{OAI}identifier") for h in doc.iter(f"{OAI}header")]
        token = doc.findtext(f".//{OAI}resumptionToken")
    assert token
    with serving(app_for(provider())) as second:  # a new process would hold nothing more
        while token:
            doc = etree.fromstring(httpx.post(f"{second}/oai", data={
                "verb": "ListRecords", "resumptionToken": token}).content)
            assert doc.find(f"{OAI}error") is None
            got += [h.findtext(f"{OAI}identifier") for h in doc.iter(f"{OAI}header")]
            token = doc.findtext(f".//{OAI}resumptionToken")
    assert got == [ident(x) for x in ("1000001", "1000002", "1000005", "1000007", "1000006")]


def test_a_record_changed_mid_harvest_comes_again_later() -> None:
    items = archive()
    with serving(app_for(provider(items))) as url:
        r = httpx.get(f"{url}/oai", params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
        token = etree.fromstring(r.content).findtext(f".//{OAI}resumptionToken")
    changed = [i if i.asset_id != "1000001" else live(meeting("1000001"), T0 + timedelta(days=9))
               for i in items]
    with serving(app_for(provider(changed))) as url:
        rest = []
        while token:
            doc = etree.fromstring(httpx.get(f"{url}/oai", params={
                "verb": "ListIdentifiers", "resumptionToken": token}).content)
            rest += [h.findtext(f"{OAI}identifier") for h in doc.iter(f"{OAI}header")]
            token = doc.findtext(f".//{OAI}resumptionToken")
    assert rest[-1] == ident("1000001") and ident("1000002") not in rest


@pytest.mark.parametrize(("query", "code"), [
    ("", "badVerb"),
    ("verb=Harvest", "badVerb"),
    ("verb=Identify&verb=Identify", "badVerb"),
    ("verb=Identify&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords", "badArgument"),
    ("verb=GetRecord&metadataPrefix=oai_dc", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-13-01", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=yesterday", "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-05-01&until=2024-06-01T00:00:00Z",
     "badArgument"),
    ("verb=ListRecords&metadataPrefix=oai_dc&from=2024-06-01&until=2024-05-01", "badArgument"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&resumptionToken=x", "badArgument"),
    ("verb=ListRecords&metadataPrefix=nonesuch", "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=mods&identifier=oai:archive.test:1000001",
     "cannotDisseminateFormat"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:nowhere:999999999", "idDoesNotExist"),
    ("verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:archive.test:4242", "idDoesNotExist"),
    ("verb=ListMetadataFormats&identifier=1000001", "idDoesNotExist"),
    ("verb=ListRecords&resumptionToken=not-a-token", "badResumptionToken"),
    ("verb=ListRecords&resumptionToken=metadataPrefix%3Doai_dc%26cursor%3D2",
     "badResumptionToken"),
    ("verb=ListSets&resumptionToken=abc", "badResumptionToken"),
    ("verb=ListIdentifiers&metadataPrefix=oai_dc&until=2024-04-30", "noRecordsMatch"),
    ("verb=ListRecords&metadataPrefix=pbcore&set=body:trusteeship-council", "noRecordsMatch"),
])
def test_every_error_code(base: str, query: str, code: str) -> None:
    assert codes(base, query) == [code]


def test_a_token_for_one_verb_is_refused_by_another(base: str) -> None:
    r = httpx.get(f"{base}/oai", params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    token = etree.fromstring(r.content).findtext(f".//{OAI}resumptionToken")
    assert codes(base, f"verb=ListRecords&resumptionToken={token}") == ["badResumptionToken"]


def test_an_empty_archive_answers_identify_and_no_records() -> None:
    with serving(app_for(provider([]))) as url:
        assert Sickle(f"{url}/oai").Identify().deletedRecord == "persistent"
        assert codes(url, "verb=ListRecords&metadataPrefix=oai_dc") == ["noRecordsMatch"]
        assert [x.setSpec for x in Sickle(f"{url}/oai").ListSets()] == ["body", "year"]
