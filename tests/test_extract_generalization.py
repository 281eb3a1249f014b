"""Generalization of the press-summary extractor, scored by the one shared scorer
(`hexaglot.enrich.scoring`, the acceptance scorer's rules) on the invented sets
(`fixtures/press_extra/`, 25 summaries; `fixtures/press_new/`, 48 summaries of issue 16 with
16 held out while the rules were written) and on the shared dev corpus when present."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hexaglot.enrich import extract_text
from hexaglot.enrich.scoring import Score, label_key, score_corpus

from .conftest import SHARED

FIXTURES = Path(__file__).parent / "fixtures"
EXTRA = FIXTURES / "press_extra"
NEW = FIXTURES / "press_new"
DEV = SHARED / "corpus" / "dev"


def labels(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


def scored(corpus: Path, rows: list[dict]) -> Score:
    return score_corpus(rows, lambda r: extract_text(
        (corpus / r["file"]).read_text(encoding="utf-8"), r["file"]).as_dict())


def _check(score: Score, f1: float = 0.95, resolutions: float = 0.95) -> None:
    report = "\n".join(score.lines() + score.misses)
    assert score.failed == 0 and score.fact_accuracy == 1.0, report
    assert score.speaker_f1 >= f1, report
    assert score.resolution_accuracy >= resolutions, report


def test_invented_set_has_the_variety_it_claims() -> None:
    rows = labels(EXTRA / "labels.jsonl")
    assert 15 <= len(rows) <= 25
    assert {r["body"] for r in rows} >= {"Security Council", "General Assembly", "First Committee",
                                         "Second Committee", "Third Committee", "Fourth Committee",
                                         "Fifth Committee", "Sixth Committee"}
    assert any(r["meeting_number"] is None and "&" in (EXTRA / r["file"]).read_text("utf-8")
               for r in rows)
    assert sum(len(r["resolutions"]) > 1 for r in rows) >= 3


def test_issue_16_set_has_the_variety_it_claims() -> None:
    rows = labels(NEW / "labels.jsonl")
    held = [r for r in rows if r["split"] == "held-out"]
    assert len(rows) >= 40 and len(held) >= 12 and {r["split"] for r in rows} == {
        "fit", "held-out"}
    assert {r["body"] for r in rows} >= {"Security Council", "General Assembly", "First Committee",
                                         "Second Committee", "Third Committee", "Fourth Committee",
                                         "Fifth Committee", "Sixth Committee"}
    sizes = {r["file"]: len((NEW / r["file"]).read_text("utf-8")) for r in rows}
    long = [f for f, n in sizes.items() if n >= 14000]
    assert len(long) >= 4 and any(f in {r["file"] for r in held} for f in long)
    assert sum(not r["complete"] for r in rows) >= 4


def test_invented_press_summaries_meet_the_targets() -> None:
    _check(scored(EXTRA, labels(EXTRA / "labels.jsonl")), f1=1.0, resolutions=1.0)


@pytest.mark.parametrize("split", ["fit", "held-out"])
def test_issue_16_summaries_meet_the_targets(split: str) -> None:
    """The held-out part was never looked at while rules were written; it holds the figure
    the issue's targets ask for on unseen text (speaker F1 and resolutions >= 0.95)."""
    rows = [r for r in labels(NEW / "labels.jsonl") if r["split"] == split]
    _check(scored(NEW, rows))


@pytest.mark.skipif(not DEV.is_dir(), reason="shared dev corpus (../shared/corpus) not present")
def test_dev_corpus_meets_the_targets() -> None:
    _check(scored(DEV, labels(DEV.parent / "dev.jsonl")), f1=1.0, resolutions=1.0)


def test_scorer_counts_as_the_acceptance_scorer() -> None:
    """Named speakers by the label's last word, unnamed by affiliation (aliases and
    containment), precision over every output speaker, votes only when stated."""
    label = {"file": "x", "body": "Security Council", "symbol": None, "speakers": [
        {"name": "Ban Ki-moon"}, {"name": None, "affiliation": "Syria"},
        {"name": None, "affiliation": "Niger"}],
        "resolutions": [{"number": "2645 (2022)", "in_favour": None, "against": None,
                         "abstentions": None}, {"number": "A/78/L.1", "in_favour": 10,
                                                "against": 0, "abstentions": 2},
                        {"number": None, "in_favour": 1, "against": 1, "abstentions": 1}]}
    out = {"body": "security council.", "speakers": [
        {"name": "Mr. Ban"}, {"name": "Ban Ki-moon"}, {"affiliation": "Syrian Arab Republic"},
        {"affiliation": "Nigeria"}],
        "resolutions": [{"number": "2645 (2022)", "in_favour": 15}, {
            "number": "A/78/L.1", "in_favour": 10, "against": 1, "abstentions": 2}]}
    s = score_corpus([label], lambda r: out)
    # `Niger` counts for `Nigeria`: the acceptance scorer accepts a label contained in the output
    assert (s.speakers_found, s.speakers_labelled, s.speakers_output) == (3, 3, 4)
    assert (s.resolutions_found, s.resolutions_labelled) == (1, 2)
    assert s.facts["body"] == [1, 1] and label_key("The Niger") == "niger"
    assert round(s.speaker_f1, 3) == round(2 * (3 / 4) * 1.0 / (3 / 4 + 1.0), 3)


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
