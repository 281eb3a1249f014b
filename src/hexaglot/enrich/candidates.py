"""Speaker candidates: each phrase family of `data/phrases.yaml` found over the body text.

Every finder scans the text once with one compiled pattern (or walks the entity mentions
once) and looks only a bounded distance around each hit, so the whole pass is linear in the
length of the text."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from hexaglot.enrich.phrases import phrases
from hexaglot.vocab import Mention, Vocabulary

P = phrases()
ROLE_TOKENS = P.words("role_tokens")
STOP_TOKENS = P.words("stop_tokens")
_CLAUSE_END = re.compile(r"[.!?:)\]\"”'*]$")


@dataclass
class SpeakerMention:
    """One speaker as found in the text: `start`/`end` bound the first mention, `spans` every
    mention merged into it (character offsets into the text read)."""

    start: int
    name: str | None = None
    role: str | None = None
    affiliation_id: str | None = None
    end: int = 0
    spans: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.spans:
            self.spans = [(self.start, max(self.end, self.start))]

    def surname(self) -> str | None:
        return self.name.replace(".", " ").split()[-1].casefold() if self.name else None


def affiliation_kind(concept_id: str) -> bool:
    """True for ids that can be a speaker's affiliation: States and organizations."""
    return concept_id.startswith("org:") or (len(concept_id) == 3 and concept_id.isupper())


class Reading:
    """The text with its entity mentions indexed by start offset."""

    def __init__(self, text: str, body_start: int, mentions: list[Mention], vocab: Vocabulary):
        self.text = text
        self.body_start = body_start
        self.vocab = vocab
        self.mentions = mentions
        self.used: set[int] = set()
        self.at = {m.start: m for m in mentions if affiliation_kind(m.concept_id)}
        self.starts = [m.start for m in mentions]
        self.persons = {m.start for m in mentions if m.concept_id.startswith("person:")}
        spans = [(m.start(), m.end()) for m in P["earlier"].finditer(text, body_start)]
        self.excluded_starts = [a for a, _ in spans]
        self.excluded_ends = [b for _, b in spans]
        stripped = text.rstrip()
        self.fragment_start = len(text)
        if stripped and not _CLAUSE_END.search(stripped[-1:]):
            cut = max(stripped.rfind(". "), stripped.rfind(".\n"), stripped.rfind("\n"))
            self.fragment_start = cut + 1 if cut >= 0 else body_start
        verbs = P["any_verb"].finditer(text, self.fragment_start) if (
            self.fragment_start < len(text)) else ()
        self.fragment_verbs = [(m.start(), m.end()) for m in verbs]
        self.fragment_verb_starts = [a for a, _ in self.fragment_verbs]

    def entity(self, pos: int, adjective: bool = False) -> Mention | None:
        """The State or organization mentioned at `pos` (after an optional `the`)."""
        m = P["the"].match(self.text, pos)
        found = self.at.get(pos) or (self.at.get(m.end()) if m else None)
        if found and (adjective or not found.adjective):
            return found
        return None

    def excluded(self, pos: int) -> bool:
        """True inside a sentence about an earlier date."""
        i = bisect.bisect_right(self.excluded_starts, pos) - 1
        return i >= 0 and pos < self.excluded_ends[i]

    def usable(self, start: int, end: int) -> bool:
        """A mention counts: in the body, not about an earlier date, and not in the cut-off
        last fragment unless a speech verb follows it there."""
        if start < self.body_start or self.excluded(start):
            return False
        if start >= self.fragment_start:
            i = bisect.bisect_left(self.fragment_verb_starts, end)
            return i < len(self.fragment_verbs) and self.fragment_verbs[i][1] <= end + 300
        return True


def named(t: Reading) -> list[SpeakerMention]:
    """Named persons with a role, a State or a speech verb; `Ms. SURNAME said`."""
    out = []
    for m in P["person"].finditer(t.text, t.body_start):
        speaker = _person(t, m)
        if speaker and t.usable(m.start("name"), m.end()):
            out.append(speaker)
    for m in P["honorific"].finditer(t.text, t.body_start):
        if P["after_verb"].match(t.text, m.end()) and t.usable(m.start(), m.end()):
            out.append(SpeakerMention(start=m.start(), name=m.group("name"), end=m.end(),
                                      spans=[(m.start("name"), m.end("name"))]))
    return out


