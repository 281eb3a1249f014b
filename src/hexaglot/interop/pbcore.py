"""PBCore 2.1 description documents, valid against the official XSD.

One `pbcoreInstantiation` per format of the record (the master and every rendition),
each with its SHA-256 as an `instantiationIdentifier` (source `SHA-256`), where it lives
(`instantiationLocation`: its public URL, else the blob store), its size, duration,
languages and essence tracks: a video track and one audio track per language for the
master and the HLS package, the preview language for the MP4 proxy, one audio or text
track for an audio download or a transcript. Renditions relate to the master
(`Derived from`). Statement clips are `pbcorePart`s with their start and end time.
Elements follow the XSD's order.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from hexaglot.domain import Asset, Format, format_duration
from hexaglot.domain.languages import language_name
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.interop import formats
from hexaglot.interop.exporter import Exporter
from hexaglot.interop.site import Clip, Site
from hexaglot.interop.xml import xml_text

PBCORE_NS = "http://www.pbcore.org/PBCore/PBCoreNamespace.html"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = "https://raw.githubusercontent.com/WGBH/PBCore_2.1/master/pbcore-2.1.xsd"
MEDIA_TYPES = {"video": "Moving Image", "audio": "Sound", "image": "Static Image",
               "text": "Text"}
GENERATIONS = {formats.MASTER: "Master", formats.TRANSCRIPT: "Transcript",
               formats.POSTER: "Thumbnail", formats.THUMBNAILS: "Thumbnail"}


def _q(name: str) -> str:
    return f"{{{PBCORE_NS}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None,
         **attrs: str | None) -> etree._Element:
    e = etree.SubElement(parent, _q(name))
    if text is not None:
        e.text = xml_text(text)
    for key, value in attrs.items():
        if value is not None:
            e.set(key, xml_text(value))
    return e


def _tracks(inst: etree._Element, asset: Asset, fmt: Format) -> None:
    kind = fmt.media_type.split("/")[0]
    langs = formats.tracks(asset, fmt)
    if kind == "video" or fmt.rendition in formats.ALL_TRACKS:
        _sub(_sub(inst, "instantiationEssenceTrack"), "essenceTrackType", "Video")
    for lang in langs:
        track = _sub(inst, "instantiationEssenceTrack")
        _sub(track, "essenceTrackType", "Text" if kind == "text" else "Audio")
        _sub(track, "essenceTrackLanguage", formats.marc_language(lang), source="ISO 639.2")
        note = "floor (original) audio" if lang == formats.FLOOR else \
            f"interpretation: {language_name(lang)}" if kind != "text" else language_name(lang)
        _sub(track, "essenceTrackAnnotation", note)
    if kind == "image":
        _sub(_sub(inst, "instantiationEssenceTrack"), "essenceTrackType", "Image")


def _instantiation(doc: etree._Element, asset: Asset, fmt: Format, site: Site,
                   master: Format | None) -> None:
    inst = _sub(doc, "pbcoreInstantiation")
    if fmt.sha256:
        _sub(inst, "instantiationIdentifier", fmt.sha256, source="SHA-256")
    name = "/".join(x for x in (asset.asset_id, fmt.rendition, fmt.language) if x)
    _sub(inst, "instantiationIdentifier", name, source=site.name)
    _sub(inst, "instantiationDigital", fmt.media_type, source="IANA media type")
    where = site.url(fmt.url) if fmt.url else f"{site.name} blob store, sha256:{fmt.sha256}"
    _sub(inst, "instantiationLocation", where)
    kind = fmt.media_type.split("/")[0]
    if kind in MEDIA_TYPES:
        _sub(inst, "instantiationMediaType", MEDIA_TYPES[kind])
    _sub(inst, "instantiationGenerations", GENERATIONS.get(fmt.rendition, "Proxy"))
    if fmt.size is not None:
        _sub(inst, "instantiationFileSize", str(fmt.size), unitsOfMeasure="bytes")
    if kind in ("video", "audio") and asset.duration_seconds is not None:
        _sub(inst, "instantiationDuration", format_duration(asset.duration_seconds))
    for lang in formats.tracks(asset, fmt):
        _sub(inst, "instantiationLanguage", formats.marc_language(lang), source="ISO 639.2")
    _tracks(inst, asset, fmt)
    if master is not None and master is not fmt and master.sha256:
        rel = _sub(inst, "instantiationRelation")
        _sub(rel, "instantiationRelationType", "Derived from")
        _sub(rel, "instantiationRelationIdentifier", master.sha256, source="SHA-256")
    _sub(inst, "instantiationAnnotation", fmt.rendition, annotationType="Rendition")


def _intellectual(doc: etree._Element, asset: Asset, site: Site) -> None:
    """Asset type, date, identifiers, titles, subjects, descriptions, relation (XSD order)."""
    _sub(doc, "pbcoreAssetType", "Clip" if asset.parent_id else "Program")
    if asset.recorded_on:
        _sub(doc, "pbcoreAssetDate", asset.recorded_on.isoformat(), dateType="created")
    _sub(doc, "pbcoreIdentifier", asset.asset_id, source=site.name)
    _sub(doc, "pbcoreIdentifier", site.asset_page(asset.asset_id), source="URL")
    if asset.meeting.record_symbol:
        _sub(doc, "pbcoreIdentifier", asset.meeting.record_symbol, source="UN document symbol")
    _sub(doc, "pbcoreTitle", asset.title, titleType="Main")
    for lang, tr in asset.translations.items():
        if tr.title:
            _sub(doc, "pbcoreTitle", tr.title, titleType="Translated", annotation=lang)
    for kind in SUBJECT_KINDS:
        for s in getattr(asset.subjects, kind):
            _sub(doc, "pbcoreSubject", s.label, subjectType=kind.capitalize(), source=site.name,
                 ref=s.id)
    texts = [("Summary", asset.summary), ("Description", asset.description)]
    texts = [(t, v) for t, v in texts if v] or [("Title", asset.title)]
    for kind, text in texts:
        _sub(doc, "pbcoreDescription", text, descriptionType=kind)
    if asset.parent_id:
        rel = _sub(doc, "pbcoreRelation")
        _sub(rel, "pbcoreRelationType", "Is Part Of")
        _sub(rel, "pbcoreRelationIdentifier", asset.parent_id, source=site.name)


def _people(doc: etree._Element, asset: Asset, site: Site) -> None:
    if asset.meeting.body:
        creator = _sub(doc, "pbcoreCreator")
        _sub(creator, "creator", asset.meeting.body)
        _sub(creator, "creatorRole", "Host")
    for sp in asset.speakers:
        if not (sp.name or sp.affiliation):
            continue
        c = _sub(doc, "pbcoreContributor")
        _sub(c, "contributor", sp.name or sp.affiliation, affiliation=sp.affiliation,
             startTime=None if sp.start is None else format_duration(round(sp.start)),
             endTime=None if sp.end is None else format_duration(round(sp.end)))
        _sub(c, "contributorRole", "Speaker", annotation=sp.role)
    pub = _sub(doc, "pbcorePublisher")
    _sub(pub, "publisher", site.name)
    _sub(pub, "publisherRole", "Distributor")
    _sub(_sub(doc, "pbcoreRightsSummary"), "rightsSummary", f"Access: {asset.access}")


def _meeting_note(asset: Asset) -> str | None:
    m = asset.meeting
    bits = [m.body, f"meeting {m.number}" if m.number else None,
            f"began {m.began}" if m.began else None, f"ended {m.ended}" if m.ended else None]
    text = ", ".join(b for b in bits if b)
    return text or None


def _document(tag: str, asset: Asset, site: Site, clips: Sequence[Clip]) -> etree._Element:
    doc = etree.Element(_q(tag), nsmap={None: PBCORE_NS, "xsi": XSI})  # type: ignore[dict-item]
    _intellectual(doc, asset, site)
    _people(doc, asset, site)
    master = formats.first(asset, formats.MASTER)
    for fmt in asset.formats:
        _instantiation(doc, asset, fmt, site, master)
    note = _meeting_note(asset)
    if note:
        _sub(doc, "pbcoreAnnotation", note, annotationType="Meeting")
    for clip in clips:
        part = _document("pbcorePart", clip.record, site, ())
        part.set("startTime", format_duration(round(clip.start)) or "")
        part.set("endTime", format_duration(round(clip.end)) or "")
        part.set("partType", "Statement clip")
        doc.append(part)
    return doc


def element(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> etree._Element:
    """The `pbcoreDescriptionDocument` of a record (the `pbcore` metadata of OAI-PMH)."""
    doc = _document("pbcoreDescriptionDocument", asset, site, clips)
    doc.set(f"{{{XSI}}}schemaLocation", f"{PBCORE_NS} {SCHEMA}")
    return doc


def render(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """The PBCore XML document."""
    return etree.tostring(element(asset, site, clips), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)


EXPORTER = Exporter("pbcore", "application/xml", render,
                    lambda site, asset_id: site.export(asset_id, "pbcore"), "PBCore 2.1")
