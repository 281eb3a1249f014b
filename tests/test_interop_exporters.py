"""Every exporter on records built here: IIIF against the shared JSON schema and back
through iiif-prezi3, MARCXML through pymarc and binary MARC round trips, PBCore against
the XSD, Dublin Core, and JSON-LD expanded with pyld."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import iiif_prezi3
import jsonschema
import pymarc
import pytest
from lxml import etree
from pyld import jsonld

from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.errors import NotFound
from hexaglot.interop import dublin_core, iiif, iiif_collection, marc, pbcore
from hexaglot.interop.exporter import NotExportable
from hexaglot.interop.registry import EXPORTERS, exporter
from tests.interop_records import SITE, clips, meeting, press_only

SHARED = Path(__file__).resolve().parents[2] / "shared"
SCHEMAS = SHARED / "schemas"
PB = "{http://www.pbcore.org/PBCore/PBCoreNamespace.html}"
DC = "{http://purl.org/dc/elements/1.1/}"


@pytest.fixture(scope="module")
def iiif_schema() -> dict[str, Any]:
    path = SCHEMAS / "iiif-presentation-3.json"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return json.loads(path.read_text("utf-8"))


@pytest.fixture(scope="module")
def pbcore_xsd() -> etree.XMLSchema:
    path = SCHEMAS / "pbcore-2.1.xsd"
    if not path.exists():
        pytest.skip(f"{path} is missing")
    return etree.XMLSchema(etree.parse(str(path)))


def schema_errors(schema: dict[str, Any], doc: dict[str, Any], cls: str) -> list[str]:
    one = dict(schema, oneOf=[{"$ref": f"#/classes/{cls}"}])
    return [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:120]}"
            for e in jsonschema.Draft7Validator(one).iter_errors(doc)]


def walk(x: Any) -> Any:
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)


def test_registry_has_one_exporter_per_format_and_names_the_others() -> None:
    names = [e.name for e in EXPORTERS]
    assert names == ["json", "dc", "marcxml", "marc", "pbcore", "jsonld", "iiif"]
    assert [exporter(n).url(SITE, "42") for n in names] == [
        "http://archive.test:8080/assets/42.json", "http://archive.test:8080/assets/42.dc.xml",
        "http://archive.test:8080/assets/42.marcxml", "http://archive.test:8080/assets/42.mrc",
        "http://archive.test:8080/assets/42.pbcore.xml",
        "http://archive.test:8080/assets/42.jsonld",
        "http://archive.test:8080/iiif/42/manifest.json"]
    with pytest.raises(NotFound, match="no export format 'mods'.*marcxml"):
        exporter("mods")


@pytest.mark.parametrize("make", [meeting, press_only, lambda: clips(meeting())[0].record])
def test_every_exporter_renders_every_kind_of_record(make: Any) -> None:
    asset = make()
    for e in EXPORTERS:
        if e.name == "iiif" and not asset.duration_seconds:
            with pytest.raises(NotExportable, match=f"asset {asset.asset_id} has no duration"):
                e.render(asset, SITE, ())
            continue
        out = e.render(asset, SITE, ())
        assert isinstance(out, bytes) and out, e.name


def test_record_json_is_the_api_record() -> None:
    asset = meeting()
    data = json.loads(exporter("json").render(asset, SITE, ()))
    assert data == asset.model_dump(mode="json")
    assert data["duration"] == "02:42:43"


def test_iiif_manifest_passes_the_schema_and_loads_back(iiif_schema: dict[str, Any]) -> None:
    asset = meeting()
    m = json.loads(iiif.render(asset, SITE, clips(asset)))
    assert schema_errors(iiif_schema, m, "manifest") == []
    again = json.loads(iiif_prezi3.Manifest(**m).json())
    # iiif-prezi3 adds an empty `items` to canvas references when loading; all else stays
    for key in ("id", "label", "metadata", "seeAlso", "rendering", "thumbnail", "items"):
        assert again[key] == m[key], key
    assert len(again["structures"]) == len(m["structures"]) == 2
    clip = json.loads(iiif.render(clips(asset)[0].record, SITE, ()))
    assert schema_errors(iiif_schema, clip, "manifest") == []
    iiif_prezi3.Manifest(**clip)
    assert clip["items"][0]["duration"] == 840.0
    assert m["id"] == "http://archive.test:8080/iiif/1000001/manifest.json"
    canvas = m["items"][0]
    assert canvas["type"] == "Canvas" and canvas["duration"] == 9763.0


def test_iiif_manifest_offers_every_audio_track_labelled_in_six_languages() -> None:
    asset = meeting()
    m = json.loads(iiif.render(asset, SITE, ()))
    choices = [o for o in walk(m) if o.get("type") == "Choice"]
    audio = [c for c in choices if all(x["type"] == "Sound" for x in c["items"])]
    video = [c for c in choices if all(x["type"] == "Video" for x in c["items"])]
    assert len(audio) == 1 and len(video) == 1
    sounds = audio[0]["items"]
    assert [s["language"] for s in sounds] == ["mul", *OFFICIAL_LANGUAGES]
    for s in sounds:
        assert set(s["label"]) == set(OFFICIAL_LANGUAGES)
        assert s["id"].startswith("http://archive.test:8080/media/1000001/job1/audio/")
        assert s["format"] == "audio/mp4"  # M4A preferred over MP3
    assert sounds[4]["label"]["fr"] == ["Français"] and sounds[4]["label"]["ru"] == ["Французский"]
    assert [v["format"] for v in video[0]["items"]] == ["application/vnd.apple.mpegurl",
                                                        "video/mp4"]


def test_iiif_manifest_has_transcripts_ranges_thumbnails_and_links() -> None:
    asset = meeting()
    m = json.loads(iiif.render(asset, SITE, clips(asset)))
    notes = [o for o in walk(m) if o.get("motivation") == "supplementing"]
    assert sorted(n["body"]["language"] for n in notes) == ["en", "fr"]
    assert all(n["body"]["format"] == "text/vtt" and n["body"]["id"].endswith(".vtt")
               for n in notes)
    ranges = {r["label"]["en"][0]: r for r in m["structures"]}
    canvas = m["items"][0]["id"]
    assert [r["items"][0]["id"] for r in ranges["Statements"]["items"]] == [
        f"{canvas}#t=60,900.5", f"{canvas}#t=901,1500"]
    turns = ranges["Speakers"]["items"]
    assert len(turns) == 3  # the fourth speaker has no times
    assert turns[2]["label"]["en"] == ["Kazakhstan (00:25:00)"]
    assert m["thumbnail"][0]["id"].endswith("/poster.jpg")
    also = [x["id"] for x in m["seeAlso"]]
    assert SITE.export("1000001", "marcxml") in also and SITE.export("1000001", "pbcore") in also
    downloads = {x["id"].rsplit("/", 1)[-1] for x in m["rendering"]}
    assert {"proxy.mp4", "fr.mp3", "fr.m4a", "fr.vtt"} <= downloads
    assert not downloads & {"master.m3u8", "poster.jpg", "waveform.json"}
    assert m["partOf"][0]["id"] == "http://archive.test:8080/iiif/collections/security-council/2022.json"


def test_iiif_collection_per_series_and_year(iiif_schema: dict[str, Any]) -> None:
    a, b = meeting("1000001"), meeting("1000002")
    c = json.loads(iiif_collection.render([b, a], SITE))
    assert schema_errors(iiif_schema, c, "collection") == []
    iiif_prezi3.Collection(**c)
    assert c["label"] == {"en": ["Security Council, 2022"]}
    assert [x["id"] for x in c["items"]] == [SITE.iiif("1000001"), SITE.iiif("1000002")]
    other = meeting("1000003", body="General Assembly")
    with pytest.raises(ValueError, match="asset 1000003 is not in the series and year"):
        iiif_collection.collection([a, other], SITE)


def test_marcxml_parses_and_has_the_fields_of_a_video_recording() -> None:
    asset = meeting()
    recs = pymarc.parse_xml_to_array(io.BytesIO(marc.render_xml(asset, SITE)))
    assert len(recs) == 1
    r = recs[0]
    assert str(r.leader)[6:8] == "gm"
    f008 = r.get_fields("008")[0].data
    assert len(f008) == 40 and f008[33] == "v" and f008[18:21] == "163"  # 9763 s = 163 min
    assert f008[7:15] == "20220216"
    assert r.get_fields("041")[0].get_subfields("a") == ["ara", "chi", "eng", "fre", "rus", "spa"]
    assert r.get_fields("041")[0].get_subfields("h") == ["mul"]
    assert r["245"]["a"] == asset.title
    assert r["264"]["c"] == "2022-02-16" and r["306"]["a"] == "024243"
    assert "02:42:43" in r["300"]["a"]
    notes = " ".join(f.value() for f in r.get_fields("500"))
    assert "S/PV.9001" in notes and "11:07" in notes and "SC/99999" in notes
    assert r["518"]["d"] == "2022-02-16"
    assert "French" in r["546"]["a"] and "Original" in r["546"]["a"]
    assert [f["a"] for f in r.get_fields("600")] == ["António Guterres"]
    assert [f["a"] for f in r.get_fields("610")] == ["African Union"]
    assert [f["a"] for f in r.get_fields("651")] == ["Niger", "Kazakhstan"]
    assert [f["0"] for f in r.get_fields("650")] == ["topic:regional-cooperation"]
    assert [f["a"] for f in r.get_fields("700")] == ["António Guterres", "Amina Diallo", "Li Wei"]
    assert [f["a"] for f in r.get_fields("710")] == ["Kazakhstan"]
    assert r["024"]["a"] == "1000001" and r["001"].data == "1000001"
    assert SITE.asset_page("1000001") in [f["u"] for f in r.get_fields("856")]


def test_binary_marc_round_trips() -> None:
    for asset in (meeting(), press_only(), clips(meeting())[1].record):
        data = marc.render_binary(asset, SITE)
        back = next(iter(pymarc.MARCReader(data, to_unicode=True, force_utf8=True)))
        assert back is not None and back.as_marc() == data
        assert pymarc.Record(data=back.as_marc(), force_utf8=True).as_marc() == data
        xml = pymarc.parse_xml_to_array(io.BytesIO(marc.render_xml(asset, SITE)))[0]
        assert [f.value() for f in back.fields] == [f.value() for f in xml.fields]
    clip = clips(meeting())[1].record
    assert marc.record(clip, SITE)["773"]["w"] == "1000001"


def test_pbcore_validates_with_an_instantiation_per_format(pbcore_xsd: etree.XMLSchema) -> None:
    asset = meeting()
    for doc in (pbcore.render(asset, SITE, clips(asset)), pbcore.render(press_only(), SITE, ()),
                pbcore.render(clips(asset)[0].record, SITE, ())):
        tree = etree.ElementTree(etree.fromstring(doc))
        assert pbcore_xsd.validate(tree), pbcore_xsd.error_log.last_error
    root = etree.fromstring(pbcore.render(asset, SITE, clips(asset)))
    insts = root.findall(f"{PB}pbcoreInstantiation")
    assert len(insts) == len(asset.formats)
    sums = {i.text for i in root.iter(f"{PB}instantiationIdentifier") if i.get("source") == "SHA-256"}
    assert {f.sha256 for f in asset.formats} <= sums
    master, hls = insts[0], insts[1]
    langs = [t.findtext(f"{PB}essenceTrackLanguage")
             for t in master.findall(f"{PB}instantiationEssenceTrack")]
    assert langs == [None, "mul", "ara", "chi", "eng", "fre", "rus", "spa"]  # video, then audio
    assert master.findtext(f"{PB}instantiationGenerations") == "Master"
    assert hls.find(f"{PB}instantiationRelation/{PB}instantiationRelationIdentifier").text == \
        asset.formats[0].sha256
    vtt = [i for i in insts if i.findtext(f"{PB}instantiationDigital") == "text/vtt"]
    assert [i.findtext(f"{PB}instantiationLanguage") for i in vtt] == ["fre", "eng"]
    parts = root.findall(f"{PB}pbcorePart")
    assert [(p.get("startTime"), p.get("endTime")) for p in parts] == [
        ("00:01:00", "00:15:00"), ("00:15:01", "00:25:00")]


def test_dublin_core_has_title_languages_and_identifiers() -> None:
    asset = meeting()
    root = etree.fromstring(dublin_core.render(asset, SITE, ()))
    assert root.tag == "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc"
    titles = {e.get("{http://www.w3.org/XML/1998/namespace}lang"): e.text
              for e in root.iter(f"{DC}title")}
    assert titles["en"] == asset.title and titles["fr"].startswith("Coopération")
    assert [e.text for e in root.iter(f"{DC}language")] == ["mul", *OFFICIAL_LANGUAGES]
    assert SITE.asset_page("1000001") in [e.text for e in root.iter(f"{DC}identifier")]
    assert [e.text for e in root.iter(f"{DC}type")] == ["MovingImage"]
    assert "&" in root.findtext(f"{DC}description")  # escaped in the XML, whole in the text


def _schema_org_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A stand-in for the schema.org context (the network is closed): its vocabulary."""
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise ValueError(f"unexpected remote context {url}")
    return {"contextUrl": None, "documentUrl": url,
            "document": {"@context": {"@vocab": "https://schema.org/"}}}


def test_jsonld_is_a_video_object_with_languages_duration_transcripts_and_clips() -> None:
    asset = meeting()
    doc = json.loads(exporter("jsonld").render(asset, SITE, clips(asset)))
    expanded = jsonld.expand(doc, {"documentLoader": _schema_org_loader})
    assert len(expanded) == 1
    node = expanded[0]
    s = "https://schema.org/"
    assert node["@type"] == [f"{s}VideoObject"] and node["@id"] == SITE.asset_page("1000001")
    assert [v["@value"] for v in node[f"{s}inLanguage"]] == list(OFFICIAL_LANGUAGES)
    assert node[f"{s}duration"] == [{"@value": "PT2H42M43S"}]
    transcripts = node[f"{s}transcript"]
    assert [t[f"{s}inLanguage"][0]["@value"] for t in transcripts] == ["fr", "en"]
    parts = node[f"{s}hasPart"]
    assert [p["@type"] for p in parts] == [[f"{s}Clip"], [f"{s}Clip"]]
    assert [p[f"{s}startOffset"][0]["@value"] for p in parts] == [60.0, 901.0]
    assert jsonld.to_rdf(doc, {"documentLoader": _schema_org_loader, "format":
                               "application/n-quads"}).count("\n") > 30
