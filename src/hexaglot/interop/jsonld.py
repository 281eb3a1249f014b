"""schema.org JSON-LD: a `VideoObject` (an `AudioObject` for a sound recording) with
`inLanguage` (BCP 47, the six interpretation languages), an ISO 8601 `duration`,
`transcript` and `caption` (the WebVTT files), the MP4 proxy as `contentUrl`, the
poster as `thumbnailUrl`, the meeting as `recordedAt`, speakers as `contributor`s,
subjects as `about`, and statement clips as `hasPart` `Clip`s with their offsets in
seconds (what search engines show as key moments)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from hexaglot.domain import Asset
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.interop import formats
from hexaglot.interop.exporter import Exporter
from hexaglot.interop.site import Clip, Site

TYPES = {"video": "VideoObject", "audio": "AudioObject", "photo": "ImageObject",
         "document": "DigitalDocument"}


def _media_object(site: Site, url: str, media_type: str, lang: str | None) -> dict[str, Any]:
    obj: dict[str, Any] = {"@type": "MediaObject", "@id": site.url(url),
                           "contentUrl": site.url(url), "encodingFormat": media_type}
    if lang:
        obj["inLanguage"] = lang
    return obj


def _event(asset: Asset) -> dict[str, Any] | None:
    m = asset.meeting
    if not (m.body or m.number):
        return None
    event: dict[str, Any] = {"@type": "Event", "name": ", ".join(
        x for x in (m.body, f"meeting {m.number}" if m.number else None) if x)}
    if asset.recorded_on:
        day = asset.recorded_on.isoformat()
        event["startDate"] = f"{day}T{m.began}" if m.began else day
        if m.ended:
            event["endDate"] = f"{day}T{m.ended}"
    if m.body:
        event["organizer"] = {"@type": "Organization", "name": m.body}
    return event


def _clip(site: Site, clip: Clip) -> dict[str, Any]:
    return {"@type": "Clip", "@id": site.asset_page(clip.record.asset_id),
            "name": clip.record.title, "url": site.asset_page(clip.record.asset_id),
            "startOffset": clip.start, "endOffset": clip.end}


def _people(asset: Asset) -> list[dict[str, Any]]:
    out = []
    for sp in asset.speakers:
        if sp.name:
            who: dict[str, Any] = {"@type": "Person", "name": sp.name}
            if sp.role:
                who["jobTitle"] = sp.role
            if sp.affiliation:
                who["affiliation"] = {"@type": "Organization", "name": sp.affiliation}
            out.append(who)
        elif sp.affiliation:
            out.append({"@type": "Organization", "name": sp.affiliation})
    return out


def _media(asset: Asset, site: Site) -> dict[str, Any]:
    """contentUrl (the MP4 proxy, else HLS), thumbnailUrl, transcript and caption."""
    out: dict[str, Any] = {}
    proxy = formats.first(asset, formats.MP4, formats.HLS)
    if proxy and proxy.url:
        out["contentUrl"] = site.url(proxy.url)
        out["encodingFormat"] = proxy.media_type
    poster = formats.first(asset, formats.POSTER, formats.THUMBNAILS)
    if poster and poster.url:
        out["thumbnailUrl"] = site.url(poster.url)
    texts = [_media_object(site, f.url or "", f.media_type, f.language)
             for f in formats.transcripts(asset)]
    if texts:
        out["transcript"] = texts
        out["caption"] = [{"@id": t["@id"]} for t in texts]
    return out


def document(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> dict[str, Any]:
    """The JSON-LD object (compact form, `@context` schema.org)."""
    page = site.asset_page(asset.asset_id)
    doc: dict[str, Any] = {"@context": "https://schema.org", "@type": TYPES[asset.kind],
                           "@id": page, "url": page, "identifier": asset.asset_id,
                           "name": asset.title}
    desc = asset.summary or asset.description
    if desc:
        doc["description"] = desc
    if asset.duration_seconds is not None:
        doc["duration"] = formats.iso_duration(asset.duration_seconds)
    langs = [x for x in asset.available_languages if x != formats.FLOOR]
    if langs:
        doc["inLanguage"] = langs
    if asset.recorded_on:
        doc["dateCreated"] = asset.recorded_on.isoformat()
    upload = asset.created or asset.updated
    if upload:
        doc["uploadDate"] = upload.isoformat()
    if asset.updated:
        doc["dateModified"] = asset.updated.isoformat()
    doc.update(_media(asset, site))
    about = [{"@type": "Thing", "@id": f"{page}#subject-{s.id}", "name": s.label,
              "identifier": s.id} for kind in SUBJECT_KINDS for s in getattr(asset.subjects, kind)]
    if about:
        doc["about"] = about
    people = _people(asset)
    if people:
        doc["contributor"] = people
    event = _event(asset)
    if event:
        doc["recordedAt"] = event
    doc["publisher"] = {"@type": "Organization", "name": site.name, "url": site.base_url}
    if asset.parent_id:
        doc["isPartOf"] = {"@id": site.asset_page(asset.parent_id)}
    if clips:
        doc["hasPart"] = [_clip(site, c) for c in clips]
    return doc


def render(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """The JSON-LD document."""
    return json.dumps(document(asset, site, clips), ensure_ascii=False, indent=2).encode()


EXPORTER = Exporter("jsonld", "application/ld+json", render,
                    lambda site, asset_id: site.export(asset_id, "jsonld"),
                    "schema.org JSON-LD (VideoObject)")
