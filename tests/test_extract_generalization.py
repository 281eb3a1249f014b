"""Generalization of the press-summary extractor: scored on invented press summaries
(`fixtures/press_extra/`, labels in `labels.jsonl`, same schema and conventions as the
shared dev corpus) with the project's targets, and on the dev corpus when it is present.

Scoring is stricter than the acceptance scorer: an unnamed speaker's affiliation must be
the same State or organization (so `Niger` does not count for `Nigeria`), and a named
speaker whose label names a State must carry that State."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from hexaglot.enrich import extract_text

from .conftest import SHARED

EXTRA = Path(__file__).parent / "fixtures" / "press_extra"
DEV = SHARED / "corpus" / "dev"
FACTS = {"meeting_number": "meeting_number", "symbol": "press_symbol", "body": "body",
         "date": "date", "start_time": "began", "end_time": "ended"}
ALIAS = {"democratic republic of the congo": "democratic republic of congo"}


def norm(value: object) -> str | None:
    """Case-, accent- and punctuation-insensitive form (a leading `the` dropped)."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKD", str(value))
    s = "".join(c for c in s if not unicodedata.combining(c)).casefold().strip()
    s = re.sub(r"[^\w]+", " ", re.sub(r"^the\s+", "", s)).strip()
    return ALIAS.get(s, s)


def _same_speaker(lab: dict, out: dict) -> bool:
    if lab.get("name"):
        surname = norm(lab["name"]).split()[-1]
        named = surname in (norm(out.get("name")) or "").split()
        return named and (lab.get("affiliation") is None
                          or norm(lab["affiliation"]) == norm(out.get("affiliation")))
    return out.get("name") is None and norm(lab["affiliation"]) == norm(out.get("affiliation"))


@dataclass
class Tally:
    fields_ok: int = 0
    fields_n: int = 0
    sp_tp: int = 0
    sp_lab: int = 0
    sp_out: int = 0
    res_ok: int = 0
    res_n: int = 0

    def speaker_f1(self) -> float:
        p = self.sp_tp / self.sp_out if self.sp_out else 1.0
        r = self.sp_tp / self.sp_lab if self.sp_lab else 1.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score(corpus: Path, labels: Path) -> tuple[Tally, list[str]]:
    """Score every labelled file of `corpus`; also return one line per miss."""
    t, misses = Tally(), []
    for line in labels.read_text(encoding="utf-8").splitlines():
        lab = json.loads(line)
        got = extract_text((corpus / lab["file"]).read_text(encoding="utf-8"), lab["file"])
        d = got.as_dict()
        for key, field in FACTS.items():
            if lab.get(key) is None:
                continue
            t.fields_n += 1
            want, have = lab[key], d[field]
            if key == "body":
                want, have = norm(want), norm(have)
            if str(want) == str(have):
                t.fields_ok += 1
            else:
                misses.append(f"{lab['file']}: {key} {want!r} != {have!r}")
        if lab.get("title") is not None:
            t.fields_n += 1
            if " ".join(lab["title"].split()) == " ".join((d["headline"] or "").split()):
                t.fields_ok += 1
            else:
                misses.append(f"{lab['file']}: headline {d['headline']!r}")
        if lab["speakers"]:
            t.sp_lab, t.sp_out = t.sp_lab + len(lab["speakers"]), t.sp_out + len(d["speakers"])
            used: set[int] = set()
            for s in lab["speakers"]:
                hit = next((i for i, o in enumerate(d["speakers"])
                            if i not in used and _same_speaker(s, o)), None)
                if hit is None:
                    misses.append(f"{lab['file']}: speaker missed {s}")
                else:
                    used.add(hit)
            t.sp_tp += len(used)
            misses += [f"{lab['file']}: extra speaker {o}" for i, o in
                       enumerate(d["speakers"]) if i not in used]
        _score_resolutions(lab, d, t, misses)
    return t, misses


def _score_resolutions(lab: dict, d: dict, t: Tally, misses: list[str]) -> None:
    out = {norm(x["number"]): x for x in d["resolutions"] if x["number"]}
    for x in lab["resolutions"]:
        if x["number"] is None:
            continue
        t.res_n += 1
        o = out.get(norm(x["number"]))
        counts = ("in_favour", "against", "abstentions")
        if o and all(o[k] == x[k] for k in counts):
            t.res_ok += 1
        else:
            misses.append(f"{lab['file']}: resolution {x} != {o}")
    named = {norm(x["number"]) for x in lab["resolutions"] if x["number"]}
    misses += [f"{lab['file']}: extra resolution {x}" for x in d["resolutions"]
               if x["number"] and norm(x["number"]) not in named]


def _check(corpus: Path, labels: Path) -> None:
    t, misses = score(corpus, labels)
    report = "\n".join(misses)
    assert t.fields_ok == t.fields_n, report
    assert t.speaker_f1() >= 0.95, report
    assert t.sp_tp / t.sp_lab >= 0.95, report
    assert t.res_ok / t.res_n >= 0.98, report


def test_invented_set_has_the_variety_it_claims() -> None:
    rows = [json.loads(x) for x in (EXTRA / "labels.jsonl").read_text("utf-8").splitlines()]
    assert 15 <= len(rows) <= 25
    assert {r["body"] for r in rows} >= {"Security Council", "General Assembly", "First Committee",
                                         "Second Committee", "Third Committee", "Fourth Committee",
                                         "Fifth Committee", "Sixth Committee"}
    assert any(r["meeting_number"] is None and "&" in (EXTRA / r["file"]).read_text("utf-8")
               for r in rows)
    assert sum(len(r["resolutions"]) > 1 for r in rows) >= 3


def test_invented_press_summaries_meet_the_targets() -> None:
    _check(EXTRA, EXTRA / "labels.jsonl")


@pytest.mark.skipif(not DEV.is_dir(), reason="shared dev corpus (../shared/corpus) not present")
def test_dev_corpus_meets_the_targets() -> None:
    _check(DEV, DEV.parent / "dev.jsonl")
