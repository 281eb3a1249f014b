"""What the exporters read from a record's formats and languages, in one place.

- `marc_language`: the MARC (ISO 639-2/B) code of an audio language: `zh` -> `chi`,
  `fr` -> `fre`; the floor (`original`) is `mul` (multiple languages).
- `tracks`: the audio languages a format carries. The master and the HLS package carry
  every language of the asset (`available_languages`); an MP4 proxy carries its
  preview language; an audio download or a transcript its own `language`.
- `iso_duration`: seconds as ISO 8601 (`PT2H42M43S`).
"""

from __future__ import annotations

from functools import cache

import pycountry

from hexaglot.domain import Asset, Format
from hexaglot.domain.languages import OFFICIAL_LANGUAGES, language_name, ordered

MASTER = "master"
HLS = "hls"
MP4 = "mp4"
TRANSCRIPT = "transcript"
POSTER = "poster"
THUMBNAILS = "thumbnails"
#: Renditions with every audio language of the asset.
ALL_TRACKS = frozenset({MASTER, HLS})
#: Renditions that are not downloads (playback packages, previews, data for the player).
NOT_DOWNLOADS = frozenset({MASTER, HLS, POSTER, THUMBNAILS, "waveform"})
#: Audio downloads in order of preference for playback.
AUDIO = ("audio-m4a", "audio-mp3")
FLOOR = "original"


@cache
def marc_language(code: str) -> str:
    """The MARC language code of an audio language or BCP 47 code (`mul` for the floor,
    `und` for a code ISO 639 does not know)."""
    if code == FLOOR:
        return "mul"
    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else \
        pycountry.languages.get(alpha_3=code)
    if lang is None:
        return "und"
    return str(getattr(lang, "bibliographic", None) or lang.alpha_3)


def tracks(asset: Asset, fmt: Format) -> list[str]:
    """The audio languages (`original`, `ar`, …) a format carries, in catalogue order."""
    if fmt.rendition in ALL_TRACKS:
        return ordered(asset.available_languages)
    if fmt.media_type.startswith(("audio/", "video/", "text/")) and fmt.language:
        return [fmt.language]
    return []


def of(asset: Asset, *renditions: str) -> list[Format]:
    """The formats of these renditions, in the record's order."""
    return [f for f in asset.formats if f.rendition in renditions]


def first(asset: Asset, *renditions: str) -> Format | None:
    """The first format of the first of these renditions the asset has."""
    for name in renditions:
        hit = of(asset, name)
        if hit:
            return hit[0]
    return None


def transcripts(asset: Asset) -> list[Format]:
    """The WebVTT transcripts, one per language, with a URL."""
    return [f for f in of(asset, TRANSCRIPT) if f.url and f.language]


def audio_by_language(asset: Asset) -> dict[str, Format]:
    """One playable audio-only format per language (M4A before MP3), catalogue order."""
    found: dict[str, Format] = {}
    for name in AUDIO:
        for f in of(asset, name):
            if f.language and f.url and f.language not in found:
                found[f.language] = f
    return {lang: found[lang] for lang in ordered(list(found))}


def names_in_six(code: str) -> dict[str, str]:
    """A language's name in each of the six interface languages."""
    return {lang: language_name(code, lang) for lang in OFFICIAL_LANGUAGES}


def iso_duration(seconds: float) -> str:
    """Seconds as an ISO 8601 duration: 9763 -> `PT2H42M43S`, 0 -> `PT0S`."""
    whole = round(seconds, 3)
    h, rest = divmod(int(whole), 3600)
    m, s = divmod(rest, 60)
    frac = round(whole - int(whole), 3)
    sec = f"{s + frac:g}" if frac else str(s)
    text = "".join(f"{v}{u}" for v, u in ((h, "H"), (m, "M")) if v)
    return f"PT{text}{sec}S" if (s or frac or not text) else f"PT{text}"
