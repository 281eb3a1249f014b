"""Transcripts as files: each language's transcript (its human cues, else its machine
cues) is written from the catalogue's segments as a WebVTT file (`interop.webvtt`),
stored as a blob and registered as the asset's `transcript` rendition in that language
(`/media/{id}/transcripts/{lang}.vtt`), in the same transaction as the segments it is
made from. So the fixity audit re-reads transcripts like any rendition file, bags carry
them, IIIF manifests point at them, and a damaged one is made again from the catalogue,
byte for byte (the same segments give the same file).

Whatever stores segments (imported captions today, speech-to-text tomorrow) calls
`write_transcripts(archive, tx, asset_id)` in its transaction.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from hexaglot.app.archive import Archive
from hexaglot.app.deriving import media_url
from hexaglot.app.preservation import event
from hexaglot.catalog import UnknownAsset, Writer
from hexaglot.domain import Format, RenditionFile, Segment
from hexaglot.domain.events import PreservationEvent
from hexaglot.domain.languages import ordered
from hexaglot.interop import webvtt
from hexaglot.jobs.runner import Progress
from hexaglot.jobs.store import Job

TRANSCRIPT = "transcript"
MEDIA_TYPE = "text/vtt"


def transcript_path(language: str) -> str:
    """Where a language's transcript is served under `/media/{id}/`."""
    return f"transcripts/{language}.vtt"


def _chosen(segments: Sequence[Segment]) -> dict[str, list[Segment]]:
    """Per language, its human cues if it has any, else its machine cues."""
    by: dict[str, dict[str, list[Segment]]] = {}
    for seg in segments:
        by.setdefault(seg.language, {}).setdefault(seg.origin, []).append(seg)
    return {lang: by[lang].get("human") or by[lang].get("machine") or []
            for lang in ordered(list(by))}


def write_transcripts(archive: Archive, tx: Writer, asset_id: str, action: str = "captions",
                      repaired: Sequence[str] = ()) -> list[Format]:
    """Write (in `tx`) every transcript file of an asset from its segments, replacing its
    `transcript` formats; the events say which files changed (`repaired`: SHA-256s of
    damaged files this rewrites). Returns the transcript formats."""
    asset = tx.get(asset_id)
    if asset is None:
        raise UnknownAsset(asset_id)
    before = {f.language: f.sha256 for f in asset.formats if f.rendition == TRANSCRIPT}
    formats, files, events = [], [], []
    for lang, segs in _chosen(tx.segments(asset_id)).items():
        data = webvtt.render(segs)
        blob = archive.blobs.put(io.BytesIO(data))
        path = transcript_path(lang)
        formats.append(Format(rendition=TRANSCRIPT, language=lang, media_type=MEDIA_TYPE,
                              size=blob.size, sha256=blob.sha256, url=media_url(asset_id, path)))
        files.append(RenditionFile(rendition=TRANSCRIPT, language=lang, path=path,
                                   media_type=MEDIA_TYPE, sha256=blob.sha256, size=blob.size))
        events += _events(asset_id, lang, segs, blob.sha256, before.get(lang), action, repaired)
    tx.replace_formats(asset_id, {TRANSCRIPT}, formats, files)
    archive.events.append(events, session=tx.session)
    return formats


def _events(asset_id: str, lang: str, segs: list[Segment], sha: str, old: str | None,
            action: str, repaired: Sequence[str]) -> list[PreservationEvent]:
    if old in repaired:
        return [event(asset_id, "repair", action, f"damaged transcript {lang} "
                      f"({transcript_path(lang)}) written again from its {len(segs)} cues",
                      sha256=sha)]
    if sha == old:
        return []
    return [event(asset_id, "derivation", action, f"transcript {lang} written as WebVTT "
                  f"({transcript_path(lang)}) from {len(segs)} {segs[0].origin} cues",
                  sha256=sha)]


def run_transcripts(archive: Archive, job: Job, progress: Progress) -> None:
    """The `transcripts` job: (re)write an asset's transcript files from its segments."""
    progress(0.0, "writing transcripts")
    with archive.catalog.transaction() as tx:
        write_transcripts(archive, tx, job.asset_id or "", "transcripts",
                          job.params.get("repair") or ())
    archive.changed()
