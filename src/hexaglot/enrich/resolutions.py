"""Texts adopted at the meeting covered, with their vote counts.

Security Council resolutions are `2645 (2022)`; for the General Assembly and its committees
the draft symbol as written (`A/73/L.63`, `L.12/Rev.1`), or None for an unnamed text with a
recorded vote."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hexaglot.enrich.patterns import words

_NUM = (r"(?:\d{1,3}|none|no|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
        r"thirteen|fourteen|fifteen)\b")
_WORDS = {w: i for i, w in enumerate(words("no one two three four five six seven eight nine ten "
                                      "eleven twelve thirteen fourteen fifteen"))}
_WORDS["none"] = 0
_SC = r"(?P<n>\d{1,4})[ ]*\((?P<y>\d{4})\)"
ADOPTED_SC = re.compile(
    rf"\badopt(?:ing|ed|s|ion)?\b,?[ ]+(?:[\w’']+,?[ ]+){{0,3}}?resolutions?[ ]+{_SC}"
    r"(?P<more>(?:[ ]*(?:,|and|,[ ]*and)[ ]*(?:resolution[ ]+)?\d{1,4}[ ]*\(\d{4}\))*)"
    rf"|\bresolution[ ]+{_SC.replace('?P<n>', '?P<n2>').replace('?P<y>', '?P<y2>')}"
    r"[^.]{0,60}?\b(?:(?:was|were)[ ]+(?:\w+[ ]+)?adopted|,?[ ]*adopted[ ]+(?:unanimously|today|this"
    r"|by|with|without))",
    re.IGNORECASE)
_MORE = re.compile(r"(\d{1,4})[ ]*\((\d{4})\)")
VOTE = re.compile(
    rf"\b(?P<f>{_NUM})[ ]+(?:votes?[ ]+)?in[ ]+favou?r(?:[ ]*\([^)]*\))?[ ]*(?:,|to|and)?[ ]*"
    rf"(?P<a>{_NUM})[ ]+(?:votes?[ ]+)?against(?:[ ]*\([^)]*\))?"
    rf"(?:[ ]*,?[ ]*(?:with|and)[ ]+(?P<ab>{_NUM})[ ]+abstentions?)?"
    rf"|\b(?P<f2>\d{{1,3}})[ ]+votes?[ ]+to[ ]+(?P<a2>{_NUM})(?:[ ]+against)?,?[ ]*(?:with[ ]+)?"
    rf"(?:(?P<ab2>{_NUM})[ ]+abstentions?)?"
    rf"|\b(?P<f3>{_NUM})[ ]+(?:votes?[ ]+)?in[ ]+favou?r(?:[ ]*\([^)]*\))?[ ]*,?[ ]*(?:with|and)[ ]+"
    rf"(?P<ab3>{_NUM})[ ]+abstentions?", re.IGNORECASE)
GA_DRAFT = re.compile(r"(?<![/\w.])(?:A/(?:C\.\d/)?\d{2}/)?L\.\d+(?:/Rev\.\d+)?")
_SKIP = re.compile(r"paragraph|amendment|motion|\bretain|approv|reject|veto|fail|negative vote"
                   r"|not (?:been )?adopted|not obtain", re.IGNORECASE)
_ADOPTION = re.compile(r"adopt|\bpass(?:es|ed)\b", re.IGNORECASE)
_STOPS = (". ", ".\n", "? ", "! ", ".\" ", ".” ", ".”\n", "\n\n")
_BACK_REF = re.compile(r"^\s*(?:It|The text|That text|The draft|That draft|The resolution|The vote)\b")


@dataclass
class Resolution:
    """A text adopted at the meeting."""

    number: str | None
    in_favour: int | None = None
    against: int | None = None
    abstentions: int | None = None
    unanimous: bool | None = None

    def as_dict(self) -> dict:
        return {"number": self.number, "in_favour": self.in_favour, "against": self.against,
                "abstentions": self.abstentions, "unanimous": self.unanimous}


def _count(value: str | None) -> int | None:
    if value is None:
        return None
    v = value.lower()
    return int(v) if v.isdigit() else _WORDS.get(v)


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """The span of the sentence around `pos` (ends: `. `, `? `, `! `, a blank line)."""
    lo = max(0, pos - 600)
    start = max(text.rfind(mark, lo, pos) + len(mark) if text.rfind(mark, lo, pos) >= 0 else 0
                for mark in _STOPS)
    ends = [i + 1 for mark in _STOPS if (i := text.find(mark, pos)) >= 0]
    return start, min(ends) if ends else len(text)


def _vote(m: re.Match[str]) -> tuple[int | None, int | None, int | None]:
    if m.group("f") is not None:
        return _count(m.group("f")), _count(m.group("a")), _count(m.group("ab"))
    if m.group("f3") is not None:  # `14 votes in favour, with 1 abstention`: against unstated
        return _count(m.group("f3")), None, _count(m.group("ab3"))
    return _count(m.group("f2")), _count(m.group("a2")), _count(m.group("ab2"))


def extract_resolutions(text: str) -> list[Resolution]:
    """Resolutions adopted (Security Council numbers, General Assembly drafts) with votes."""
    found: dict[str, Resolution] = {}
    lowered = text.lower()
    previous = 0
    for m in (ADOPTED_SC.finditer(text) if "resolution" in lowered else ()):
        numbers = [(m.group("n") or m.group("n2"), m.group("y") or m.group("y2"))]
        numbers += _MORE.findall(m.group("more") or "")
        s, e = _sentence(text, m.start())
        # `unanimously adopted resolution A, …, and then adopted resolution B by a vote …`:
        # the word belongs to the clause of this adoption, not to the whole sentence.
        clause = text[max(s, previous):min(e, m.end() + 40)]
        previous = m.end()
        unanimous = "unanimous" in clause.lower()
        for n, y in numbers:
            res = found.setdefault(f"{n} ({y})", Resolution(f"{n} ({y})"))
            res.unanimous = res.unanimous or unanimous or None
    for m in (GA_DRAFT.finditer(text) if "L." in text else ()):
        s, e = _sentence(text, m.start())
        sentence = text[s:e]
        if _ADOPTION.search(sentence) and not _SKIP.search(sentence):
            found.setdefault(m.group(), Resolution(m.group()))
    unnamed: list[Resolution] = []
    for m in (VOTE.finditer(text) if "favo" in lowered or " votes" in lowered else ()):
        s, e = _sentence(text, m.start())
        sentence = text[s:e]
        if _SKIP.search(sentence) or not (_ADOPTION.search(sentence) or _BACK_REF.match(sentence)):
            continue
        counts = _vote(m)
        target = _target(text, s, m.start(), found)
        if target is None:
            if any((r.in_favour, r.against, r.abstentions) == counts for r in unnamed):
                continue
            target = Resolution(None)
            unnamed.append(target)
        target.in_favour, target.against, target.abstentions = counts
        if counts[1] or counts[2]:
            target.unanimous = False
        elif target.unanimous is None and counts[2] is not None:
            target.unanimous = True
    return [*found.values(), *unnamed]


def _target(text: str, s: int, pos: int, found: dict[str, Resolution]) -> Resolution | None:
    """The resolution a vote belongs to: the adopted number or draft named nearest before it
    in its sentence, else the first named after it there (`By a recorded vote of …, the
    Assembly adopted draft resolution A/78/L.12`), else one named in the sentence before
    (`It was adopted by …`)."""
    _, e = _sentence(text, pos)
    named = [(i.start(), i.group()) for i in GA_DRAFT.finditer(text, s, e)]
    for key in found:
        number = re.compile(rf"(?<![\w/.]){re.escape(key.split()[0])}\b")
        named += [(i.start(), key) for i in number.finditer(text, s, e)]
    before = [x for x in named if x[0] < pos]
    after = [x for x in named if x[0] >= pos]
    if before or after:
        key = max(before)[1] if before else min(after)[1]
        return found.setdefault(key, Resolution(key))
    if _BACK_REF.match(text[s:pos]):
        back = len(text[:s].rstrip(" \n.!?"))
        ps, _ = _sentence(text, max(0, back - 1))
        drafts = GA_DRAFT.findall(text[ps:s])
        if drafts:
            return found.setdefault(drafts[-1], Resolution(drafts[-1]))
    sc = [r for key, r in found.items() if "(" in key]
    if len(found) == 1 and sc and (re.search(r"\bresolution\b", text[s:pos], re.IGNORECASE)
                                   or _BACK_REF.match(text[s:pos])):
        return sc[0]
    return None
