"""Highlighted snippets and hit assembly, the same for both engines."""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape
from urllib.parse import quote

from hexaglot.search.analysis import SYMBOL, iter_words, symbol_tokens, word_tokens
from hexaglot.search.base import Hit, Moment

WINDOW = 28  # words around the best match


def _marks(text: str, lang: str | None, wanted: set[str]) -> list[tuple[int, int, bool]]:
    """(start, end, matched) for each word and symbol of `text`."""
    spans: list[tuple[int, int, bool]] = []
    symbol_spans = [(m.start(), m.end()) for m in SYMBOL.finditer(text)
                    if set(symbol_tokens(m.group(0))) & wanted]
    for m in iter_words(text):
        inside = any(a <= m.start() < b for a, b in symbol_spans)
        hit = inside or bool(set(word_tokens(m.group(0), lang)) & wanted)
        spans.append((m.start(), m.end(), hit))
    return spans


def highlight(text: str | None, lang: str | None, wanted: set[str],
              window: int = WINDOW) -> tuple[str, int]:
    """An HTML snippet of `text` around its densest matches, with `<mark>` on each match,
    and the number of matched words (0: the text's opening words, unmarked)."""
    if not text:
        return "", 0
    spans = _marks(text, lang, wanted)
    if not spans:
        return escape(text[:200]), 0
    flags = [int(s[2]) for s in spans]
    best, best_at, run = -1, 0, sum(flags[:window])
    for i in range(max(1, len(spans) - window + 1)):
        if i:
            run += (flags[i + window - 1] if i + window - 1 < len(flags) else 0) - flags[i - 1]
        if run > best:
            best, best_at = run, i
    chosen = spans[best_at : best_at + window]
    start, end = chosen[0][0], chosen[-1][1]
    out, pos = [], start
    for a, b, hit in chosen:
        out.append(escape(text[pos:a]))
        out.append(f"<mark>{escape(text[a:b])}</mark>" if hit else escape(text[a:b]))
        pos = b
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(out) + suffix, sum(flags)


def deep_link(asset_id: str, start: float, language: str) -> str:
    """The page of an asset opened at a second, with that language's audio."""
    return f"/assets/{quote(asset_id)}?t={math.floor(start)}&lang={quote(language)}"


def asset_hit(asset_id: str, score: float, display: Mapping[str, object],
              wanted: set[str]) -> Hit:
    """A hit for an asset, with its best snippet among title, summary and description."""
    best, best_n = "", -1
    for name in ("summary", "description", "title"):
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
    snippet, _ = highlight(text, language, wanted, window=40)
    return Moment(asset_id=asset_id, language=language, speaker=speaker, start=start, end=end,
                  snippet=snippet, link=deep_link(asset_id, start, language))
