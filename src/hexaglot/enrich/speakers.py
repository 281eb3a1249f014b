"""Ordered speakers of a meeting from its press summary.

Candidates come from a few phrase families (named persons with role or country, delegates
named by their State, possessives and attributives, closing lists), each found by one
precompiled pattern over the body text; they are then sorted by position, merged (the same
person or delegation mentioned twice is one speaker) and resolved against the vocabulary."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from hexaglot.enrich import patterns as p
from hexaglot.vocab import Mention, Vocabulary


@dataclass
class Speaker:
    """One speaker as extracted (`start` is the character offset of the first mention)."""

    start: int
    name: str | None = None
    role: str | None = None
    affiliation_id: str | None = None
    end: int = 0

    def surname(self) -> str | None:
        return self.name.replace(".", " ").split()[-1].casefold() if self.name else None


class _Text:
    """The text with its entity mentions indexed by start offset."""

    def __init__(self, text: str, body_start: int, mentions: list[Mention], vocab: Vocabulary):
        self.text = text
        self.body_start = body_start
        self.vocab = vocab
        self.mentions = mentions
        self.used: set[int] = set()
        self.at = {m.start: m for m in mentions if _affiliation_kind(m.concept_id)}
        self.starts = [m.start for m in mentions]
        self.persons = {m.start for m in mentions if m.concept_id.startswith("person:")}
        self.excluded = [(m.start(), m.end()) for m in p.EARLIER.finditer(text, body_start)]
        stripped = text.rstrip()
        self.fragment_start = len(text)
        if stripped and not re.search(r"[.!?:)\]\"”'*]$", stripped):
            cut = max(stripped.rfind(". "), stripped.rfind(".\n"), stripped.rfind("\n"))
            self.fragment_start = cut + 1 if cut >= 0 else body_start

    def entity(self, pos: int, adjective: bool = False) -> Mention | None:
        m = p.THE.match(self.text, pos)
        found = self.at.get(pos) or (self.at.get(m.end()) if m else None)
        if found and (adjective or not found.adjective):
            return found
        return None

    def usable(self, start: int, end: int) -> bool:
        if start < self.body_start or any(a <= start < b for a, b in self.excluded):
            return False
        if start >= self.fragment_start:
            return p.ANY_VERB.search(self.text, end, end + 300) is not None
        return True


def _affiliation_kind(concept_id: str) -> bool:
    return concept_id.startswith("org:") or (len(concept_id) == 3 and concept_id.isupper())


def _named(t: _Text) -> list[Speaker]:
    out = []
    for m in p.PERSON.finditer(t.text, t.body_start):
        speaker = _person(t, m)
        if speaker and t.usable(m.start("name"), m.end()):
            out.append(speaker)
    for m in p.HONORIFIC.finditer(t.text, t.body_start):
        if p.AFTER_VERB.match(t.text, m.end()) and t.usable(m.start(), m.end()):
            out.append(Speaker(start=m.start(), name=m.group("name"), end=m.end()))
    return out


def _officials(t: _Text) -> list[Speaker]:
    """Officials named by title alone (`the Special Representative … told the Council`)."""
    out = []
    for m in p.OFFICIAL.finditer(t.text, t.body_start):
        if t.usable(m.start(), m.end()):
            role = " ".join((m.group("role") + (m.group("rest") or "")).split())
            found = t.vocab.lookup(m.group("paren")) if m.group("paren") else None
            affiliation = found.id if found and _affiliation_kind(found.id) else None
            if affiliation:  # `the Council President (Guyana) said`: that State's delegate
                t.used.add(m.start("paren"))
            out.append(Speaker(start=m.start(), role=role, affiliation_id=affiliation,
                               end=m.end()))
    return out


def _split_name(raw: str) -> tuple[str | None, str | None]:
    """Split leading role words off a name: `Council President Agshin Mehdiyev`."""
    tokens = raw.split()
    i = 0
    while i < len(tokens) and tokens[i] in p.ROLE_TOKENS:
        i += 1
    role = " ".join(tokens[:i]) or None
    name_tokens = tokens[i:]
    if len(name_tokens) < 2 or any(tok.strip(".,'") in p.STOP_TOKENS for tok in name_tokens):
        return role, None
    return role, " ".join(name_tokens)


def _person(t: _Text, m: re.Match[str]) -> Speaker | None:
    prefix_role, name = _split_name(m.group("name"))
    name_start = m.end("name") - len(name) if name else 0
    if name is None or _is_entity(t, name_start, m.end("name"), name):
        return None
    role = m.group("role")
    end = m.end()
    if role and (more := p.ROLE_MORE.match(t.text, end)):
        role, end = role + more.group(), more.end()
    affiliation = None
    if m.group("paren"):
        found = t.vocab.lookup(m.group("paren"))
        affiliation = found.id if found and _affiliation_kind(found.id) else None
        if affiliation:
            t.used.add(m.start("paren"))
    after = p.AFTER_VERB.match(t.text, end if role else m.end("paren") + 1
                               if m.group("paren") else m.end("name"))
    trigger = p.BEFORE_TRIGGER.search(t.text, max(0, m.start() - 30), m.start())
    if trigger and trigger.group("by"):
        trigger = p.BY_CONTEXT.search(t.text, max(0, trigger.start() - 70), trigger.start())
    before = bool(trigger) or _listed_briefer(t.text, m.start())
    if not after and not role and not m.group("paren") and (
            of := p.OF_ENTITY.match(t.text, m.end("name"))):
        mention = t.entity(of.end())
        if mention and (after := p.AFTER_VERB.match(t.text, mention.end)):
            affiliation = mention.concept_id
            t.used.add(mention.start)
    if role and role[0].islower() and not (after or before and role.startswith(("a ", "an "))):
        return None
    described = bool(role or affiliation or prefix_role)
    if not (after and (described or after.group("who") or _starts_clause(t.text, m.start()))
            or before and described):
        return None
    from_role = None
    if affiliation is None:
        role, from_role = _role_affiliation(t, role, m.start("role") if role else -1)
    role = role or prefix_role
    return Speaker(start=m.start("name"), name=name, role=role,
                   affiliation_id=affiliation or from_role, end=end)


def _listed_briefer(text: str, pos: int) -> bool:
    """`…, and NAME, ROLE` in a sentence that lists briefers."""
    if not re.search(r"(?:,|;|\band)[ ]*$", text[max(0, pos - 6):pos]):
        return False
    lo = max(0, pos - 400)
    start = max(text.rfind(". ", lo, pos), text.rfind("\n", lo, pos), lo - 1)
    return p.BRIEFERS.search(text, start + 1, pos) is not None


def _starts_clause(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or before.endswith(("\n", ". ", ", "))


def _is_entity(t: _Text, start: int, end: int, name: str) -> bool:
    known = t.vocab.lookup(name)
    if known is not None:
        return known.kind != "personal"
    # A place or body that opens the name (`Costa Rica`, `Saudi Arabia`) or spans it; one
    # inside a person's name (`Rafael Montenegro Ortiz`) does not make it an entity.
    i = bisect.bisect_right(t.starts, start) - 1
    for j in (i, i + 1):
        if 0 <= j < len(t.mentions):
            m = t.mentions[j]
            opens = m.start <= start < m.end
            if opens and m.start not in t.persons:
                return True
    return False


def _role_affiliation(t: _Text, role: str | None, role_start: int) -> tuple[str | None, str | None]:
    """Split `Secretary-General of the United Nations` into role and affiliation id."""
    if not role:
        return None, None
    for m in re.finditer(r"[ ]of[ ]+(?:the[ ]+)?", role):
        mention = t.at.get(role_start + m.end())
        tail = t.text[mention.end:role_start + len(role)] if mention else ""
        acronym = re.fullmatch(r"[ ]*\([^()]*\)", tail) is not None
        if mention and not mention.adjective and (not tail or acronym
                                                  or tail.startswith(" and ")):
            return (role if tail and not acronym else role[:m.start()]), mention.concept_id
    return role, None


def _delegates(t: _Text) -> list[Speaker]:
    out = []
    for m in p.DELEGATE_OF.finditer(t.text, t.body_start):
        role = m.group("role") or ""
        plural = m.group("role2") is not None or role.endswith("s") or role.startswith("Heads")
        pos = m.end()
        while (mention := t.entity(pos)) is not None:
            t.used.add(mention.start)
            if t.usable(m.start(), mention.end):
                out.append(Speaker(start=mention.start if plural else m.start(),
                                   role=_delegate_role(m.group("role") or "representatives"),
                                   affiliation_id=mention.concept_id, end=mention.end))
            sep = p.LIST_SEPARATOR.match(t.text, mention.end)
            if not plural or not sep:
                break
            pos = sep.end()
    for mention in t.mentions:
        if mention.start < t.body_start or not _affiliation_kind(mention.concept_id):
            continue
        after = t.text[mention.end:mention.end + 1]
        poss = (p.POSSESSIVE_ROLE.match(t.text, mention.end)
                if after == "'" and not mention.adjective else None)
        attr = p.ATTRIBUTIVE_ROLE.match(t.text, mention.end) if after == " " else None
        if attr and not re.search(r"(?:^|\W)(?:the|The)[ ]+$", t.text[max(0, mention.start - 5):mention.start]):
            attr = None
        found = poss or attr
        if found:
            t.used.add(mention.start)
        if found and t.usable(mention.start, found.end()):
            out.append(Speaker(start=mention.start, role=_delegate_role(found.group("role")),
                               affiliation_id=mention.concept_id, end=found.end()))
    return out


def _delegate_role(word: str) -> str:
    word = " ".join(word.split())
    if word.lower().rstrip("s") in ("representative", "delegate", "delegation"):
        return "representative"
    if word.startswith("Heads"):
        return "Head" + word[5:]
    return word[:-1] if word.endswith("s") and not word.endswith("Affairs") else word


def _merge(candidates: list[Speaker], text: str) -> list[Speaker]:
    """One speaker per person or delegation, at the first mention (indexed, not pairwise)."""
    out: list[Speaker] = []
    by_surname: dict[str, Speaker] = {}
    by_affiliation: dict[str, Speaker] = {}
    loose: list[Speaker] = []  # no affiliation: officials and named briefers
    for c in sorted(candidates, key=lambda s: s.start):
        same = _find(c, by_surname, by_affiliation, loose)
        if same is None and out and _apposed(out[-1], c, text):
            same = out[-1]
        if same is None:
            out.append(c)
            same = c
        else:
            same.name = same.name if same.name and len(same.name) >= len(c.name or "") else c.name
            same.role = same.role or c.role
            same.affiliation_id = same.affiliation_id or c.affiliation_id
        if same.name:
            by_surname.setdefault(same.surname() or "", same)
        if same.affiliation_id:
            by_affiliation.setdefault(same.affiliation_id, same)
        elif same not in loose:
            loose.append(same)
    return out


def _find(c: Speaker, by_surname: dict[str, Speaker], by_affiliation: dict[str, Speaker],
          loose: list[Speaker]) -> Speaker | None:
    if c.name and (hit := by_surname.get(c.surname() or "")):
        return hit
    if c.affiliation_id:
        hit = by_affiliation.get(c.affiliation_id)
        return hit if hit and not (hit.name and c.name) else None
    return next((s for s in loose if _same(s, c)), None)


def _apposed(a: Speaker, b: Speaker, text: str) -> bool:
    """`Kenya's Foreign Minister, NAME, said`: a name in apposition to an unnamed delegate."""
    return (a.name is None and a.affiliation_id is not None and b.name is not None
            and b.affiliation_id in (None, a.affiliation_id)
            and text[a.end:b.start] in (", ", ","))


def _title(s: Speaker) -> str:
    return (s.role or "").split(" for ")[0].split(" of ")[0].casefold()


def _same(a: Speaker, b: Speaker) -> bool:
    if a.name and b.name:
        return a.surname() == b.surname()
    if not a.affiliation_id and not b.affiliation_id and (a.name is None) != (b.name is None):
        unnamed, named = (a, b) if a.name is None else (b, a)
        return named.role is None or _title(named).startswith(_title(unnamed))
    if a.name is None and b.name is None and not a.affiliation_id and not b.affiliation_id:
        return _title(a) == _title(b)
    if a.affiliation_id and a.affiliation_id == b.affiliation_id:
        return not (a.name and b.name)
    return False


def extract_speakers(text: str, body_start: int, mentions: list[Mention], vocab: Vocabulary,
                     headline: str = "") -> tuple[list[Speaker], set[int]]:
    """Speakers in order of first mention (when the body names none, a role the headline
    names: `…, Says Permanent Representative`), and the starts of the mentions that name a
    delegation (so that they are not also taken as geographic subjects)."""
    t = _Text(text, body_start, mentions, vocab)
    speakers = _merge(_named(t) + _delegates(t) + _officials(t), text)
    if not speakers and headline:
        m = p.HEADLINE_ROLE.search(headline)
        if m:
            speakers = [Speaker(start=0, role=m.group("a") or m.group("b"))]
    return speakers, t.used
