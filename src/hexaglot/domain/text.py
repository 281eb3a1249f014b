"""Text keys shared by every layer: the one fold and the one slug.

`fold` is what "the same text" means everywhere: vocabulary look-up (any language, any
case, with or without accents), search tokens, label comparisons. `slug` is the ASCII id
fragment of a name.
"""

from __future__ import annotations

import re
import unicodedata

#: Combining marks and other signs that do not change a word: Latin accents, Cyrillic
#: titlo, Hebrew points, Arabic harakat and the tatweel, and the general combining blocks.
_MARKS = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u0640\u064b-\u065f\u0670"
    "\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u1ab0-\u1aff\u1dc0-\u1dff"
    "\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Case-, accent- and apostrophe-insensitive form of a text (`António` → `antonio`,
    `Côte d’Ivoire` → `cote d'ivoire`, `أ` → `ا`). Spacing is kept as it is; ASCII text
    keeps its length (search snippets rely on it)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_QUOTES).casefold())
    decomposed = "".join(c for c in _MARKS.sub("", decomposed) if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", decomposed)


def fold_key(text: str) -> str:
    """`fold` with runs of white space made one space and the ends trimmed: the key under
    which a label is looked up."""
    return " ".join(fold(text).split())


def slug(text: str) -> str:
    """ASCII slug of a name: `António Guterres` → `antonio-guterres`."""
    return _SLUG.sub("-", fold(text)).strip("-")
