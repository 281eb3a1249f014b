"""Texts adopted at the meeting covered, with their vote counts.

Security Council resolutions are `2645 (2022)`; for the General Assembly and its committees
the draft symbol as written (`A/73/L.63`, `L.12/Rev.1`), or None for an unnamed text with a
recorded vote. Sentences are found from one index of sentence ends built per text and are
at most a few thousand characters long, so the pass is linear in the length of the text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

from hexaglot.pages.press_summary import words

_NUM = (r"(?:\d{1,3}|none|no|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"thirteen|fourteen|fifteen)\b")
_WORDS = {w: i for i, w in enumerate(words("no one two three four five six seven eight nine ten "
                                           "eleven twelve thirteen fourteen fifteen"))}
_WORDS["none"] = 0
_SC = r"(?P<n>\d{1,4})[ ]*+\((?P<y>\d{4})\)"
ADOPTED_SC = re.compile(
    rf"\badopt(?:ing|ed|s|ion)?\b,?[ ]++(?:[\w’']+,?[ ]++){{0,3}}?resolutions?[ ]++{_SC}"
    r"(?P<more>(?:[ ]*+(?:,[ ]*+and|,|and)[ ]*+(?:resolution[ ]++)?\d{1,4}[ ]*+\(\d{4}\))*+)"
    rf"|\bresolution[ ]++{_SC.replace('?P<n>', '?P<n2>').replace('?P<y>', '?P<y2>')}"
    r"[^.]{0,60}?\b(?:(?:was|were)[ ]++(?:\w+[ ]++)?adopted|,?[ ]*+adopted[ ]++(?:unanimously|"
    r"today|this|by|with|without))",
    re.IGNORECASE)
_MORE = re.compile(r"(\d{1,4})[ ]*+\((\d{4})\)")
_LIST = r"(?:[ ]*+\([^()]{0,2000}\))?"
VOTE = re.compile(
    rf"\b(?P<f>{_NUM})[ ]++(?:(?:affirmative[ ]++)?votes?[ ]++)?in[ ]++favou?r{_LIST}[ ]*+"
    rf"(?:to[ ]++(?P<at>{_NUM})(?:[ ]++(?:votes?[ ]++)?against)?|(?:,|and)?[ ]*+(?P<a>{_NUM})"
    rf"[ ]++(?:votes?[ ]++)?against){_LIST}"
    rf"(?:[ ]*+,?[ ]*+(?:with|and)[ ]++(?P<ab>{_NUM})[ ]++abstentions?)?"
    rf"|\b(?P<f2>\d{{1,3}})[ ]++(?:affirmative[ ]++)?votes?[ ]++to[ ]++(?P<a2>{_NUM})"
    rf"(?:[ ]++(?:votes?[ ]++)?against)?{_LIST},?[ ]*+(?:with[ ]++)?(?:(?P<ab2>{_NUM})[ ]++"
    rf"abstentions?)?"
    rf"|\b(?P<f3>{_NUM})[ ]++(?:votes?[ ]++)?in[ ]++favou?r{_LIST}[ ]*+,?[ ]*+(?:with|and)[ ]++"
    rf"(?P<ab3>{_NUM})[ ]++abstentions?", re.IGNORECASE)
GA_DRAFT = re.compile(r"(?<![/\w.])(?:A/(?:C\.\d/)?\d{2}/)?L\.\d+(?:/Rev\.\d+)?")
_SKIP = re.compile(r"paragraph|amendment|motion|\bretain|approv|reject|veto|fail|negative vote"
                   r"|not (?:been )?adopted|not obtain", re.IGNORECASE)
_ADOPTION = re.compile(r"adopt|\bpass(?:es|ed)\b", re.IGNORECASE)
#: Sentence ends: `. `, `.\n`, `? `, `! `, `." `, `.” `, `.”\n` and a blank line.
_STOP = re.compile(r"(?=(\.[ \n]|[?!] |\.[\"”] |\.”\n|\n\n))")
_BACK_REF = re.compile(
    r"\s*+(?:It|The text|That text|The draft|That draft|The resolution|The vote)\b")
_SC_NUMBER = re.compile(r"(?<![\w/.])(\d{1,4})\b")
_RESOLUTION = re.compile(r"\bresolution\b", re.IGNORECASE)
#: The longest a sentence is taken to be on either side of a vote or a symbol.
REACH = 1500


@dataclass
class Resolution:
    """A text adopted at the meeting, with the spans of text it was read from."""

    number: str | None
    in_favour: int | None = None
    against: int | None = None
    abstentions: int | None = None
    unanimous: bool | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"number": self.number, "in_favour": self.in_favour, "against": self.against,
                "abstentions": self.abstentions, "unanimous": self.unanimous,
                "evidence": [{"start": a, "end": b} for a, b in sorted(set(self.spans))]}


def _count(value: str | None) -> int | None:
    if value is None:
        return None
    v = value.lower()
    return int(v) if v.isdigit() else _WORDS.get(v)


class _Sentences:
    """Sentence spans of a text from one pass over its sentence ends."""

    def __init__(self, text: str) -> None:
        self.n = len(text)
        marks = [(m.start(), len(m.group(1))) for m in _STOP.finditer(text)]
        self.ends = [i + 1 for i, _ in marks]          # the sentence ends after the stop
        self.mark_at = [i for i, _ in marks]
        self.starts = sorted(i + n for i, n in marks)  # the next sentence starts after it

    def around(self, pos: int) -> tuple[int, int]:
        """The span of the sentence around `pos`; a longer sentence is cut to the blocks of
        REACH characters before and after the one holding `pos` (so that the hits of one
        long run share one span)."""
        i = bisect.bisect_right(self.starts, pos) - 1
        start = self.starts[i] if i >= 0 else 0
        j = bisect.bisect_left(self.mark_at, pos)
        end = self.ends[j] if j < len(self.ends) else self.n
        block = pos - pos % REACH
        return max(start, block - REACH), min(end, block + 2 * REACH)


class _Tests:
    """`_ADOPTION` and `_SKIP` over a sentence, each sentence tested once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.seen: dict[tuple[int, int], tuple[bool, bool]] = {}

    def __call__(self, s: int, e: int) -> tuple[bool, bool]:
        """(adopted, skipped) for the sentence text[s:e]."""
        if (s, e) not in self.seen:
            sentence = self.text[s:e]
            self.seen[(s, e)] = (_ADOPTION.search(sentence) is not None,
                                 _SKIP.search(sentence) is not None)
        return self.seen[(s, e)]


