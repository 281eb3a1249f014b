"""Extraction accuracy and speed on labelled press-summary corpora.

    python benchmarks/extraction.py [--corpus DIR [--labels FILE]]... [--repeat N] [--misses]

With no `--corpus`, scores the shared dev corpus (`../shared/corpus/dev`, when present), the
project's invented sets (`tests/fixtures/press_extra`, and `tests/fixtures/press_new` with
its `fit` and `held-out` parts separately) and prints documents per second on one core for
2,000- and 20,000-character texts. Figures are counted by `hexaglot.enrich.scoring`, the
acceptance scorer's rules. Speed is process CPU time of one process, vocabularies loaded
before timing (wall time beside it: the machine is shared)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from hexaglot.enrich import extract_text
from hexaglot.enrich.scoring import Score, score_corpus
from hexaglot.vocab import entity_gazetteer, topic_gazetteer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def load(corpus: Path, labels: Path | None = None) -> list[dict]:
    """Label rows of a corpus with each file's text under `text`."""
    path = labels or (corpus / "labels.jsonl" if (corpus / "labels.jsonl").exists()
                      else corpus.parent / f"{corpus.name}.jsonl")
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for r in rows:
        r["text"] = (corpus / r["file"]).read_text(encoding="utf-8")
    return rows


def scored(rows: list[dict]) -> Score:
    """Score rows with the in-process extractor."""
    return score_corpus(rows, lambda r: extract_text(r["text"], r["file"]).as_dict())


def speed(texts: list[str], repeat: int) -> tuple[int, float, float]:
    """(documents, CPU seconds, wall seconds) for `repeat` passes over `texts`."""
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for text in texts:
            extract_text(text)
    return repeat * len(texts), time.process_time() - cpu, time.perf_counter() - start


def report(name: str, rows: list[dict], show_misses: bool) -> None:
    score = scored(rows)
    print(f"== {name}: {len(rows)} documents")
    for line in score.lines():
        print("  " + line)
    if show_misses:
        for miss in score.misses:
            print("    " + miss)


def sized(rows: list[dict], low: int, high: int) -> list[str]:
    return [r["text"] for r in rows if low <= len(r["text"]) <= high]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, action="append", default=[])
    ap.add_argument("--labels", type=Path, action="append", default=[])
    ap.add_argument("--repeat", type=int, default=10, help="timing passes")
    ap.add_argument("--misses", action="store_true", help="print every miss")
    args = ap.parse_args()
    entity_gazetteer(), topic_gazetteer()
    sets: list[tuple[str, list[dict]]] = []
    if args.corpus:
        for i, corpus in enumerate(args.corpus):
            labels = args.labels[i] if i < len(args.labels) else None
            sets.append((str(corpus), load(corpus, labels)))
    else:
        if DEV.is_dir():
            sets.append(("dev corpus (shared)", load(DEV)))
        sets.append(("press_extra (25 invented)", load(FIXTURES / "press_extra")))
        new = load(FIXTURES / "press_new")
        sets.append(("press_new fit", [r for r in new if r["split"] == "fit"]))
        sets.append(("press_new held-out", [r for r in new if r["split"] == "held-out"]))
    for name, rows in sets:
        report(name, rows, args.misses)
    every = [r for _, rows in sets for r in rows]
    print("targets (issue 16): speaker F1 >= 0.95 and resolutions >= 0.95 on unseen text, 1.00 "
          "on the dev corpus; >= 200 documents/second at 2,000 characters, >= 20 at 20,000")
    for label, texts in (("2,000-character", sized(every, 1000, 3000)),
                         ("full-length (14,000-20,000-character)", sized(every, 14000, 40000))):
        if not texts:
            continue
        mean = sum(map(len, texts)) / len(texts)
        n, cpu, wall = speed(texts, args.repeat)
        print(f"speed, {label} texts (mean {mean:,.0f} characters): {n} documents, "
              f"{cpu:.2f} s CPU = {n / cpu:.0f} documents/second on one core "
              f"({wall:.2f} s wall = {n / wall:.0f}/s; target {200 if mean < 5000 else 20})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
