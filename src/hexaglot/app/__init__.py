"""The use cases of the archive, and the only place that wires services together.

One module per use case: `archive` (open an archive; `Archive.changed` brings the index in
step after every write), `importing` (catalogue pages, press summaries), `ingesting`
(masters), `deriving` (renditions, a job kind), `transcribing` (speech to text, a job
kind), `transcripts` (the WebVTT rendition whenever segments change, with
`hls_subtitles`), `turns` (speaker turns, turn to clip), `clipping` (statement clips),
`editing` (a cataloguer's edits), `captions`, `extracting` (drafts, stored nowhere),
`viewing` (what a viewer may see), `searching`, `browsing` (lists by body, year, country,
speaker, subject, as searches), `citing` (symbols to meetings, citations), `labels`,
`media` (files over HTTP), `excerpting` (downloads of one language, whole or a range), `indexing`
(reindex), `jobs` (job kinds and workers) and `demo`. The CLI and the web app call these and nothing below.
"""

from hexaglot.app.archive import Archive, open_archive

__all__ = ["Archive", "open_archive"]