def officials(t: Reading) -> list[SpeakerMention]:
    """Officials named by title alone (`the Special Representative … told the Council`)."""
    out = []
    for m in P["official"].finditer(t.text, t.body_start):
        if t.usable(m.start(), m.end()):
            role = " ".join((m.group("role") + (m.group("rest") or "")).split())
            found = t.vocab.lookup(m.group("paren")) if m.group("paren") else None
            affiliation = found.id if found and affiliation_kind(found.id) else None
            if affiliation:  # `the Council President (Guyana) said`: that State's delegate
                t.used.add(m.start("paren"))
            end = m.end("paren") if m.group("paren") else m.end("rest") if m.group(
                "rest") else m.end("role")
            spans = [(m.start("role"), end)]
            # `the Assistant Secretary-General for Political Affairs, NAME, said`
            _, name = split_name(m.group("aname")) if m.group("aname") else (None, None)
            if name and not _is_entity(t, m.start("aname"), m.end("aname"), name):
                spans.append((m.end("aname") - len(name), m.end("aname")))
            else:
                name = None
            out.append(SpeakerMention(start=m.start(), name=name, role=role,
                                      affiliation_id=affiliation, end=m.end(), spans=spans))
    return out


def split_name(raw: str) -> tuple[str | None, str | None]:
    """Split leading role words off a name: `Council President Agshin Mehdiyev`."""
    tokens = raw.split()
    i = 0
    while i < len(tokens) and tokens[i] in ROLE_TOKENS:
        i += 1
    role = " ".join(tokens[:i]) or None
    name_tokens = tokens[i:]
    if len(name_tokens) < 2 or any(tok.strip(".,'") in STOP_TOKENS for tok in name_tokens):
        return role, None
    return role, " ".join(name_tokens)


def _person(t: Reading, m: re.Match[str]) -> SpeakerMention | None:
    prefix_role, name = split_name(m.group("name"))
    name_start = m.end("name") - len(name) if name else 0
    if name is None or _is_entity(t, name_start, m.end("name"), name):
        return None
    role = m.group("role")
    end = m.end()
    if role and (more := P["role_more"].match(t.text, end)):
        role, end = role + more.group(), more.end()
    affiliation = None
    if m.group("paren"):
        found = t.vocab.lookup(m.group("paren"))
        affiliation = found.id if found and affiliation_kind(found.id) else None
        if affiliation:
            t.used.add(m.start("paren"))
    after = P["after_verb"].match(t.text, end if role else m.end("paren") + 1
                                  if m.group("paren") else m.end("name"))
    trigger = P["before_trigger"].search(t.text, max(0, m.start() - 30), m.start())
    if trigger and trigger.group("by"):
        trigger = P["by_context"].search(t.text, max(0, trigger.start() - 70), trigger.start())
    before = bool(trigger) or _listed_briefer(t.text, m.start())
    verb = after is not None
    who = bool(after and after.group("who"))
    if not after and not role and not m.group("paren"):
        role, affiliation, verb = _of_affiliation(t, m.end("name"))
    if role and role[0].islower() and not (verb or before and role.startswith(("a ", "an "))):
        return None
    described = bool(role or affiliation or prefix_role)
    titled = bool(role and role[0].isupper() and P["title_words"].search(role))
    if not (verb and (described or who or _starts_clause(t.text, m.start()))
            or before and described or titled and _starts_sentence(t.text, m.start())):
        return None
    from_role = None
    if affiliation is None:
        role, from_role = _role_affiliation(t, role, m.start("role") if role else -1)
    role = role or prefix_role
    return SpeakerMention(start=m.start("name"), name=name, role=role,
                          affiliation_id=affiliation or from_role, end=end,
                          spans=[(name_start, m.end("name"))])


