"""Phrase families and the patterns that combine them, read from `data/phrases.yaml`.

A family is a list of phrasings (`speech_verbs`, `titles`, `list_openers`, …); a pattern is
a regular expression that names families in braces (`{speech_verbs}` becomes the
alternation of that family's phrasings, longest first, each escaped, a space standing for
any run of spaces). Built-in names: `{U}` (upper-case letters), `{NT}` (one word of a
person's name), `{NAME}` (up to seven such words, with the `particles` between them) and
`{ADV}` (an optional adverb before a verb). An unknown family, key or placeholder is an
error when the file is loaded, so a typo cannot silently drop a phrasing."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

#: Upper-case letters (Latin with diacritics) for names.
UPPER = "".join(c for c in map(chr, range(0x41, 0x250)) if c.isupper())
_NAME_WORD = (rf"(?:[{UPPER}]\.(?:[ ]?[{UPPER}]\.)?|[{UPPER}](?:[\w\-]|'(?!s\b))*\w"
              rf"|[{UPPER}](?=[ ][{UPPER}][\w]))")
#: `Lauro L. Baja, Jr.`
_SUFFIX = r"(?:,[ ](?:Jr|Sr|JR|SR)\.)?"
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\}")


class PhraseError(ValueError):
    """The phrase file is malformed (names the family or pattern and the problem)."""


@dataclass(frozen=True)
class Phrases:
    """The loaded families (phrasings in file order) and compiled patterns."""

    families: dict[str, tuple[str, ...]]
    patterns: dict[str, re.Pattern[str]]

    def words(self, family: str) -> frozenset[str]:
        """A family as a set of phrasings (for membership tests)."""
        return frozenset(self.families[family])

    def __getitem__(self, pattern: str) -> re.Pattern[str]:
        return self.patterns[pattern]


def alternation(phrasings: tuple[str, ...]) -> str:
    """`(?:a|b)` of the phrasings, longest first, spaces as possessive runs of spaces."""
    parts = sorted(set(phrasings), key=lambda s: (-len(s), s))
    return "(?:" + "|".join(r"[ ]++".join(map(re.escape, p.split())) for p in parts) + ")"


def _expand(name: str, template: str, families: dict[str, tuple[str, ...]],
            builtins: dict[str, str]) -> str:
    def one(m: re.Match[str]) -> str:
        key = m.group(1)
        if key in builtins:
            return builtins[key]
        if key not in families:
            raise PhraseError(f"pattern {name!r} names unknown family {{{key}}}")
        return alternation(families[key])
    return _PLACEHOLDER.sub(one, template)


def _families(raw: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(raw, dict):
        raise PhraseError("'families' must map family names to lists of phrasings")
    out = {}
    for name, items in raw.items():
        if not isinstance(items, list) or not items or not all(
                isinstance(x, str) and x.strip() for x in items):
            raise PhraseError(f"family {name!r} must be a non-empty list of phrasings (quote "
                              "words YAML reads as other values: \"On\", \"No\", \"y\")")
        out[name] = tuple(" ".join(x.split()) for x in items)
    return out


def build(data: Any) -> Phrases:
    """Phrases from the parsed YAML (a mapping with exactly `families` and `patterns`)."""
    if not isinstance(data, dict) or set(data) != {"families", "patterns"}:
        raise PhraseError("the phrase file must have exactly the keys 'families' and 'patterns'")
    families = _families(data["families"])
    adverbs = alternation(families["adverbs"]) if "adverbs" in families else "(?!)"
    particles = alternation(families["particles"]) if "particles" in families else "(?!)"
    builtins = {"U": UPPER, "NT": _NAME_WORD, "ADV": rf"(?:(?:{adverbs}|\w+ly)[ ]++)?",
                "NAME": rf"{_NAME_WORD}(?:[ ]++(?:{particles}[ ]++)*+{_NAME_WORD}){{0,6}}{_SUFFIX}"}
    if not isinstance(data["patterns"], dict):
        raise PhraseError("'patterns' must map pattern names to regular expressions")
    patterns = {}
    for name, template in data["patterns"].items():
        if not isinstance(template, str):
            raise PhraseError(f"pattern {name!r} must be a string")
        try:
            patterns[name] = re.compile(_expand(name, template, families, builtins),
                                        re.MULTILINE if name == "earlier" else 0)
        except re.error as exc:
            raise PhraseError(f"pattern {name!r}: {exc}") from None
    return Phrases(families=families, patterns=patterns)


@cache
def phrases() -> Phrases:
    """The shipped phrase families and patterns (loaded once per process)."""
    text = resources.files("hexaglot.enrich").joinpath("data/phrases.yaml").read_text("utf-8")
    return build(yaml.safe_load(text))
