"""Snippet matching: the `str.find` word scan finds exactly what the regular expression it
replaced finds."""

from __future__ import annotations

import random
import re

from hexaglot.search import snippets


def _by_regex(text: str, heads: tuple[str, ...]) -> list[tuple[int, int]]:
    pattern = re.compile(rf"\b(?:{'|'.join(sorted({re.escape(h) for h in heads}))})\w*")
    return [m.span() for m in pattern.finditer(text)]


def test_word_starts_equal_the_regular_expression() -> None:
    rng = random.Random(17)
    alphabet = "abcun_1 ,.-'/"
    cases = [("under uni un_x xun 1un un", ("un", "uni")), ("abc", ("abc",)), ("", ("ab",))]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
        heads = tuple({"".join(rng.choice("abcun_1") for _ in range(rng.randint(1, 3)))
                       for _ in range(rng.randint(1, 4))})
        cases.append((text, heads))
    for text, heads in cases:
        assert snippets._word_starts(text, heads) == _by_regex(text, heads), (text, heads)


def test_highlight_marks_whole_words_only() -> None:
    text = "The council adopted the councils' report; a recouncil is no word."
    html, n = snippets.highlight(text, "en", {"council"})
    assert n == 2
    assert html.count("<mark>") == 2 and "re<mark>" not in html and "recouncil" in html
