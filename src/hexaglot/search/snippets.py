"""Highlighted snippets and hit assembly, the same for both engines."""

from __future__ import annotations

import math
import re
import string
from collections.abc import Mapping
from functools import lru_cache
from html import escape
from urllib.parse import quote

from hexaglot.domain.text import fold
from hexaglot.search.analysis import SYMBOL, folded_word_tokens, iter_words, symbol_tokens
from hexaglot.search.base import Hit, Moment

WINDOW = 220  # characters of context in a snippet
MAX_CHARS = 20_000  # of a text looked at for a snippet


_ASCII_WORD = frozenset(string.ascii_letters + string.digits + "_")
_WORD_END = re.compile(r"\w*")


@lru_cache(maxsize=1024)
def _heads(wanted: frozenset[str]
           ) -> tuple[re.Pattern[str] | None, frozenset[str], tuple[str, ...] | None]:
    """The pattern of ASCII words starting like a wanted token, the tokens' first three
    letters, and those heads as strings when they are all ASCII word characters (then
    `_word_starts` finds the same words faster); computed once per query, not per text."""
    ascii_heads = sorted({t[:3] for t in wanted if t.isascii()})
    heads = "|".join(sorted({re.escape(h) for h in ascii_heads}))
    plain = all(c in _ASCII_WORD for h in ascii_heads for c in h)
    return (re.compile(rf"\b(?:{heads})\w*") if heads else None,
            frozenset(t[:3] for t in wanted), tuple(ascii_heads) if plain else None)


def _word_starts(text: str, heads: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of every word of the ASCII `text` that begins with one of `heads`
    (ASCII word characters): what `\\b(?:heads)\\w*` finds, by `str.find`, several times
    faster than the regular expression on a long text."""
    starts = set()
    for head in heads:
        at = text.find(head)
        while at >= 0:
            if at == 0 or text[at - 1] not in _ASCII_WORD:
                starts.add(at)
            at = text.find(head, at + 1)
    return [(at, _WORD_END.match(text, at).end()) for at in sorted(starts)]  # type: ignore[union-attr]


def matches(text: str, lang: str | None, wanted: set[str]) -> list[tuple[int, int]]:
    """(start, end) of every word or symbol of `text` that a wanted token matches."""
    spans = [(m.start(), m.end()) for m in SYMBOL.finditer(text)
             if set(symbol_tokens(m.group(0))) & wanted] if "/" in text else []
    folded = fold(text)
    same = len(folded) == len(text)
    heads, prefixes, plain = _heads(frozenset(wanted))
    source = folded if same else text
    if same and folded.isascii():  # only words starting like a wanted token may match
        if plain is not None:
            found = _word_starts(folded, plain)
        else:
            found = [m.span() for m in heads.finditer(folded)] if heads else []
    else:
        found = [m.span() for m in iter_words(source)]
    words = [source[a:b] if same else fold(source[a:b]) for a, b in found]
    # Snowball keeps the first letters of a Latin word: stem only words that may match.
    maybe = [i for i, w in enumerate(words) if not w.isascii() or w[:3] in prefixes]
    for i, toks in zip(maybe, folded_word_tokens([words[i] for i in maybe], lang), strict=True):
        if not wanted.isdisjoint(toks):
            spans.append(found[i])
    return sorted(spans)


def _best_start(spans: list[tuple[int, int]], window: int) -> int:
    """Offset where a window of `window` characters covers the most matches."""
    best, best_at, j = 0, 0, 0
    for i, (a, _b) in enumerate(spans):
        j = max(j, i)
        while j + 1 < len(spans) and spans[j + 1][1] - a <= window:
            j += 1
        if j - i + 1 > best:
            best, best_at = j - i + 1, a
    return best_at


def highlight(text: str | None, lang: str | None, wanted: set[str],
              window: int = WINDOW) -> tuple[str, int]:
    """An HTML snippet of `text` around its densest matches, with `<mark>` on each match,
    and the number of matches (0: the text's opening, unmarked)."""
    if not text:
        return "", 0
    text = text[:MAX_CHARS]
    spans = matches(text, lang, wanted)
    if not spans:
        cut = text[:window].rsplit(" ", 1)[0] if len(text) > window else text
        return escape(cut) + (" …" if len(cut) < len(text) else ""), 0
    first = _best_start(spans, window)
    start = max(0, text.rfind(" ", 0, max(0, first - window // 4)) + 1) if first > window // 4 else 0
    end = text.find(" ", start + window)
    end = len(text) if end < 0 else end
    out, pos = [], start
    for a, b in spans:
        if a < start or b > end:
            continue
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>")
        pos = b
    out.append(escape(text[pos:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(out).strip() + suffix, len(spans)


def deep_link(asset_id: str, start: float, language: str) -> str:
    """The page of an asset opened at a second, with that language's audio."""
    return f"/assets/{quote(asset_id)}?t={math.floor(start)}&lang={quote(language)}"


def asset_hit(asset_id: str, score: float, display: Mapping[str, object],
              wanted: set[str]) -> Hit:
    """A hit for an asset, with its best snippet among title, summary and description."""
    best, best_n = "", -1
    for name in ("summary", "title", "description"):  # the long description only if needed
        if name == "description" and best_n > 0:
            break
        snippet, n = highlight(display.get(name) or "", "en", wanted)  # type: ignore[arg-type]
        if snippet and n > best_n:
            best, best_n = snippet, n
    return Hit(
        asset_id=asset_id, score=float(score), title=str(display.get("title") or ""),
        kind=str(display.get("kind") or ""), recorded_on=display.get("recorded_on"),  # type: ignore[arg-type]
        body=display.get("body"), record_symbol=display.get("record_symbol"),  # type: ignore[arg-type]
        snippet=best, link=f"/assets/{quote(asset_id)}",
    )


def moment(asset_id: str, language: str, speaker: str | None, start: float, end: float,
           text: str, wanted: set[str]) -> Moment:
    """A matching transcript cue with its highlighted text and deep link."""
    snippet, _ = highlight(text, language, wanted, window=300)
    return Moment(asset_id=asset_id, language=language, speaker=speaker, start=start, end=end,
                  snippet=snippet, link=deep_link(asset_id, start, language))
