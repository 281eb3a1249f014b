"""IIIF Presentation 3 manifests (built with iiif-prezi3).

One Canvas with the recording's duration. Its painting annotations: the video (a
`Choice` of the HLS package and the MP4 proxy when both exist) and the audio, a `Choice`
of one `Sound` per language, each labelled in the six languages, so a viewer offers the
floor and every interpretation. Transcripts are `supplementing` annotations (WebVTT, one
per language). `structures` holds a Range of statement clips and a Range of speakers'
turns, each pointing at `canvas#t=start,end`. The poster is the thumbnail; `rendering`
lists the downloads; `seeAlso` the MARC, PBCore, Dublin Core and JSON-LD records;
`partOf` the meeting series' collection of that year. Resource ids are the `Site`'s
URLs (`/iiif/{id}/canvas`, `/iiif/{id}/canvas/page/…`, `/iiif/{id}/range/…`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

import iiif_prezi3 as p3

from hexaglot.domain import Asset, Format, format_duration
from hexaglot.domain.languages import language_name
from hexaglot.interop import formats, iiif_collection
from hexaglot.interop.exporter import Exporter, NotExportable
from hexaglot.interop.site import Clip, Site

KINDS = {"video": "Video", "audio": "Sound", "image": "Image", "text": "Text"}
SEE_ALSO = (("marcxml", "application/marcxml+xml", "http://www.loc.gov/MARC21/slim"),
            ("marc", "application/marc", None),
            ("pbcore", "application/xml", "http://www.pbcore.org/PBCore/PBCoreNamespace.html"),
            ("dc", "application/xml", "http://purl.org/dc/elements/1.1/"),
            ("jsonld", "application/ld+json", "https://schema.org/"))


def _kind(fmt: Format) -> str:
    if fmt.rendition == formats.HLS:
        return "Video"
    return KINDS.get(fmt.media_type.split("/")[0], "Dataset")


def _en(text: str) -> dict[str, list[str]]:
    return {"en": [text]}


def _six(code: str) -> dict[str, list[str]]:
    """A language's name as a IIIF label in the six languages."""
    return {lang: [name] for lang, name in formats.names_in_six(code).items()}


def _body(site: Site, fmt: Format, duration: float | None, label: dict[str, list[str]] | None,
          ) -> p3.AnnotationBody:
    kw: dict[str, Any] = {"id": site.url(fmt.url or ""), "type": _kind(fmt),
                          "format": fmt.media_type}
    if duration and _kind(fmt) in ("Video", "Sound"):
        kw["duration"] = duration
    if fmt.language:
        kw["language"] = "mul" if fmt.language == formats.FLOOR else fmt.language
    if label:
        kw["label"] = label
    return p3.AnnotationBody(**kw)


def _painting(site: Site, asset: Asset, canvas: str, duration: float) -> list[p3.Annotation]:
    out = []
    videos = [f for f in formats.of(asset, formats.HLS, formats.MP4) if f.url]
    audio = formats.audio_by_language(asset)
    groups = (("video", [_body(site, f, duration, None) for f in videos]),
              ("audio", [_body(site, f, duration, _six(lang))
                         for lang, f in audio.items()]))
    for name, bodies in groups:
        if not bodies:
            continue
        body = bodies[0] if len(bodies) == 1 else p3.Choice(items=bodies)
        out.append(p3.Annotation(id=site.iiif(asset.asset_id, f"canvas/annotation/{name}"),
                                 motivation="painting", body=body, target=canvas))
    return out


def _transcripts(site: Site, asset: Asset, canvas: str) -> list[p3.AnnotationPage]:
    notes = [p3.Annotation(
        id=site.iiif(asset.asset_id, f"canvas/annotation/transcript-{f.language}"),
        motivation="supplementing", target=canvas,
        body=_body(site, f, None, _six(f.language or "")))
        for f in formats.transcripts(asset)]
    if not notes:
        return []
    return [p3.AnnotationPage(id=site.iiif(asset.asset_id, "canvas/page/transcripts"),
                              items=notes)]


def _span(canvas: str, start: float, end: float, duration: float) -> p3.CanvasRef | None:
    start, end = max(0.0, start), min(end, duration)
    if start >= end:
        return None
    return p3.CanvasRef(id=f"{canvas}#t={start:g},{end:g}", type="Canvas")


def _turns(asset: Asset) -> Iterator[tuple[int, str, float, float]]:
    for n, sp in enumerate(asset.speakers, start=1):
        if sp.start is not None and sp.end is not None:
            who = ", ".join(x for x in (sp.name, sp.affiliation) if x) or f"Speaker {n}"
            yield n, who, sp.start, sp.end


