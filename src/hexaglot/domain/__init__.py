"""Pure records of the archive: no I/O."""

from hexaglot.domain.languages import AUDIO_LANGUAGES, LANGUAGE_NAMES, OFFICIAL_LANGUAGES
from hexaglot.domain.records import (
    Access,
    Asset,
    Format,
    Meeting,
    Segment,
    Speaker,
    Subject,
    Subjects,
    Translation,
    format_duration,
    parse_duration,
)

__all__ = [
    "AUDIO_LANGUAGES",
    "LANGUAGE_NAMES",
    "OFFICIAL_LANGUAGES",
    "Access",
    "Asset",
    "Format",
    "Meeting",
    "Segment",
    "Speaker",
    "Subject",
    "Subjects",
    "Translation",
    "format_duration",
    "parse_duration",
]
