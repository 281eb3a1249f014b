"""The audio languages of a meeting recording: the floor and the six official languages."""

from __future__ import annotations

#: The six official languages of the United Nations, as BCP 47 codes, in catalogue order.
OFFICIAL_LANGUAGES: tuple[str, ...] = ("ar", "zh", "en", "fr", "ru", "es")

#: Every audio track a meeting may carry: the floor ("original") then the six.
AUDIO_LANGUAGES: tuple[str, ...] = ("original", *OFFICIAL_LANGUAGES)

#: The label the catalogue uses for "all six official languages".
SIX_OFFICIAL = "Six Official"

#: English names as the catalogue page writes them.
LANGUAGE_NAMES: dict[str, str] = {
    "original": "Original",
    "ar": "Arabic",
    "zh": "Chinese",
    "en": "English",
    "fr": "French",
    "ru": "Russian",
    "es": "Spanish",
}

#: Each language's name in each interface language (the page speaks all six).
LANGUAGE_NAMES_IN: dict[str, dict[str, str]] = {
    "en": LANGUAGE_NAMES,
    "fr": {"original": "Original", "ar": "Arabe", "zh": "Chinois", "en": "Anglais",
           "fr": "Français", "ru": "Russe", "es": "Espagnol"},
    "es": {"original": "Original", "ar": "Árabe", "zh": "Chino", "en": "Inglés",
           "fr": "Francés", "ru": "Ruso", "es": "Español"},
    "ru": {"original": "Оригинал", "ar": "Арабский", "zh": "Китайский", "en": "Английский",
           "fr": "Французский", "ru": "Русский", "es": "Испанский"},
    "zh": {"original": "原声", "ar": "阿拉伯文", "zh": "中文", "en": "英文",
           "fr": "法文", "ru": "俄文", "es": "西班牙文"},
    "ar": {"original": "الأصلية", "ar": "العربية", "zh": "الصينية", "en": "الإنكليزية",
           "fr": "الفرنسية", "ru": "الروسية", "es": "الإسبانية"},
}

_BY_NAME = {name.casefold(): code for code, name in LANGUAGE_NAMES.items()}
_ISO639_2 = {"ara": "ar", "zho": "zh", "chi": "zh", "eng": "en", "fra": "fr", "fre": "fr",
             "rus": "ru", "spa": "es", "mul": "original", "und": "original", "mis": "original",
             "orig": "original", "floor": "original"}


def language_code(value: str) -> str | None:
    """Return the audio-language code for a name (`French`), code (`fr`) or ISO 639-2 tag
    (`fra`); None when the value names no audio language of the archive."""
    key = value.strip().casefold()
    if key in AUDIO_LANGUAGES:
        return key
    return _BY_NAME.get(key) or _ISO639_2.get(key)


def language_name(code: str, in_language: str = "en") -> str:
    """The human name of an audio language in an interface language."""
    names = LANGUAGE_NAMES_IN.get(in_language, LANGUAGE_NAMES)
    return names.get(code, code)


def preview_of(preview_language: str | None, languages: list[str]) -> str:
    """The audio language a player starts on: the asset's preview language when the
    recording has it, else the floor, else the first track."""
    code = language_code(preview_language) if preview_language else None
    if code is not None and code in languages:
        return code
    return "original" if "original" in languages else languages[0]


def ordered(codes: list[str] | set[str]) -> list[str]:
    """Sort language codes in catalogue order (original first, then ar zh en fr ru es)."""
    rank = {c: i for i, c in enumerate(AUDIO_LANGUAGES)}
    return sorted(set(codes), key=lambda c: (rank.get(c, len(rank)), c))