def _vote(m: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    if m.group("f") is not None:
        return _count(m.group("f")), _count(m.group("a") or m.group("at")), _count(m.group("ab"))
    if m.group("f3") is not None:  # `14 votes in favour, with 1 abstention`: against unstated
        return _count(m.group("f3")), None, _count(m.group("ab3"))
    return _count(m.group("f2")), _count(m.group("a2")), _count(m.group("ab2"))


class _Found:
    """Resolutions by key, and where each Security Council number is mentioned."""

    def __init__(self, text: str) -> None:
        self.by_key: dict[str, Resolution] = {}
        self.number_keys: dict[str, list[str]] = {}
        self.numbers = [(m.start(), m.group(1)) for m in _SC_NUMBER.finditer(text)] if (
            "(" in text) else []
        self.number_at = [p for p, _ in self.numbers]

    def get(self, key: str, span: tuple[int, int] | None = None) -> Resolution:
        res = self.by_key.get(key)
        if res is None:
            res = self.by_key[key] = Resolution(key)
            if "(" in key:
                self.number_keys.setdefault(key.split()[0], []).append(key)
        if span and span not in res.spans:
            res.spans.append(span)
        return res

    def named_in(self, s: int, e: int) -> list[tuple[int, str]]:
        """(position, key) of every adopted Security Council number mentioned in [s, e)."""
        lo, hi = bisect.bisect_left(self.number_at, s), bisect.bisect_left(self.number_at, e)
        return [(p, k) for p, n in self.numbers[lo:hi] for k in self.number_keys.get(n, ())]


def _security_council(text: str, found: _Found, sentences: _Sentences) -> None:
    previous = 0
    for m in ADOPTED_SC.finditer(text):
        numbers = [(m.group("n") or m.group("n2"), m.group("y") or m.group("y2"))]
        numbers += _MORE.findall(m.group("more") or "")
        s, e = sentences.around(m.start())
        # `unanimously adopted resolution A, …, and then adopted resolution B by a vote …`:
        # the word belongs to the clause of this adoption, not to the whole sentence.
        clause = text[max(s, previous):min(e, m.end() + 40)]
        previous = m.end()
        unanimous = "unanimous" in clause.lower()
        first = m.start("n") if m.group("n") else m.start("n2")
        for k, (n, y) in enumerate(numbers):
            span = (first, (m.end("y") if m.group("y") else m.end("y2")) + 1) if k == 0 else None
            res = found.get(f"{n} ({y})", span)
            res.unanimous = res.unanimous or unanimous or None


def extract_resolutions(text: str) -> list[Resolution]:
    """Resolutions adopted (Security Council numbers, General Assembly drafts) with votes."""
    found = _Found(text)
    sentences = _Sentences(text)
    lowered = text.lower()
    if "resolution" in lowered:
        _security_council(text, found, sentences)
    drafts = [(m.start(), m.end(), m.group()) for m in GA_DRAFT.finditer(text)] if (
        "L." in text) else []
    tests = _Tests(text)
    for start, end, symbol in drafts:
        adopted, skipped = tests(*sentences.around(start))
        if adopted and not skipped:
            found.get(symbol, (start, end))
    draft_at = [d[0] for d in drafts]
    unnamed: list[Resolution] = []
    for m in (VOTE.finditer(text) if "favo" in lowered or " votes" in lowered else ()):
        s, e = sentences.around(m.start())
        adopted, skipped = tests(s, e)
        if skipped or not (adopted or _BACK_REF.match(text, s)):
            continue
        counts = _vote(m)
        target = _target(text, s, m.start(), found, sentences, drafts, draft_at)
        if target is None:
            if any((r.in_favour, r.against, r.abstentions) == counts for r in unnamed):
                continue
            target = Resolution(None)
            unnamed.append(target)
        target.spans.append((m.start(), m.end()))
        target.in_favour, target.against, target.abstentions = counts
        if counts[1] or counts[2]:
            target.unanimous = False
        elif target.unanimous is None and counts[2] is not None:
            target.unanimous = True
    return [*found.by_key.values(), *unnamed]


def _target(text: str, s: int, pos: int, found: _Found, sentences: _Sentences,
            drafts: list[tuple[int, int, str]], draft_at: list[int]) -> Resolution | None:
    """The resolution a vote belongs to: the adopted number or draft named nearest before it
    in its sentence, else the first named after it there (`By a recorded vote of …, the
    Assembly adopted draft resolution A/78/L.12`), else one named in the sentence before
    (`It was adopted by …`)."""
    _, e = sentences.around(pos)
    lo, hi = bisect.bisect_left(draft_at, s), bisect.bisect_left(draft_at, e)
    named = [(d[0], d[2]) for d in drafts[lo:hi]] + found.named_in(s, e)
    before = [x for x in named if x[0] < pos]
    after = [x for x in named if x[0] >= pos]
    if before or after:
        key = max(before)[1] if before else min(after)[1]
        return found.get(key)
    if _BACK_REF.match(text, s, pos):
        back = len(text[max(0, s - REACH):s].rstrip(" \n.!?")) + max(0, s - REACH)
        ps, _ = sentences.around(max(0, back - 1))
        lo, hi = bisect.bisect_left(draft_at, ps), bisect.bisect_left(draft_at, s)
        if hi > lo:
            return found.get(drafts[hi - 1][2])
    if len(found.by_key) != 1:
        return None
    (key, only), = found.by_key.items()
    if "(" in key and (_RESOLUTION.search(text, s, pos) or _BACK_REF.match(text, s, pos)):
        return only
    return None
