"""Import time-coded captions (WebVTT, SRT) as an asset's human transcript in a language:
its segments, and its transcript file (`app.transcripts`), in one transaction."""

from __future__ import annotations

from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.app.transcripts import write_transcripts
from hexaglot.app.viewing import valid_id
from hexaglot.catalog import UnknownAsset
from hexaglot.domain.languages import language_code
from hexaglot.errors import BadInput
from hexaglot.search.captions import CaptionError, read_captions

__all__ = ["CaptionError", "import_captions"]


def import_captions(archive: Archive, asset_id: str, path: Path, language: str,
                    speaker: str | None = None) -> tuple[str, int]:
    """Store the cues of a caption file; returns (language code, how many cues)."""
    code = language_code(language)
    if code is None or code == "original":
        raise BadInput(f"--language {language!r}: not one of ar zh en fr ru es")
    if archive.catalog.get(valid_id(asset_id)) is None:
        raise UnknownAsset(asset_id)
    segments = read_captions(path, asset_id, code, speaker)
    with archive.catalog.transaction() as tx:
        n = tx.add_segments(asset_id, segments)
        write_transcripts(archive, tx, asset_id)
    archive.changed()
    return code, n
