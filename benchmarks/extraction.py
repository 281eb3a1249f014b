"""Extraction accuracy and speed on a labelled press-summary corpus.

    python benchmarks/extraction.py --corpus ../shared/corpus/dev [--labels FILE] [--repeat N]

Prints per-field precision/recall/F1 against the labels (`dev.jsonl` beside the corpus
folder by default) and documents per second on one core: process CPU time of one process,
vocabularies loaded before timing (wall time is printed too)."""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from pathlib import Path

from hexaglot.enrich import extract_text
from hexaglot.vocab import entity_gazetteer, topic_gazetteer

FACTS = {"meeting_number": "meeting_number", "symbol": "press_symbol", "body": "body",
         "date": "date", "start_time": "began", "end_time": "ended"}
ALIAS = {"united states of america": "united states", "russia": "russian federation",
         "united kingdom of great britain and northern ireland": "united kingdom",
         "syria": "syrian arab republic", "turkey": "turkiye",
         "democratic republic of the congo": "democratic republic of congo"}


def norm(value: object) -> str | None:
    """Case-, accent- and punctuation-insensitive form of a label value."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()
    s = re.sub(r"[^\w]+", " ", re.sub(r"^the\s+", "", s)).strip()
    return ALIAS.get(s, s)


class Score:
    """Counts of true positives, outputs and labels for one field."""

    def __init__(self) -> None:
        self.tp = self.out = self.lab = 0

    def add(self, tp: int, out: int, lab: int) -> None:
        self.tp, self.out, self.lab = self.tp + tp, self.out + out, self.lab + lab

    def line(self, name: str) -> str:
        p = self.tp / self.out if self.out else 1.0
        r = self.tp / self.lab if self.lab else 1.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return f"{name:<16} precision {p:.3f}  recall {r:.3f}  F1 {f1:.3f}  ({self.tp}/{self.out} out, {self.tp}/{self.lab} labelled)"


def _speaker_key(s: dict, named: bool) -> str | None:
    if named:
        return (norm(s.get("name")) or "").split()[-1:] and norm(s.get("name")).split()[-1]
    return norm(s.get("affiliation"))


def score_speakers(got: list[dict], want: list[dict], names: Score, speakers: Score) -> None:
    """Match labelled speakers to output speakers (named by surname, unnamed by affiliation)."""
    used: set[int] = set()
    tp = exact = 0
    for s in want:
        named = bool(s.get("name"))
        key = _speaker_key(s, named)
        for i, o in enumerate(got):
            if i in used:
                continue
            if (named and key and key in (norm(o.get("name")) or "").split()) or (
                    not named and key == norm(o.get("affiliation"))):
                used.add(i)
                tp += 1
                exact += named and o.get("name") == s["name"]
                break
    speakers.add(tp, len(got), len(want))
    names.add(exact, sum(1 for o in got if o.get("name")), sum(1 for s in want if s.get("name")))


def score_resolutions(got: list[dict], want: list[dict], res: Score) -> None:
    """A labelled resolution counts when its number and stated vote counts match."""
    out = {norm(r["number"]): r for r in got if r.get("number")}
    labelled = [r for r in want if r.get("number")]
    tp = sum(1 for r in labelled if (o := out.get(norm(r["number"]))) and all(
        r.get(k) is None or o.get(k) == r.get(k) for k in ("in_favour", "against", "abstentions")))
    res.add(tp, len(out), len(labelled))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, required=True)
    ap.add_argument("--labels", type=Path)
    ap.add_argument("--repeat", type=int, default=20, help="timing passes over the corpus")
    args = ap.parse_args()
    labels_path = args.labels or args.corpus.parent / f"{args.corpus.name}.jsonl"
    rows = [json.loads(line) for line in labels_path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    texts = {r["file"]: (args.corpus / r["file"]).read_text(encoding="utf-8") for r in rows}
    entity_gazetteer(), topic_gazetteer()
    facts = {k: Score() for k in FACTS}
    speakers, names, res = Score(), Score(), Score()
    for r in rows:
        d = extract_text(texts[r["file"]], r["file"]).as_dict()
        for label, field in FACTS.items():
            want, got = r.get(label), d.get(field)
            equal = norm(want) == norm(got) if label == "body" else str(want) == str(got)
            facts[label].add(int(want is not None and got is not None and equal),
                             int(got is not None), int(want is not None))
        if r.get("speakers"):
            score_speakers(d["speakers"], r["speakers"], names, speakers)
        score_resolutions(d["resolutions"], r.get("resolutions") or [], res)
    print(f"corpus: {args.corpus} ({len(rows)} documents, labels {labels_path})")
    for label, s in facts.items():
        print(s.line(label))
    print(speakers.line("speakers"))
    print(names.line("speaker names"))
    print(res.line("resolutions"))
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for name, text in texts.items():
            extract_text(text, name)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    n = args.repeat * len(texts)
    print(f"speed: {n} documents, {used:.2f} s CPU = {n / used:.0f} documents/second on one "
          f"core ({elapsed:.2f} s wall = {n / elapsed:.0f}/s while the machine was shared)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
