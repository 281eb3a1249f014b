"""The transcripts as HLS subtitles: the asset's HLS master playlist lists each WebVTT
transcript as a subtitle rendition, a one-file media playlist beside the master.

Run inside the transcript use case's transaction (`app.transcripts.write_transcripts`),
and so again after every derive: the master playlist is rewritten (a new blob registered
under the same path) and the subtitle playlists are registered as files of the
`transcript` rendition, so they come and go with the transcripts.
"""

from __future__ import annotations

import io
import posixpath

from hexaglot.app.archive import Archive
from hexaglot.catalog import Writer
from hexaglot.domain import RenditionFile
from hexaglot.media.playlist import SubtitleRendition, subtitle_playlist, with_subtitles

MASTER = "hls/master.m3u8"
PLAYLIST_TYPE = "application/vnd.apple.mpegurl"


def _span(archive: Archive, asset_id: str) -> float:
    master = archive.catalog.master(asset_id)
    if master is None:
        return 0.0
    return (master.end if master.end is not None else master.duration) - master.start


def add_subtitles(tx: Writer, archive: Archive, asset_id: str,
                  transcripts: list[RenditionFile]) -> list[RenditionFile]:
    """Rewrite the HLS master playlist (if the asset has one) to list `transcripts` (the
    WebVTT files being registered) as subtitles; the subtitle playlists to register with
    them (none without an HLS package)."""
    master = next((f for f in tx.rendition_files(asset_id, "hls")
                   if f.path.endswith("/" + MASTER)), None)
    if master is None:
        return []
    folder = posixpath.dirname(master.path)
    duration = _span(archive, asset_id)
    files: list[RenditionFile] = []
    subtitles: list[SubtitleRendition] = []
    for vtt in transcripts:
        name = f"subtitles-{vtt.language}.m3u8"
        text = subtitle_playlist(posixpath.relpath(vtt.path, folder), duration)
        blob = archive.blobs.put(io.BytesIO(text.encode("utf-8")))
        files.append(RenditionFile(rendition=vtt.rendition, language=vtt.language,
                                   path=f"{folder}/{name}", media_type=PLAYLIST_TYPE,
                                   sha256=blob.sha256, size=blob.size))
        subtitles.append(SubtitleRendition(vtt.language or "original", name))
    with archive.blobs.open(master.sha256) as fh:
        current = fh.read().decode("utf-8")
    rewritten = with_subtitles(current, subtitles).encode("utf-8")
    if rewritten != current.encode("utf-8"):
        blob = archive.blobs.put(io.BytesIO(rewritten))
        tx.replace_file(asset_id, master.path, blob.sha256, blob.size)
    return files