def _of_affiliation(t: Reading, pos: int) -> tuple[str | None, str | None, bool]:
    """After a bare name: `of STATE said`, `of STATE, its Chairman, said` (role, affiliation
    id, verb follows) or `of the Pacific Voices Collective, told` (a body not in the
    vocabulary)."""
    of = P["of_entity"].match(t.text, pos)
    mention = t.entity(of.end()) if of else None
    if mention is None:
        return None, None, P["of_body_verb"].match(t.text, pos) is not None
    role = None
    end = mention.end
    if (app := P["apposition"].match(t.text, end)) is not None:
        role = " ".join(app.group().split()[2:]) or None
        end = app.end()
    if P["after_verb"].match(t.text, end) is None:
        return None, None, False
    t.used.add(mention.start)
    return role, mention.concept_id, True


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or before.endswith(("\n", ". ", ".  ", "” ", "\" "))


def _listed_briefer(text: str, pos: int) -> bool:
    """`…, and NAME, ROLE` in a sentence that lists briefers."""
    if not re.search(r"(?:,|;|\band)[ ]*$", text[max(0, pos - 6):pos]):
        return False
    lo = max(0, pos - 400)
    start = max(text.rfind(". ", lo, pos), text.rfind("\n", lo, pos), lo - 1)
    return P["briefers"].search(text, start + 1, pos) is not None


def _starts_clause(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3):pos]
    return pos == 0 or before.endswith(("\n", ". ", ", "))


def _is_entity(t: Reading, start: int, end: int, name: str) -> bool:
    known = t.vocab.lookup(name)
    if known is not None:
        return known.kind != "personal"
    # A place or body that opens the name (`Costa Rica`, `Saudi Arabia`) or spans it; one
    # inside a person's name (`Rafael Montenegro Ortiz`) does not make it an entity.
    i = bisect.bisect_right(t.starts, start) - 1
    for j in (i, i + 1):
        if 0 <= j < len(t.mentions):
            m = t.mentions[j]
            if m.start <= start < m.end and m.start not in t.persons:
                return True
    return False


def _role_affiliation(t: Reading, role: str | None,
                      role_start: int) -> tuple[str | None, str | None]:
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


def delegates(t: Reading) -> list[SpeakerMention]:
    """Delegates named by their State: `the representative of X`, lists, possessives."""
    out = []
    for m in P["delegate_of"].finditer(t.text, t.body_start):
        role = m.group("role") or ""
        plural = (m.group("role2") or m.group("role4")) is not None or any(
            w.endswith("s") and w != "Affairs" for w in role.split())
        pos = m.end()
        while (mention := t.entity(pos)) is not None:
            t.used.add(mention.start)
            if t.usable(m.start(), mention.end):
                start = mention.start if plural else m.start()
                out.append(SpeakerMention(start=start,
                                          role=delegate_role(m.group("role") or "representatives"),
                                          affiliation_id=mention.concept_id, end=mention.end,
                                          spans=[(start, mention.end)]))
            sep = P["list_separator"].match(t.text, mention.end)
            if not plural or not sep:
                break
            pos = sep.end()
    for mention in t.mentions:
        if mention.start < t.body_start or not affiliation_kind(mention.concept_id):
            continue
        after = t.text[mention.end:mention.end + 1]
        poss = (P["possessive_role"].match(t.text, mention.end)
                if after == "'" and not mention.adjective else None)
        attr = P["attributive_role"].match(t.text, mention.end) if after == " " else None
        if attr and not re.search(r"(?:^|\W)(?:the|The)[ ]+$",
                                  t.text[max(0, mention.start - 5):mention.start]):
            attr = None
        found = poss or attr
        if found:
            t.used.add(mention.start)
        if found and t.usable(mention.start, found.end()):
            out.append(SpeakerMention(start=mention.start,
                                      role=delegate_role(found.group("role")),
                                      affiliation_id=mention.concept_id, end=found.end()))
    return out


def delegate_role(word: str) -> str:
    """`representatives` -> `representative`; `Foreign Ministers` -> `Foreign Minister`."""
    word = " ".join(word.split())
    if word.lower().rstrip("s") in ("representative", "delegate", "delegation"):
        return "representative"
    if word.startswith("Heads"):
        return "Head" + word[5:]
    return word[:-1] if word.endswith("s") and not word.endswith("Affairs") else word
