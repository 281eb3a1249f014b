"""Text analysis shared by both engines: the same tokens at index and at query time.

Words are folded (case and diacritics), then stemmed with Snowball in their language
(Arabic, English, French, Spanish and Russian; the script decides for Arabic and Cyrillic
words, the text's declared language for Latin ones). Chinese runs become character bigrams.
Document symbols (`S/PV.8967`, `S/RES/2645 (2022)`, `SC/14798`, `A/73/L.63`) are kept whole
as one token each, so they match exactly as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import Stemmer

from hexaglot.domain.text import fold

#: Languages whose Latin-script words a query may be in: a query word is looked up in each.
LATIN_LANGUAGES: tuple[str, ...] = ("en", "fr", "es")
_STEMMERS = {"ar": "arabic", "en": "english", "fr": "french", "es": "spanish", "ru": "russian"}

#: A UN document symbol as written in running text: `S/PV.8967`, `S/RES/2645 (2022)`.
SYMBOL = re.compile(r"\b[A-Z]{1,6}(?:/[A-Z0-9][A-Za-z0-9.\-]*)+(?:\s?\(\d{4}\))?")
#: Queries may type a symbol in lower case; then it must hold a digit (not `and/or`).
QUERY_SYMBOL = re.compile(r"(?i)\b[a-z]{1,6}(?:/[a-z0-9][a-z0-9.\-]*)+(?:\s?\(\d{4}\))?")
_WORD = re.compile(r"\w+")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")


#: Longer words and symbols are not indexed (no language has such words; both engines
#: and the query parser apply the same bound, and PostgreSQL refuses huge lexemes).
MAX_TOKEN_CHARS = 120


def normalize_symbol(symbol: str) -> str:
    """The index token of a document symbol: folded, without spaces or a trailing dot."""
    return re.sub(r"\s+", "", symbol).rstrip(".-").casefold()


def symbol_tokens(symbol: str) -> list[str]:
    """Tokens a symbol is indexed under: itself, and without its `(YEAR)` if it has one."""
    token = normalize_symbol(symbol)
    base = re.sub(r"\(\d{4}\)$", "", token)
    return [token] if base == token else [token, base]


def find_symbols(text: str) -> list[str]:
    """Document symbols written in `text`, in order."""
    if "/" not in text:
        return []
    return [m.group(0).rstrip(".-") for m in SYMBOL.finditer(text)]


@lru_cache(maxsize=8)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(_STEMMERS[lang])
    stemmer.maxCacheSize = 500_000  # a large archive's vocabulary: purging is costly
    return stemmer


def word_language(word: str, declared: str | None) -> str | None:
    """The stemming language of one folded word: by script, else the declared language."""
    if _CYRILLIC.search(word):
        return "ru"
    if _ARABIC.search(word):
        return "ar"
    if declared in LATIN_LANGUAGES:
        return declared
    return "en"


def bigrams(run: str) -> list[str]:
    """Character bigrams of a Chinese run (the run itself when it is one character)."""
    return [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]


def word_tokens(word: str, lang: str | None) -> list[str]:
    """Index tokens of one `\\w+` word (several for a Chinese run)."""
    if _HAN.search(word):
        out: list[str] = []
        pos = 0
        for m in _HAN.finditer(word):
            if m.start() > pos:
                out.extend(word_tokens(word[pos : m.start()], lang))
            out.extend(bigrams(m.group(0)))
            pos = m.end()
        if pos < len(word):
            out.extend(word_tokens(word[pos:], lang))
        return out
    folded = fold(word)
    if not folded:
        return []
    wl = word_language(folded, lang)
    return [_stemmer(wl).stemWord(folded) if wl else folded]


def iter_words(text: str) -> Iterator[re.Match[str]]:
    """The `\\w+` words of a text with their offsets."""
    return _WORD.finditer(text)


def folded_word_tokens(words: list[str], lang: str | None, han: bool = True
                       ) -> list[list[str]]:
    """Index tokens of each already-folded word (Snowball in batches, one call a language;
    `han=False` when the words hold no Chinese)."""
    out: list[list[str]] = [[] for _ in words]
    groups: dict[str, list[int]] = {}
    for i, word in enumerate(words):
        if han and _HAN.search(word):
            out[i] = word_tokens(word, lang)
        else:
            groups.setdefault(word_language(word, lang) or "en", []).append(i)
    for wl, idx in groups.items():
        for i, stem in zip(idx, _stemmer(wl).stemWords([words[i] for i in idx]), strict=True):
            out[i] = [stem]
    return out


def _analyse(text: str, lang: str | None) -> list[str]:
    folded = fold(text)
    words = _WORD.findall(folded)
    latin = lang if lang in LATIN_LANGUAGES else "en"
    if folded.isascii():
        out = _stemmer(latin).stemWords(words)
    else:
        han = _HAN.search(folded) is not None
        if not han and not _CYRILLIC.search(folded) and not _ARABIC.search(folded):
            out = _stemmer(latin).stemWords(words)
        else:
            out = [t for toks in folded_word_tokens(words, lang, han) for t in toks]
    if "/" in text:
        for symbol in find_symbols(text):
            out.extend(symbol_tokens(symbol))
    return [t for t in out if len(t) <= MAX_TOKEN_CHARS]


@lru_cache(maxsize=65_536)
def _short(text: str, lang: str | None) -> tuple[str, ...]:
    return tuple(_analyse(text, lang))


def tokens(text: str | None, lang: str | None = "en") -> list[str]:
    """Index tokens of a text written in `lang`: its words, then its document symbols."""
    if not text:
        return []
    if len(text) <= 120:  # names and labels repeat from record to record
        return list(_short(text, lang))
    return _analyse(text, lang)


def query_variants(text: str) -> list[tuple[str, ...]]:
    """The token sequences a query word or phrase may stand for: one per Latin language
    (duplicates removed). Cyrillic, Arabic and Chinese words are the same in all."""
    seen: dict[tuple[str, ...], None] = {}
    for lang in LATIN_LANGUAGES:
        seq = tuple(t for m in _WORD.finditer(text) for t in word_tokens(m.group(0), lang))
        if seq:
            seen.setdefault(seq, None)
    return list(seen)
