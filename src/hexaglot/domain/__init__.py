"""Pure records of the archive and the rules about them: no I/O."""

from hexaglot.domain.access import Access, Audience, Visibility, own_visibility, parse_access
from hexaglot.domain.languages import AUDIO_LANGUAGES, LANGUAGE_NAMES, OFFICIAL_LANGUAGES
from hexaglot.domain.records import (
    ASSET_ID,
    Asset,
    Format,
    Master,
    Meeting,
    RenditionFile,
    Segment,
    Speaker,
    Subject,
    Subjects,
    Translation,
    check_asset_id,
    format_duration,
    parse_duration,
    preferred_segments,
)

__all__ = [
    "ASSET_ID",
    "AUDIO_LANGUAGES",
    "LANGUAGE_NAMES",
    "OFFICIAL_LANGUAGES",
    "Access",
    "Asset",
    "Audience",
    "Format",
    "Master",
    "Meeting",
    "RenditionFile",
    "Segment",
    "Speaker",
    "Subject",
    "Subjects",
    "Translation",
    "Visibility",
    "check_asset_id",
    "format_duration",
    "own_visibility",
    "parse_access",
    "parse_duration",
    "preferred_segments",
]