def _ranges(site: Site, asset: Asset, canvas: str, duration: float,
            clips: Sequence[Clip]) -> list[p3.Range]:
    aid = asset.asset_id
    groups = [
        ("clips", "Statements", [(f"clip-{c.record.asset_id}", c.record.title, c.start, c.end)
                                 for c in clips]),
        ("speakers", "Speakers", [(f"speaker-{n}", f"{who} ({format_duration(round(s))})",
                                   s, e) for n, who, s, e in _turns(asset)]),
    ]
    out = []
    for key, title, spans in groups:
        items = []
        for rid, label, start, end in spans:
            ref = _span(canvas, start, end, duration)
            if ref is not None:
                items.append(p3.Range(id=site.iiif(aid, f"range/{rid}"), label=_en(label),
                                      items=[ref]))
        if items:
            out.append(p3.Range(id=site.iiif(aid, f"range/{key}"), label=_en(title),
                                items=items))
    return out


def _links(site: Site, asset: Asset) -> dict[str, Any]:
    downloads = [f for f in asset.formats if f.url and f.rendition not in formats.NOT_DOWNLOADS]
    rendering = [p3.LinkedResource(
        id=site.url(f.url or ""), type=_kind(f), format=f.media_type,
        label=_en(" ".join(x for x in (f.rendition, language_name(f.language) if f.language
                                       else None) if x)))
        for f in downloads]
    see_also = [p3.LinkedResource(id=site.export(asset.asset_id, name), type="Dataset",
                                  format=fmt, **({"profile": prof} if prof else {}))
                for name, fmt, prof in SEE_ALSO]
    out: dict[str, Any] = {"seeAlso": see_also,
                           "homepage": [p3.Homepage(id=site.asset_page(asset.asset_id),
                                                    type="Text", format="text/html",
                                                    label=_en(asset.title))]}
    if rendering:
        out["rendering"] = rendering
    poster = formats.first(asset, formats.POSTER, formats.THUMBNAILS)
    if poster and poster.url:
        out["thumbnail"] = [_body(site, poster, None, None)]
    series = iiif_collection.series_of(asset)
    if series:
        out["partOf"] = [p3.Class(id=site.collection(*series[:2]), type="Collection",
                                  label=_en(series[2]))]
    return out


def _metadata(asset: Asset) -> list[p3.KeyValueString]:
    m = asset.meeting
    pairs = [("Asset ID", asset.asset_id), ("Date", asset.recorded_on and
                                            asset.recorded_on.isoformat()),
             ("Duration", asset.duration), ("Body", m.body),
             ("Meeting", m.number and str(m.number)), ("Record symbol", m.record_symbol),
             ("Available languages", ", ".join(language_name(x)
                                               for x in asset.available_languages))]
    return [p3.KeyValueString(label=_en(k), value={"none": [v]}) for k, v in pairs if v]


def manifest(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> p3.Manifest:
    """The asset's manifest (raises `NotExportable` when it has no duration)."""
    if not asset.duration_seconds or asset.duration_seconds <= 0:
        raise NotExportable(f"asset {asset.asset_id} has no duration, so it has no IIIF "
                            "canvas (ingest its recording first)")
    duration = float(asset.duration_seconds)
    canvas = site.iiif(asset.asset_id, "canvas")
    label = _en(asset.title) | {lang: [tr.title] for lang, tr in asset.translations.items()
                                if tr.title}
    poster = formats.first(asset, formats.POSTER, formats.THUMBNAILS)
    page = p3.AnnotationPage(id=site.iiif(asset.asset_id, "canvas/page/painting"),
                             items=_painting(site, asset, canvas, duration))
    canvas_kw: dict[str, Any] = {"id": canvas, "label": label, "duration": duration,
                                 "items": [page]}
    if poster and poster.url:
        canvas_kw["thumbnail"] = [_body(site, poster, None, None)]
    notes = _transcripts(site, asset, canvas)
    if notes:
        canvas_kw["annotations"] = notes
    kw: dict[str, Any] = {"id": site.iiif(asset.asset_id), "label": label,
                          "metadata": _metadata(asset), "items": [p3.Canvas(**canvas_kw)],
                          "requiredStatement": p3.KeyValueString(label=_en("Attribution"),
                                                                 value=_en(site.name))}
    if asset.summary:
        kw["summary"] = _en(asset.summary)
    if asset.recorded_on:
        kw["navDate"] = f"{asset.recorded_on.isoformat()}T00:00:00Z"
    structures = _ranges(site, asset, canvas, duration, clips)
    if structures:
        kw["structures"] = structures
    return p3.Manifest(**kw, **_links(site, asset))


def render(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """The manifest as JSON-LD."""
    data = json.loads(manifest(asset, site, clips).json())
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


EXPORTER = Exporter("iiif", "application/ld+json;profile=\"http://iiif.io/api/presentation/3/"
                    "context.json\"", render, lambda site, asset_id: site.iiif(asset_id),
                    "IIIF Presentation 3 manifest")
