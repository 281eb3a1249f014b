"""MARC 21 bibliographic records for a video recording (pymarc): MARCXML and binary.

| field | from the record |
|---|---|
| leader | new, `g` projected medium, `m` monograph, `a` UCS/Unicode |
| 001, 005, 008 | asset id; last update; visual materials: date, running time, `v` videorecording, `l` live action, language of the floor (`mul`) |
| 024 8_ | the asset id |
| 041 1_ | `$a` each interpretation track, `$h` the floor (`mul`), as MARC codes (`ara chi eng fre rus spa`) |
| 245 10 | title (translations in 246) |
| 264 _0 | date of production |
| 300, 306 | `1 online resource (HH:MM:SS)`; playing time `hhmmss` |
| 336/337/338 | two-dimensional moving image, computer, online resource |
| 500 | record symbol, meeting start and end, source |
| 518 | date of the event and the meeting (`$o`); place when the record has one (it does not today) |
| 520 | summary |
| 546 | the audio tracks in words |
| 600/610/651/650 _4 | subjects by kind (personal, corporate, geographic, topical), `$0` their ids |
| 700 0_ / 710 2_ | speakers (`$e speaker`, `$4 spk`, `$u` affiliation); a speaker known only by affiliation is a 710 |
| 773 0_ | the parent meeting of a clip |
| 856 40 | the asset page (and the IIIF manifest) |

Every record is described as a video recording (leader/06 `g`, 008 for visual materials),
the kind of nearly every asset of the archive.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pymarc
from lxml import etree
from pymarc import Field, Indicators, Subfield

from hexaglot.domain import Asset, format_duration
from hexaglot.domain.languages import language_name, ordered
from hexaglot.interop import formats
from hexaglot.interop.exporter import Exporter
from hexaglot.interop.site import Clip, Site
from hexaglot.interop.xml import xml_text

MARC_NS = "http://www.loc.gov/MARC21/slim"
SCHEMA = "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd"
LEADER = "00000ngm a2200000 c 4500"
SUBJECT_TAGS = (("personal", "600", "0"), ("corporate", "610", "2"),
                ("geographic", "651", " "), ("topical", "650", " "))


def _df(tag: str, ind: str, *pairs: tuple[str, str | None]) -> Field:
    subs = [Subfield(code, xml_text(value)) for code, value in pairs if value]
    return Field(tag=tag, indicators=Indicators(ind[0], ind[1]), subfields=subs)


def _008(asset: Asset) -> str:
    entered = (asset.created or asset.updated)
    when = asset.recorded_on
    minutes = round((asset.duration_seconds or 0) / 60)
    running = "---" if asset.duration_seconds is None else \
        (f"{minutes:03d}" if minutes <= 999 else "000")
    data = (
        (entered.strftime("%y%m%d") if entered else "000000")
        + ("e" + when.strftime("%Y%m%d") if when else "n" + "uuuuuuuu")
        + "xx " + running + " " + " " + "     " + "i" + "o" + "   " + "v" + "l"
        + formats.marc_language(asset.preview_language or formats.FLOOR) + " " + "d"
    )
    assert len(data) == 40, data
    return data


def _languages(asset: Asset) -> Iterator[Field]:
    langs = ordered(asset.available_languages)
    interpreted = [lang for lang in langs if lang != formats.FLOOR]
    if not langs:
        return
    pairs = [("a", formats.marc_language(x)) for x in interpreted]
    if formats.FLOOR in langs:
        pairs.append(("h", "mul"))
    yield _df("041", "1 " if interpreted else "0 ", *pairs)


def _notes(asset: Asset) -> Iterator[Field]:
    m = asset.meeting
    if m.record_symbol:
        yield _df("500", "  ", ("a", f"Meeting record symbol: {m.record_symbol}."))
    if m.began or m.ended:
        yield _df("500", "  ", ("a", f"The meeting began at {m.began or '?'} and ended at "
                                     f"{m.ended or '?'}."))
    if asset.source:
        yield _df("500", "  ", ("a", f"Source: {asset.source}"))
    event = ", ".join(x for x in (m.body, f"meeting {m.number}" if m.number else None) if x)
    if event or asset.recorded_on:
        yield _df("518", "  ", ("o", event or None),
                  ("d", asset.recorded_on.isoformat() if asset.recorded_on else None))
    if asset.summary:
        yield _df("520", "  ", ("a", asset.summary))
    if asset.available_languages:
        names = [language_name(x) for x in ordered(asset.available_languages)]
        yield _df("546", "  ", ("a", "Audio tracks: " + ", ".join(names) + "."))


def _access_points(asset: Asset) -> Iterator[Field]:
    for kind, tag, ind1 in SUBJECT_TAGS:
        for s in getattr(asset.subjects, kind):
            yield _df(tag, ind1 + "4", ("a", s.label), ("0", s.id))
    for sp in asset.speakers:
        if sp.name:
            yield _df("700", "0 ", ("a", sp.name), ("c", sp.role), ("e", "speaker"),
                      ("u", sp.affiliation), ("4", "spk"))
    for sp in asset.speakers:
        if not sp.name and sp.affiliation:
            yield _df("710", "2 ", ("a", sp.affiliation), ("e", "speaker"), ("4", "spk"))


def record(asset: Asset, site: Site) -> pymarc.Record:
    """The MARC 21 record of an asset (see the module docstring for the fields)."""
    rec = pymarc.Record(force_utf8=True, leader=LEADER)
    rec.add_field(Field(tag="001", data=asset.asset_id))
    if asset.updated:
        rec.add_field(Field(tag="005", data=asset.updated.strftime("%Y%m%d%H%M%S.0")))
    rec.add_field(Field(tag="008", data=_008(asset)))
    rec.add_field(_df("024", "8 ", ("a", asset.asset_id), ("q", "asset id")))
    rec.add_field(*_languages(asset))
    rec.add_field(_df("245", "10", ("a", asset.title)))
    for lang, tr in asset.translations.items():
        if tr.title:
            rec.add_field(_df("246", "31", ("a", tr.title), ("i", f"Title ({lang}):")))
    if asset.recorded_on:
        rec.add_field(_df("264", " 0", ("c", asset.recorded_on.isoformat())))
    if asset.duration_seconds is not None:
        clock = format_duration(asset.duration_seconds) or ""
        rec.add_field(_df("300", "  ", ("a", f"1 online resource ({clock})")),
                      Field(tag="306", indicators=Indicators(" ", " "),
                            subfields=[Subfield("a", clock.replace(":", "")[-6:])]))
    rec.add_field(_df("336", "  ", ("a", "two-dimensional moving image"), ("b", "tdi"),
                      ("2", "rdacontent")),
                  _df("337", "  ", ("a", "computer"), ("b", "c"), ("2", "rdamedia")),
                  _df("338", "  ", ("a", "online resource"), ("b", "cr"), ("2", "rdacarrier")))
    rec.add_field(*_notes(asset), *_access_points(asset))
    if asset.parent_id:
        rec.add_field(_df("773", "0 ", ("w", asset.parent_id),
                          ("o", site.asset_page(asset.parent_id))))
    rec.add_field(_df("856", "40", ("u", site.asset_page(asset.asset_id)), ("y", "Asset page")),
                  _df("856", "40", ("u", site.iiif(asset.asset_id)), ("q", "application/ld+json"),
                      ("y", "IIIF manifest")))
    return rec


def element(asset: Asset, site: Site) -> etree._Element:
    """The MARCXML `record` element (the `marc21` metadata of OAI-PMH)."""
    root = etree.fromstring(pymarc.record_to_xml(record(asset, site), namespace=True))
    return root


def render_xml(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """A MARCXML collection holding the asset's record."""
    coll = etree.Element(f"{{{MARC_NS}}}collection", nsmap={None: MARC_NS})  # type: ignore[dict-item]
    coll.append(element(asset, site))
    return etree.tostring(coll, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def render_binary(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """The record in ISO 2709 (binary MARC, UTF-8)."""
    return bytes(record(asset, site).as_marc())


MARCXML = Exporter("marcxml", "application/marcxml+xml", render_xml,
                   lambda site, asset_id: site.export(asset_id, "marcxml"), "MARC 21 as MARCXML")
BINARY = Exporter("marc", "application/marc", render_binary,
                  lambda site, asset_id: site.export(asset_id, "marc"), "MARC 21 (ISO 2709)")
