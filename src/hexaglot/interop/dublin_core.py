"""Simple Dublin Core (`oai_dc`): the record OAI-PMH harvesters ask for first.

Mapping: title (and its translations, with `xml:lang`), creator = the meeting's body,
subject = every subject heading, description = summary then description,
publisher = the site, contributor = speakers, date = recording date, type = DCMI
`MovingImage`/`Sound`/…, format = the media types of the downloads, identifier = the
asset page and `asset:{id}`, source, language = the audio languages (BCP 47; the floor
as `mul`), relation = the record symbol and the parent asset, rights = access.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from lxml import etree

from hexaglot.domain import Asset
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.interop import formats
from hexaglot.interop.exporter import Exporter
from hexaglot.interop.site import Clip, Site

OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DCMI_TYPE = {"video": "MovingImage", "audio": "Sound", "photo": "StillImage", "document": "Text"}


def _fields(asset: Asset, site: Site) -> Iterator[tuple[str, str, str | None]]:
    """(element, text, xml:lang) in DC's element order."""
    yield "title", asset.title, "en"
    for lang, tr in asset.translations.items():
        if tr.title:
            yield "title", tr.title, lang
    if asset.meeting.body:
        yield "creator", asset.meeting.body, None
    for kind in SUBJECT_KINDS:
        for s in getattr(asset.subjects, kind):
            yield "subject", s.label, "en"
    for text in (asset.summary, asset.description):
        if text:
            yield "description", text, "en"
    yield "publisher", site.name, None
    for sp in asset.speakers:
        who = ", ".join(x for x in (sp.name, sp.affiliation) if x)
        if who:
            yield "contributor", who, None
    if asset.recorded_on:
        yield "date", asset.recorded_on.isoformat(), None
    yield "type", DCMI_TYPE[asset.kind], None
    for mt in dict.fromkeys(f.media_type for f in asset.formats
                            if f.rendition not in formats.NOT_DOWNLOADS):
        yield "format", mt, None
    yield "identifier", site.asset_page(asset.asset_id), None
    yield "identifier", f"asset:{asset.asset_id}", None
    if asset.source:
        yield "source", asset.source, None
    for lang in asset.available_languages:
        yield "language", "mul" if lang == formats.FLOOR else lang, None
    if asset.meeting.record_symbol:
        yield "relation", asset.meeting.record_symbol, None
    if asset.parent_id:
        yield "relation", site.asset_page(asset.parent_id), None
    yield "rights", f"Access: {asset.access}", None


def element(asset: Asset, site: Site) -> etree._Element:
    """The `oai_dc:dc` element of a record."""
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {SCHEMA}")
    for name, text, lang in _fields(asset, site):
        e = etree.SubElement(root, f"{{{DC}}}{name}")
        e.text = text
        if lang:
            e.set(XML_LANG, lang)
    return root


def render(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """The Dublin Core XML document."""
    return etree.tostring(element(asset, site), xml_declaration=True, encoding="UTF-8",
                          pretty_print=True)


EXPORTER = Exporter("dc", "application/xml", render,
                    lambda site, asset_id: site.export(asset_id, "dc"),
                    "simple Dublin Core (oai_dc)")
