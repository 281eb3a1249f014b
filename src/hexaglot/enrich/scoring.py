"""Scoring drafted extractions against labelled press summaries.

One scorer for the benchmark (`benchmarks/extraction.py`) and the tests
(`tests/test_extract_generalization.py`), counting exactly as the acceptance scorer
(`shared/checks/score_extraction.py`) does:

- facts (`meeting_number`, `symbol`, `body`, `date`, `start_time`, `end_time`): accuracy over
  the documents whose label is not null (`body` compared case- and punctuation-insensitively);
- speakers, on documents that label any: a labelled speaker with a name matches an unused
  output speaker whose name holds the label's last word; one without a name matches by
  affiliation (UN short names and common aliases are the same State, and a label contained
  in the output counts); precision is over all output speakers of those documents;
- resolutions: a labelled resolution with a number counts when the output has that number
  with the same stated vote counts.

Labels are dicts in the corpus schema (`shared/corpus/README.md`); outputs are the dicts of
`hexaglot extract --json`."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

#: Fact label -> the `extract --json` field it is compared with.
FACTS = {"meeting_number": "meeting_number", "symbol": "press_symbol", "body": "body",
         "date": "date", "start_time": "began", "end_time": "ended"}
#: Other names of the same State, as the acceptance scorer knows them.
ALIAS = {"united states of america": "united states", "usa": "united states",
         "uk": "united kingdom",
         "united kingdom of great britain and northern ireland": "united kingdom",
         "russia": "russian federation", "syria": "syrian arab republic",
         "iran": "iran islamic republic of", "dprk": "democratic people s republic of korea",
         "turkey": "turkiye", "drc": "democratic republic of congo",
         "democratic republic of the congo": "democratic republic of congo"}
VOTES = ("in_favour", "against", "abstentions")


def label_key(value: object) -> str | None:
    """The comparable form of a label value: accents, case, a leading `the` and punctuation
    dropped (`The Niger` and `niger` are one key)."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKD", str(value).replace("\u2011", "-"))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold()
    s = re.sub(r"^the\s+", "", s.strip())
    return re.sub(r"[^\w]+", " ", s).strip()


def affiliation_key(value: object) -> str | None:
    """`label_key` of an affiliation with the State aliases resolved."""
    key = label_key(value)
    return ALIAS.get(key, key) if key else None


@dataclass
class Score:
    """Counts over a set of documents, and one line per miss (for reading, not scoring)."""

    documents: int = 0
    failed: int = 0
    facts: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in FACTS})
    speakers_found: int = 0
    speakers_labelled: int = 0
    speakers_output: int = 0
    resolutions_found: int = 0
    resolutions_labelled: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def fact_accuracy(self) -> float:
        ok, n = (sum(v[i] for v in self.facts.values()) for i in (0, 1))
        return ok / n if n else 1.0

    @property
    def speaker_recall(self) -> float:
        n = self.speakers_labelled
        return self.speakers_found / n if n else 1.0

    @property
    def speaker_precision(self) -> float:
        n = self.speakers_output
        return self.speakers_found / n if n else 0.0

    @property
    def speaker_f1(self) -> float:
        p, r = self.speaker_precision, self.speaker_recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def resolution_accuracy(self) -> float:
        n = self.resolutions_labelled
        return self.resolutions_found / n if n else 1.0

    def lines(self) -> list[str]:
        """The figures, one per line, as the acceptance scorer prints them."""
        out = [f"{k}: {ok}/{n} = {ok / n if n else 1.0:.3f}" for k, (ok, n) in self.facts.items()]
        out.append(f"speakers: recall {self.speakers_found}/{self.speakers_labelled} = "
                   f"{self.speaker_recall:.3f}, precision {self.speakers_found}/"
                   f"{self.speakers_output} = {self.speaker_precision:.3f}, "
                   f"F1 {self.speaker_f1:.3f}")
        out.append(f"resolutions: {self.resolutions_found}/{self.resolutions_labelled} = "
                   f"{self.resolution_accuracy:.3f}")
        return out


def _same_speaker(label: dict[str, Any], out: dict[str, Any]) -> bool:
    if label.get("name"):
        want, have = label_key(label["name"]), label_key(out.get("name"))
        return bool(want and have and want.split()[-1] in have.split())
    want, have = affiliation_key(label.get("affiliation")), affiliation_key(out.get("affiliation"))
    return want == have or bool(want and have and want in have)


def score_speakers(score: Score, name: str, labelled: list[dict[str, Any]],
                   output: list[dict[str, Any]]) -> None:
    """Add one document's speakers (skipped when the labels name none)."""
    if not labelled:
        return
    score.speakers_labelled += len(labelled)
    score.speakers_output += len(output)
    used: set[int] = set()
    for s in labelled:
        hit = next((i for i, o in enumerate(output) if i not in used and _same_speaker(s, o)),
                   None)
        if hit is None:
            score.misses.append(f"{name}: speaker missed {s}")
        else:
            used.add(hit)
    score.speakers_found += len(used)
    score.misses += [f"{name}: extra speaker {o}" for i, o in enumerate(output) if i not in used]


def score_resolutions(score: Score, name: str, labelled: list[dict[str, Any]],
                      output: list[dict[str, Any]]) -> None:
    """Add one document's numbered resolutions (number and stated vote counts)."""
    by_number = {label_key(x.get("number")): x for x in output}
    for x in labelled:
        if x.get("number") is None:
            continue
        score.resolutions_labelled += 1
        o = by_number.get(label_key(x["number"]))
        if o and all(x.get(k) is None or o.get(k) == x.get(k) for k in VOTES):
            score.resolutions_found += 1
        else:
            score.misses.append(f"{name}: resolution {x} != {o}")


def score_facts(score: Score, name: str, label: dict[str, Any], output: dict[str, Any]) -> None:
    """Add one document's meeting facts."""
    for key, out_field in FACTS.items():
        if label.get(key) is None:
            continue
        want, have = label[key], output.get(out_field)
        if key == "body":
            want, have = label_key(want), label_key(have)
        score.facts[key][1] += 1
        if str(want) == str(have):
            score.facts[key][0] += 1
        else:
            score.misses.append(f"{name}: {key} {want!r} != {have!r}")


def score_document(score: Score, label: dict[str, Any], output: dict[str, Any] | None) -> None:
    """Add one labelled document; `output` None is a failed run (scored as empty)."""
    name = label.get("file", "?")
    score.documents += 1
    if output is None:
        score.failed += 1
        score.misses.append(f"{name}: extraction failed")
        output = {}
    score_facts(score, name, label, output)
    score_speakers(score, name, label.get("speakers") or [], output.get("speakers") or [])
    score_resolutions(score, name, label.get("resolutions") or [],
                      output.get("resolutions") or [])


def score_corpus(labels: Iterable[dict[str, Any]],
                 extract: Callable[[dict[str, Any]], dict[str, Any] | None]) -> Score:
    """Score every labelled document; `extract(label)` gives its output (None on failure)."""
    score = Score()
    for label in labels:
        score_document(score, label, extract(label))
    return score
