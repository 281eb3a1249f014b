"""Transcripts as renditions: the one use case that runs whenever an asset's transcript
segments change (captions imported, a channel transcribed).

`store_transcript` replaces the asset's segments of one track and origin and, in the same
transaction, (re)writes the `transcript` rendition: per language a WebVTT file made from
the transcript preferred in that language (human over machine, `preferred_segments`),
stored as a content-addressed blob and registered like every rendition (a `Format` with
`rendition="transcript"`, `media_type="text/vtt"`, its `language`, and its
`RenditionFile` in the manifest, served as `/media/<asset_id>/transcripts/<lang>.vtt`). The HLS
master playlist lists the same files as subtitles (`hls_subtitles`). `rewrite_transcripts`
writes the rendition again from the stored segments (after a repair, or a new derive).

The asset is locked for the transaction, so two channels finishing at once never drop
each other's file; a failure stores nothing (blobs written before it are orphans nothing
names). A machine transcript never replaces a human one: segments are replaced per origin.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from itertools import groupby

from hexaglot.app.archive import Archive
from hexaglot.app.hls_subtitles import add_subtitles
from hexaglot.app.media import media_url
from hexaglot.catalog import Writer
from hexaglot.domain import Format, RenditionFile, Segment, preferred_segments
from hexaglot.domain.languages import ordered
from hexaglot.speech.contract import SpeechSegment
from hexaglot.speech.vtt import MEDIA_TYPE, to_webvtt

#: The rendition name of transcripts (one format per language).
TRANSCRIPT = "transcript"
#: Called inside the transaction once the segments are stored (speaker turns use it).
AfterStore = Callable[[Writer], object]


def _speech(segment: Segment) -> SpeechSegment:
    return SpeechSegment(segment.start, segment.end, segment.text, segment.language,
                         segment.model or "", segment.confidence or 0.0)


def _note(segments: list[Segment]) -> str:
    if all(s.origin == "human" for s in segments):
        return "human transcript"
    models = sorted({s.model for s in segments if s.model})
    return f"machine transcript ({', '.join(models) or 'unknown model'})"


def webvtt_of(segments: list[Segment]) -> bytes:
    """The WebVTT file of one language's segments (the same segments, the same bytes)."""
    return to_webvtt([_speech(s) for s in segments], note=_note(segments)).encode("utf-8")


def transcript_path(language: str) -> str:
    """Where a language's transcript is served under `/media/{id}/`."""
    return f"transcripts/{language}.vtt"


def transcript_files(archive: Archive, asset_id: str, segments: list[Segment]
                     ) -> tuple[list[Format], list[RenditionFile]]:
    """Store the WebVTT file of every language of `segments` (already the preferred ones);
    the formats and files that register them."""
    formats: list[Format] = []
    files: list[RenditionFile] = []
    by_language = {lang: list(group) for lang, group in
                   groupby(sorted(segments, key=lambda s: s.language), key=lambda s: s.language)}
    for language in ordered(list(by_language)):
        blob = archive.blobs.put(io.BytesIO(webvtt_of(by_language[language])))
        path = transcript_path(language)
        files.append(RenditionFile(rendition=TRANSCRIPT, language=language, path=path,
                                   media_type=MEDIA_TYPE, sha256=blob.sha256, size=blob.size))
        formats.append(Format(rendition=TRANSCRIPT, language=language, media_type=MEDIA_TYPE,
                              size=blob.size, sha256=blob.sha256,
                              url=media_url(asset_id, path)))
    return formats, files


def write_transcripts(archive: Archive, tx: Writer, asset_id: str) -> list[Format]:
    """(Re)write the transcript rendition of every language from the segments as `tx`
    sees them, and the HLS master playlist's subtitles; the transcript formats."""
    formats, files = transcript_files(archive, asset_id, preferred_segments(
        tx.segments(asset_id)))
    files += add_subtitles(tx, archive, asset_id, files)
    tx.replace_formats(asset_id, {TRANSCRIPT}, formats, files)
    return formats


def store_transcript(archive: Archive, asset_id: str, track: str, origin: str,
                     segments: list[Segment], after: AfterStore | None = None) -> int:
    """Make `segments` the asset's `origin` transcript of `track` (none: it is dropped),
    then rewrite the transcript rendition; returns how many segments were stored."""
    with archive.catalog.transaction() as tx:
        tx.lock(asset_id)
        n = tx.replace_segments(asset_id, track, origin, segments)
        if after is not None:
            after(tx)
        write_transcripts(archive, tx, asset_id)
    archive.changed()
    return n


def rewrite_transcripts(archive: Archive, asset_id: str) -> list[Format]:
    """Write the transcript rendition again from the stored segments (a file that failed
    its fixity check, a new HLS package); the transcript formats."""
    with archive.catalog.transaction() as tx:
        tx.lock(asset_id)
        formats = write_transcripts(archive, tx, asset_id)
    archive.changed()
    return formats
