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


def _press(body: str, header: str = "9990th Meeting (PM)\nSC/99990\n") -> dict:
    text = f"{header}\nSecurity Council Acts on an Invented Crisis\n\n{body}\n"
    return extract_text(text).as_dict()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("The Council unanimously adopted resolution 2901 (2031), and then adopted resolution "
         "2902 (2031) by a vote of 12 in favour to 2 against (Peru, Chad), with 1 abstention "
         "(Fiji).", [("2901 (2031)", None, None, None, True), ("2902 (2031)", 12, 2, 1, False)]),
        ("By a recorded vote of 150 in favour to 9 against, with 20 abstentions, the Assembly "
         "adopted draft resolution A/86/L.3.", [("A/86/L.3", 150, 9, 20, False)]),
        ("The Assembly adopted a text on fisheries by 104 votes in favour to 54 against, with 29 "
         "abstentions.  It also adopted draft resolution A/86/L.4 by consensus.",
         [("A/86/L.4", None, None, None, None), (None, 104, 54, 29, False)]),
        ("The Council adopted resolution 2903 (2031) by 14 votes in favour, with 1 abstention "
         "(Peru).", [("2903 (2031)", 14, None, 1, False)]),
        ("The Council adopted resolution 2904 (2031) by 13 votes to none, with 2 abstentions.",
         [("2904 (2031)", 13, 0, 2, False)]),
    ],
)
def test_vote_phrasings(body: str, expected: list[tuple]) -> None:
    got = [(r["number"], r["in_favour"], r["against"], r["abstentions"], r["unanimous"])
           for r in _press(body)["resolutions"]]
    assert got == expected


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Speaking in his national capacity, the Council President (Guyana) urged calm.",
         [(None, "Guyana")]),
        ("The statement was issued by Council President Ana Montenegro Ruiz (Peru):",
         [("Ana Montenegro Ruiz", "Peru")]),
        ("The representatives of Fiji (also on behalf of Samoa), Chad and of Peru also spoke.",
         [(None, "Fiji"), (None, "Chad"), (None, "Peru")]),
        ("The speaker for Bangladesh said the floods were worsening.", [(None, "Bangladesh")]),
        ("Also briefing the Council were Rosa Ortega, Special Envoy, and Tom Beck, a civil "
         "society activist.", [("Rosa Ortega", None), ("Tom Beck", None)]),
        ("The Holy See's observer said peace was fragile.", [(None, "Holy See")]),
        ("The representatives of Egypt, on behalf of the Arab Group, and of Indonesia, on "
         "behalf of the OIC, also spoke, and the Holy See observer concurred.",
         [(None, "Egypt"), (None, "Indonesia"), (None, "Holy See")]),
        ("The representative of the Niger and Nigeria's delegate spoke, as did the delegates of "
         "Guinea, Guinea-Bissau and Equatorial Guinea.",
         [(None, "Niger"), (None, "Nigeria"), (None, "Guinea"), (None, "Guinea-Bissau"),
          (None, "Equatorial Guinea")]),
    ],
)
def test_speaker_phrasings_beyond_the_dev_set(body: str, expected: list[tuple]) -> None:
    assert [(s["name"], s["affiliation"]) for s in _press(body)["speakers"]] == expected


@pytest.mark.parametrize(
    ("header", "number"),
    [("7349th Meeting (AM) & 7350th Meeting (PM)\nSC/99990\n", None),
     ("Seventy-Eighth Session,\n27th, 28th & 29th Meetings (AM, PM & Night)\nGA/99990\n", None),
     ("9095th Meeting (PM)\nSC/99990\n", 9095)],
)
def test_meeting_headers(header: str, number: int | None) -> None:
    d = _press("The Council met today.", header)
    assert d["meeting_number"] == number
    assert d["headline"] == "Security Council Acts on an Invented Crisis"


@pytest.mark.parametrize(
    ("sentence", "times"),
    [("The meeting, which began at 3:05 p.m., ended at 4:30 p.m.", ("15:05", "16:30")),
     ("The meeting began at 10 a.m. and was suspended at 1 p.m.; it resumed at 3 p.m. and "
      "ended at 6:02 p.m.", ("10:00", "18:02")),
     ("The meeting commenced at 12 noon and concluded at 12:20 p.m.", ("12:00", "12:20"))],
)
def test_meeting_time_phrasings(sentence: str, times: tuple[str, str]) -> None:
    d = _press("The Council met today. " + sentence)
    assert (d["began"], d["ended"]) == times
