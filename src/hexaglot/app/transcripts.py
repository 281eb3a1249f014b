"""Transcripts as renditions: the one use case that runs whenever an asset's transcript
segments change (captions imported, a channel transcribed, a damaged file repaired).

Each language's transcript (its human cues where it has any, else its machine cues:
`domain.preferred_segments`) is written from the catalogue's segments as a WebVTT file
(`interop.webvtt`), stored as a blob and registered as the asset's `transcript` rendition
in that language (a `Format` with `media_type="text/vtt"` and its `RenditionFile`, served
as `/media/{id}/transcripts/{lang}.vtt`), in the same transaction as the segments it is
made from, with its preservation events. So the fixity audit re-reads transcripts like
any rendition file, bags carry them, IIIF manifests point at them, and a damaged one is
made again from the catalogue, byte for byte (the same segments give the same file). The
HLS master playlist lists the same files as subtitles (`hls_subtitles`).

`store_transcript` replaces the asset's segments of one track and origin (a machine
transcript never replaces a human one) and rewrites the files; whatever else stores
segments calls `write_transcripts(archive, tx, asset_id)` in its transaction. The asset is
locked for the transaction, so two channels finishing at once never drop each other's
file; a failure stores nothing (blobs written before it are orphans nothing names).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from itertools import groupby

from hexaglot.app.archive import Archive
from hexaglot.app.hls_subtitles import add_subtitles
from hexaglot.app.media import media_url
from hexaglot.app.preservation import event
from hexaglot.catalog import UnknownAsset, Writer
from hexaglot.domain import Format, RenditionFile, Segment, preferred_segments
from hexaglot.domain.events import PreservationEvent
from hexaglot.domain.languages import ordered
from hexaglot.interop import webvtt
from hexaglot.jobs.runner import Progress
from hexaglot.jobs.store import Job

TRANSCRIPT = "transcript"
MEDIA_TYPE = "text/vtt"
#: Called inside the transaction once the segments are stored (speaker turns use it).
AfterStore = Callable[[Writer], object]


def transcript_path(language: str) -> str:
    """Where a language's transcript is served under `/media/{id}/`."""
    return f"transcripts/{language}.vtt"


def _chosen(segments: Sequence[Segment]) -> dict[str, list[Segment]]:
    """Per language (catalogue order), the cues of its preferred transcript."""
    preferred = sorted(preferred_segments(list(segments)), key=lambda s: s.language)
    by = {lang: list(group) for lang, group in groupby(preferred, key=lambda s: s.language)}
    return {lang: by[lang] for lang in ordered(list(by))}


def write_transcripts(archive: Archive, tx: Writer, asset_id: str, action: str = "captions",
                      repaired: Sequence[str] = ()) -> list[Format]:
    """Write (in `tx`) every transcript file of an asset from its segments, replacing its
    `transcript` formats, and list them in the HLS master playlist; the events say which
    files changed (`repaired`: SHA-256s of damaged files this rewrites). Returns the
    transcript formats."""
    asset = tx.get(asset_id)
    if asset is None:
        raise UnknownAsset(asset_id)
    before = {f.language: f.sha256 for f in asset.formats if f.rendition == TRANSCRIPT}
    formats, files, events = [], [], []
    for lang, segs in _chosen(tx.segments(asset_id)).items():
        blob = archive.blobs.put(io.BytesIO(webvtt.render(segs)))
        path = transcript_path(lang)
        formats.append(Format(rendition=TRANSCRIPT, language=lang, media_type=MEDIA_TYPE,
                              size=blob.size, sha256=blob.sha256, url=media_url(asset_id, path)))
        files.append(RenditionFile(rendition=TRANSCRIPT, language=lang, path=path,
                                   media_type=MEDIA_TYPE, sha256=blob.sha256, size=blob.size))
        events += _events(asset_id, lang, segs, blob.sha256, before.get(lang), action, repaired)
    files += add_subtitles(tx, archive, asset_id, files)
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


def store_transcript(archive: Archive, asset_id: str, track: str, origin: str,
                     segments: list[Segment], action: str = "captions",
                     after: AfterStore | None = None) -> int:
    """Make `segments` the asset's `origin` transcript of `track` (none: it is dropped),
    then rewrite the transcript files; returns how many segments were stored."""
    with archive.catalog.transaction() as tx:
        tx.lock(asset_id)
        n = tx.replace_segments(asset_id, track, origin, segments)
        if after is not None:
            after(tx)
        write_transcripts(archive, tx, asset_id, action)
    archive.changed()
    return n


def rewrite_transcripts(archive: Archive, asset_id: str, action: str = "transcripts",
                        repaired: Sequence[str] = ()) -> list[Format]:
    """Write the transcript files again from the stored segments (a repair, say); the
    transcript formats."""
    with archive.catalog.transaction() as tx:
        tx.lock(asset_id)
        formats = write_transcripts(archive, tx, asset_id, action, repaired)
    archive.changed()
    return formats


def run_transcripts(archive: Archive, job: Job, progress: Progress) -> None:
    """The `transcripts` job: (re)write an asset's transcript files from its segments."""
    progress(0.0, "writing transcripts")
    rewrite_transcripts(archive, job.asset_id or "", "transcripts",
                        job.params.get("repair") or ())
