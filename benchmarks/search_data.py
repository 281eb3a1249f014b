"""A synthetic archive for the search benchmark: Zipf-distributed words in six languages.

Deterministic for a seed: asset `i` is always the same record, so every engine and the raw
Tantivy floor index exactly the same documents without holding them all in memory.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date

from hexaglot.domain import Asset, Meeting, Segment, Speaker, Subject, Subjects

LANGS = ("en", "fr", "es", "ru", "ar", "zh")
_SYLLABLE_TEXT = {
    "en": "ba be bi bo bu ca ce co cu da de di do fa fe fi fo ga ge go ha he hi ho ka ke ki ko "
          "la le li lo lu ma me mi mo mu na ne ni no nu pa pe pi po ra re ri ro ru sa se si so "
          "ta te ti to tu va ve vi vo wa we wi ya zo ing tion ment ers ed",
    "fr": "ba bé bi bo ca cé ci co da dé di do fa fé fi ga gé la lé li lo ma mé mi mo na né ni "
          "pa pé pi po ra ré ri ro sa sé si so ta té ti to va vé vi ment tion eur eux ais",
    "es": "ba be bi bo ca ce ci co da de di do fa fe fi ga ge gi la le li lo ma me mi mo na ne "
          "ni ño pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi ción mente ado",
    "ru": "ба бе би бо ва ве ви во да де ди до жа за зе зи ка ке ки ко ла ле ли ло ма ме ми мо "
          "на не ни но па пе пи по ра ре ри ро са се си со та те ти то ция ние ский",
    "ar": "با بي بو تا تي تو جا جي دا دي را ري سا سي شا عا في قا كا لا لي ما مي نا ني ها وا "
          "يا ات ون ين",
}
_SYLLABLES = {lang: text.split() for lang, text in _SYLLABLE_TEXT.items()}
_CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
BODIES = ["Security Council", "General Assembly", "Economic and Social Council",
          "Human Rights Council", "Trusteeship Council", "Peacebuilding Commission"]
KINDS = ["video", "video", "video", "audio", "photo", "document"]
AVAILABLE = ["original", "ar", "zh", "en", "fr", "ru", "es"]


class Vocabulary:
    """Per-language word lists with Zipf weights (exponent ~1.07, like natural text)."""

    def __init__(self, size: int = 40_000, seed: int = 7) -> None:
        rnd = random.Random(seed)
        self.words: dict[str, list[str]] = {}
        for lang in LANGS:
            seen: dict[str, None] = {}
            while len(seen) < size:
                if lang == "zh":
                    w = "".join(rnd.choices(_CJK, k=rnd.choice((2, 2, 3, 4))))
                else:
                    w = "".join(rnd.choices(_SYLLABLES[lang], k=rnd.choice((2, 3, 3, 4))))
                seen.setdefault(w, None)
            self.words[lang] = list(seen)
        self.cum = list(itertools.accumulate(1 / (r + 1) ** 1.07 for r in range(size)))
        #: Speakers speak for one of about two hundred States and organizations, as at the UN.
        self.affiliations = [w.capitalize() for w in rnd.sample(self.words["en"], 200)]

    def draw(self, rnd: random.Random, lang: str, k: int) -> list[str]:
        """`k` words of a language drawn by Zipf frequency."""
        return rnd.choices(self.words[lang], cum_weights=self.cum, k=k)

    def text(self, rnd: random.Random, lang: str, k: int) -> str:
        """A text of `k` words (Chinese without spaces, like Chinese)."""
        sep = "" if lang == "zh" else " "
        return sep.join(self.draw(rnd, lang, k)).capitalize()

    def queries(self, n: int, seed: int = 11) -> list[str]:
        """`n` different two-word English queries, words drawn by the same Zipf law
        (rank >= 20)."""
        rnd = random.Random(seed)
        pool = self.words["en"][20:]
        cum = self.cum[: len(pool)]
        out: dict[str, None] = {}
        while len(out) < n:
            a, b = rnd.choices(pool, cum_weights=cum, k=2)
            if a != b:
                out.setdefault(f"{a} {b}", None)
        return list(out)


def subjects(vocab: Vocabulary, n: int = 3000) -> list[Subject]:
    """A controlled vocabulary of subjects labelled in the six languages."""
    rnd = random.Random(3)
    return [Subject(id=f"s{i}", label=vocab.text(rnd, "en", 2),
                    labels={lang: vocab.text(rnd, lang, 2) for lang in LANGS})
            for i in range(n)]


def asset(i: int, vocab: Vocabulary, heads: list[Subject],
          segments_per_asset: int = 5) -> tuple[Asset, list[Segment]]:
    """Synthetic asset number `i` and its transcript cues (realistic field sizes)."""
    rnd = random.Random(i)
    aid = str(1_000_000 + i)
    body = rnd.choice(BODIES)
    day = date.fromordinal(date(1995, 1, 1).toordinal() + rnd.randrange(11_000))
    picks = rnd.sample(heads, 6)
    record = Asset(
        asset_id=aid, kind=rnd.choice(KINDS), title=vocab.text(rnd, "en", 12),
        summary=vocab.text(rnd, "en", 30), description=vocab.text(rnd, "en", rnd.randint(80, 320)),
        recorded_on=day, duration_seconds=rnd.randint(600, 12_000),
        available_languages=rnd.sample(AVAILABLE, rnd.randint(2, 7)),
        meeting=Meeting(body=body, number=i, record_symbol=f"S/PV.{i}"),
        speakers=[Speaker(name=vocab.text(rnd, "en", 2), affiliation=rnd.choice(vocab.affiliations))
                  for _ in range(rnd.randint(2, 8))],
        subjects=Subjects(personal=picks[:1], corporate=picks[1:2], geographic=picks[2:4],
                          topical=picks[4:]),
        access="public" if rnd.random() < 0.95 else "restricted",
    )
    cues = []
    for j in range(segments_per_asset):
        lang = rnd.choice(LANGS)
        cues.append(Segment(asset_id=aid, language=lang, start=j * 30.0, end=j * 30.0 + 29,
                            text=vocab.text(rnd, lang, rnd.randint(10, 30)),
                            speaker=record.speakers[j % len(record.speakers)].name))
    return record, cues


def archive(n: int, vocab: Vocabulary, segments_per_asset: int = 5
            ) -> Iterator[tuple[Asset, list[Segment]]]:
    """Assets 0..n-1 with their cues."""
    heads = subjects(vocab)
    for i in range(n):
        yield asset(i, vocab, heads, segments_per_asset)
