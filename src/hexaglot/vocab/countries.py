"""UN Member and observer States (and other ISO 3166 territories) as geographic concepts.

English names, translations and codes come from pycountry (its gettext catalogues of
ISO 3166-1); `data/states.yaml` adds the UN short forms where they differ, aliases and
adjectives."""

from __future__ import annotations

import gettext
import re
from functools import cache

import pycountry

from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.vocab.concepts import Concept, labels_from_list, load_data

_GETTEXT_LANG = {"ar": "ar", "zh": "zh_CN", "ru": "ru", "fr": "fr", "es": "es"}
_ARABIC_MARKS = re.compile("[\u064b-\u0652]")


@cache
def _translator(lang: str) -> gettext.NullTranslations:
    return gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=[_GETTEXT_LANG[lang]], fallback=True
    )


def _uninvert(name: str, lang: str) -> str:
    """`Corée, République de` -> `République de Corée` (ISO lists names inverted)."""
    sep = "، " if lang == "ar" else ", "
    if sep not in name:
        return name
    head, tail = name.split(sep, 1)
    if lang == "ar" and head in tail:
        return tail
    joiner = "" if tail.endswith(("d'", "d’")) else " "
    return f"{tail}{joiner}{head}"


def _translate(english: str, lang: str) -> str:
    text = _translator(lang).gettext(english)
    text = _uninvert(text, lang)
    if lang == "ar":
        text = _ARABIC_MARKS.sub("", text)
    return text


def _english_name(country: object) -> str | None:
    name = getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]
    return None if "," in name else name


@cache
def states() -> tuple[Concept, ...]:
    """Every State and territory as a geographic concept with id = ISO alpha-3.

    `extra["status"]` is `member`, `observer` or `territory`."""
    data = load_data("states.yaml")
    members = set(data["members"].split())
    observers = set(data["observers"].split())
    names: dict[str, list[str]] = data.get("names") or {}
    aliases: dict[str, list[str]] = data.get("aliases") or {}
    adjectives: dict[str, list[str]] = data.get("adjectives") or {}
    out = []
    for country in pycountry.countries:
        code = country.alpha_3
        status = "member" if code in members else "observer" if code in observers else "territory"
        if code in names:
            labels = labels_from_list(names[code])
        else:
            english = _english_name(country)
            if english is None:
                continue
            labels = {lang: english if lang == "en" else _translate(country.name, lang)
                      for lang in OFFICIAL_LANGUAGES}
        pyforms = {country.name, getattr(country, "official_name", None),
                   getattr(country, "common_name", None)}
        forms = [labels["en"], *aliases.get(code, [])]
        forms += [f for f in pyforms if f and "," not in f and f not in forms]
        searchable = sorted({*forms, *labels.values(), code, country.alpha_2} - {labels["en"]})
        out.append(Concept(
            id=code, kind="geographic", label=labels["en"], labels=labels,
            aliases=tuple(searchable), forms=tuple(forms),
            adjectives=tuple(adjectives.get(code, [])), extra={"status": status},
        ))
    return tuple(out)
