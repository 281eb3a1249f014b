"""The interface in the six official languages: gettext catalogues (Babel), dates, durations
and sizes in the reader's language, and which language a request is read in.

The catalogues are `web/locale/<lang>/LC_MESSAGES/hexaglot.po` (English is the source
language: its messages are the msgids). They are compiled in memory the first time a
language is used, so there is no `.mo` to build or to keep in step; `make messages`
extracts new strings from the templates and code and merges them into every `.po`.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import lru_cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal

from hexaglot.domain.languages import OFFICIAL_LANGUAGES

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "hexaglot"
#: The interface languages: the six official languages, English the source.
LANGUAGES: tuple[str, ...] = OFFICIAL_LANGUAGES
SOURCE_LANGUAGE = "en"
RTL = {"ar"}
#: The query parameter and the cookie that keep the reader's choice.
PARAM = COOKIE = "hl"
COOKIE_SECONDS = 365 * 24 * 3600


def catalogue_path(lang: str) -> Path:
    """The `.po` file of an interface language."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> NullTranslations:
    """The gettext translations of an interface language (English: the msgids as they are)."""
    if lang == SOURCE_LANGUAGE or lang not in LANGUAGES:
        return NullTranslations()
    with catalogue_path(lang).open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return GNUTranslations(compiled)


def pick_language(requested: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The interface language: `?hl=` first, then the reader's cookie, then the browser's
    Accept-Language, else English."""
    for choice in (requested, cookie):
        if choice and choice in LANGUAGES:
            return choice
    for part in (accept_language or "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def direction(lang: str) -> str:
    """`rtl` for Arabic, else `ltr`."""
    return "rtl" if lang in RTL else "ltr"


def _locale(lang: str) -> Locale:
    return Locale.parse(lang if lang in LANGUAGES else SOURCE_LANGUAGE)


def format_day(day: date | str | None, lang: str, form: str = "long") -> str:
    """A date (or an ISO date string) as the reader's language writes it (`16 février
    2022`, `2022年2月16日`)."""
    if isinstance(day, str):
        try:
            day = date.fromisoformat(day)
        except ValueError:
            return str(day)
    return babel_date(day, format=form, locale=_locale(lang)) if day else ""


def format_moment(when: datetime | None, lang: str) -> str:
    """A date and time in the reader's language."""
    return babel_datetime(when, format="medium", locale=_locale(lang)) if when else ""


def format_month(year: int, month: int, lang: str) -> str:
    """A month of a year (`février 2022`)."""
    return babel_date(date(year, month, 1), format="LLLL y", locale=_locale(lang))


def format_clock(seconds: float | None) -> str:
    """A time into a recording as `H:MM:SS` (or `M:SS` under an hour)."""
    if seconds is None:
        return ""
    h, m, s = _hours_minutes_seconds(seconds)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _hours_minutes_seconds(seconds: float) -> tuple[int, int, int]:
    """Whole hours, minutes and seconds of a span."""
    h, rest = divmod(int(seconds), 3600)
    m, s = divmod(rest, 60)
    return h, m, s


def format_number(value: int | float, lang: str) -> str:
    """A number with the reader's digit grouping."""
    return format_decimal(value, locale=_locale(lang))


_UNITS = ("B", "kB", "MB", "GB", "TB")


def format_size(size: int | None, lang: str) -> str:
    """A file size in decimal units (`1.9 MB`, `1,9 MB`)."""
    if size is None:
        return ""
    value, unit = float(size), 0
    while value >= 1000 and unit < len(_UNITS) - 1:
        value, unit = value / 1000, unit + 1
    shown = format_decimal(round(value, 1) if unit else int(value), format="#,##0.#",
                           locale=_locale(lang))
    return f"{shown} {_UNITS[unit]}"


def iso_duration(seconds: float | None) -> str:
    """An ISO 8601 duration (`PT2H42M43S`) for `<time datetime>` and schema.org."""
    if seconds is None:
        return ""
    h, m, s = _hours_minutes_seconds(seconds)
    return f"PT{h}H{m}M{s}S"
