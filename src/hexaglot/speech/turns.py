"""Speaker turns: propose each drafted speaker's start and end from a floor transcript.

The cataloguer drafts the speakers in speaking order (from the press summary); the floor
(or English) channel's transcript says when the chair hands over: "I now give the floor to
the representative of France." starts France's turn once the chair's sentence ends and ends
the turn before it; "I thank the representative of France …" ends France's turn. The
phrasings per language are data (`turns.yaml`). Speakers no phrase names are placed at the
longest pauses between the turns around them, in order. Every proposal is a suggestion:
`apply_turns` fills only speakers whose times the cataloguer has not confirmed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

import yaml

from hexaglot.domain.records import Speaker
from hexaglot.domain.text import fold
from hexaglot.speech.contract import SpeechSegment

CueKind = Literal["floor", "thanks"]
_STOP = re.compile(r"[.!?。！？؟]$")
_PUNCT = re.compile(r"^[\W_]+|[\W_]+$")
_UNSPACED = frozenset({"zh"})
#: At most this many tokens after a phrase name the speaker.
_WHO_TOKENS = 12


@dataclass(frozen=True)
class Token:
    """A word of the transcript: folded text (no punctuation), its times, and whether it
    ends a sentence."""

    text: str
    start: float
    end: float
    stop: bool


@dataclass(frozen=True)
class ChairCue:
    """A chair's phrase found in the transcript: `start` is where the chair's sentence
    begins, `after` where it ends (the next speaker begins), `who` the words naming them."""

    kind: CueKind
    start: float
    after: float
    who: str


@dataclass(frozen=True)
class TurnProposal:
    """A proposed start and end (seconds; None when nothing says) for speaker `index` of
    the drafted order, and what each rests on: `announcement`, `thanks`, `pause`,
    `first words`, `next turn` or `last words`."""

    index: int
    start: float | None
    end: float | None
    start_basis: str | None = None
    end_basis: str | None = None


@cache
def phrases() -> dict[str, dict[str, list[str]]]:
    """The chair's phrasings by language and kind (`turns.yaml`)."""
    text = resources.files("hexaglot.speech").joinpath("turns.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def tokens(segments: Sequence[SpeechSegment]) -> list[Token]:
    """The transcript's words in time order; a segment without word times has its words
    spread evenly over its span."""
    out: list[Token] = []
    for seg in sorted(segments, key=lambda s: s.start):
        if seg.words:
            timed = [(w.text, w.start, w.end) for w in seg.words]
        else:
            parts = seg.text.split()
            step = (seg.end - seg.start) / max(1, len(parts))
            timed = [(p, seg.start + i * step, seg.start + (i + 1) * step)
                     for i, p in enumerate(parts)]
        for raw, start, end in timed:
            text = _PUNCT.sub("", fold(raw))
            stop = bool(_STOP.search(raw.strip())) and fold(raw.strip()) not in _abbreviations()
            if text:
                out.append(Token(text, start, end, stop))
            elif stop and out:  # a full stop on its own ends the word before it
                out[-1] = Token(out[-1].text, out[-1].start, out[-1].end, True)
    return out


def _joined(toks: Sequence[Token], language: str) -> tuple[str, list[int]]:
    """The folded text and, per character, the index of its token."""
    sep = "" if language in _UNSPACED else " "
    text, owner = "", []
    for i, tok in enumerate(toks):
        piece = (sep if text else "") + tok.text
        text += piece
        owner += [i] * len(piece)
    return text, owner


def _cue_at(toks: Sequence[Token], first: int, last: int, kind: CueKind,
            language: str) -> ChairCue:
    end = next((i for i in range(last, len(toks)) if toks[i].stop), None)
    stop = end if end is not None else min(len(toks) - 1, last + _WHO_TOKENS)
    who = ("" if language in _UNSPACED else " ").join(t.text for t in toks[last + 1:stop + 1])
    after = toks[stop + 1].start if stop + 1 < len(toks) else toks[stop].end
    return ChairCue(kind, toks[first].start, after, who)


def find_cues(segments: Sequence[SpeechSegment], language: str) -> list[ChairCue]:
    """Every chair's phrase of `language` in the transcript, in time order."""
    toks = tokens(segments)
    text, owner = _joined(toks, language)
    found: dict[int, ChairCue] = {}
    covered: set[int] = set()
    data = phrases().get(language, {})
    for kind, listed in ((k, data.get(k, [])) for k in ("floor", "thanks")):
        for phrase in sorted(listed, key=len, reverse=True):
            key = " ".join(_PUNCT.sub("", fold(phrase)).split())
            key = key.replace(" ", "") if language in _UNSPACED else key
            for m in re.finditer(re.escape(key), text):
                at = m.start()
                if at and text[at - 1] != " " and language not in _UNSPACED:
                    continue  # not at the start of a word
                first, last = owner[at], owner[m.end() - 1]
                if not covered.intersection(range(first, last + 1)):
                    found[first] = _cue_at(toks, first, last, kind, language)  # type: ignore[arg-type]
                    covered.update(range(first, last + 1))
    return [found[i] for i in sorted(found)]


@cache
def _abbreviations() -> frozenset[str]:
    """Words with a full stop that end no sentence (`abbreviations` in `turns.yaml`)."""
    return frozenset(fold(w) for data in phrases().values() for w in data.get("abbreviations", []))


@cache
def _common() -> frozenset[str]:
    """Words of a chair's cue that name no one in particular (`common` in `turns.yaml`)."""
    return frozenset(fold(w) for data in phrases().values() for w in data.get("common", []))


def _words(text: str) -> set[str]:
    return {w for w in re.split(r"[\W_]+", fold(text)) if len(w) > 2 and w not in _common()}


def _score(who: str, speaker: Speaker) -> int:
    named = _words(" ".join(filter(None, (speaker.name, speaker.affiliation, speaker.role))))
    return len(_words(who) & named)


def _thanked(cue: ChairCue, speakers: Sequence[Speaker]) -> int | None:
    """The drafted speaker a thanks names best, or None when it names none of them."""
    scores = [_score(cue.who, s) for s in speakers]
    best = max(range(len(speakers)), key=scores.__getitem__, default=None)
    return best if best is not None and scores[best] > 0 else None


def _named(cue: ChairCue, speakers: Sequence[Speaker], pointer: int) -> int | None:
    """Which speaker a floor cue names: the best match among the next few, else the next."""
    ahead = range(pointer, min(len(speakers), pointer + 4))
    best = max(ahead, key=lambda j: (_score(cue.who, speakers[j]), -j), default=None)
    if best is not None and _score(cue.who, speakers[best]) > 0:
        return best
    return pointer if pointer < len(speakers) else None


Times = dict[int, tuple[float, str]]


def _floor(cues: Sequence[ChairCue], speakers: Sequence[Speaker], starts: Times,
           handover: dict[int, float]) -> None:
    """Starts from the chair giving the floor, in speaking order."""
    pointer = 0
    for cue in cues:
        j = _named(cue, speakers, pointer) if cue.kind == "floor" else None
        if j is not None:
            starts[j], handover[j] = (cue.after, "announcement"), cue.start
            pointer = j + 1


def _thanks(cues: Sequence[ChairCue], speakers: Sequence[Speaker], starts: Times,
            ends: Times) -> None:
    """Ends from the chair thanking the speaker who was speaking (not someone else)."""
    for cue in cues:
        if cue.kind != "thanks":
            continue
        current = max((k for k in starts if starts[k][0] <= cue.start),
                      key=lambda k: starts[k][0], default=None)
        if current is not None and current not in ends \
                and _thanked(cue, speakers) in (current, None):
            ends[current] = (cue.start, "thanks")


def _pauses(toks: Sequence[Token], min_pause: float) -> list[tuple[float, float]]:
    return [(a.end, b.start) for a, b in zip(toks, toks[1:], strict=False)
            if b.start - a.end >= min_pause]


def _fill_run(first: int, stop: int, toks: Sequence[Token], pauses: list[tuple[float, float]],
              starts: Times, handover: dict[int, float]) -> None:
    """Place speakers first..stop-1 (no cue named them) at the longest pauses between the
    turns around them."""
    lo = starts[first - 1][0] if first > 0 else float("-inf")
    hi = handover.get(stop, starts[stop][0]) if stop in starts else float("inf")
    if first == 0 and toks and toks[0].start < hi:
        starts[0] = (toks[0].start, "first words")
        lo, first = toks[0].start, 1
    inside = [p for p in pauses if lo < p[0] and p[1] < hi]
    chosen = sorted(sorted(inside, key=lambda p: p[0] - p[1])[: stop - first])
    for k, (quiet, resume) in zip(range(first, stop), chosen, strict=False):
        starts[k], handover[k] = (resume, "pause"), quiet


def _ends(n: int, toks: Sequence[Token], starts: Times, ends: Times,
          handover: dict[int, float]) -> None:
    for k in sorted(starts):
        if k in ends:
            continue
        nxt = next((m for m in range(k + 1, n) if m in starts), None)
        bound = handover.get(nxt, starts[nxt][0]) if nxt is not None else float("inf")
        spoken = [t for t in toks if starts[k][0] <= t.start < bound]
        if spoken:
            ends[k] = (spoken[-1].end, "next turn" if nxt is not None else "last words")


def propose_turns(speakers: Sequence[Speaker], segments: Sequence[SpeechSegment],
                  language: str, min_pause: float = 2.0) -> list[TurnProposal]:
    """A proposal per drafted speaker (same order) from the transcript of the floor or the
    `language` channel; pauses shorter than `min_pause` seconds are not turn changes."""
    toks = tokens(segments)
    starts: Times = {}
    ends: Times = {}
    handover: dict[int, float] = {}
    cues = find_cues(segments, language)
    _floor(cues, speakers, starts, handover)
    pauses = _pauses(toks, min_pause)
    k = 0
    while k < len(speakers):
        if k in starts:
            k += 1
            continue
        stop = next((m for m in range(k, len(speakers)) if m in starts), len(speakers))
        _fill_run(k, stop, toks, pauses, starts, handover)
        k = stop
    _thanks(cues, speakers, starts, ends)
    _ends(len(speakers), toks, starts, ends, handover)
    out = []
    for i in range(len(speakers)):
        start, sb = starts.get(i, (None, None))
        end, eb = ends.get(i, (None, None))
        if start is not None and end is not None and end <= start:
            end, eb = None, None
        out.append(TurnProposal(i, _round(start), _round(end), sb, eb))
    return out


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def apply_turns(speakers: Sequence[Speaker], proposals: Sequence[TurnProposal]) -> list[Speaker]:
    """The speakers with proposed times filled in as suggestions; a speaker the cataloguer
    confirmed keeps its times untouched."""
    by_index = {p.index: p for p in proposals}
    out = []
    for i, speaker in enumerate(speakers):
        p = by_index.get(i)
        if p is None or speaker.status == "confirmed":
            out.append(speaker)
            continue
        out.append(speaker.model_copy(update={
            "start": p.start if p.start is not None else speaker.start,
            "end": p.end if p.end is not None else speaker.end, "status": "suggested"}))
    return out
