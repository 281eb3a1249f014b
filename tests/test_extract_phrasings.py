"""Speaker, fact and resolution phrasings, each on a short invented press summary."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hexaglot.enrich import extract_press, extract_text

FIXTURES = Path(__file__).parent / "fixtures" / "extract"


def press(body: str, header: str = "9990th Meeting (PM)\nSC/99990\n") -> dict:
    text = f"{header}\nSecurity Council Hears Briefing on an Invented Crisis\n\n{body}\n"
    return extract_press(text).as_dict()


def who(d: dict) -> list[str | None]:
    return [s["name"] or s["affiliation"] or s["role"] for s in d["speakers"]]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("“We will not stand by,” said Ana Petrova, Under-Secretary-General for Testing.",
         ["Ana Petrova"]),
        ("Hugo Lindqvist, Head of the Invented Office, briefed the Council on the harvest.",
         ["Hugo Lindqvist"]),
        ("The representative of Ecuador said the harvest had failed.", ["Ecuador"]),
        ("Malta's representative said the harvest had failed. The Republic of Korea’s delegate "
         "agreed.", ["Malta", "Republic of Korea"]),
        ("The United States’ representative voiced doubts about the plan.", ["United States"]),
        ("The representative of Guyana, Council President for May, speaking in her national "
         "capacity, said the plan was sound.", ["Guyana"]),
        ("Speaking on behalf of the Group of 77 and China, the representative of Uganda said "
         "debt was the problem.", ["Uganda"]),
        ("Also delivering statements were representatives of Chile, Iran (Islamic Republic of), "
         "Türkiye and the Syrian Arab Republic.",
         ["Chile", "Iran (Islamic Republic of)", "Türkiye", "Syrian Arab Republic"]),
        ("The representatives of Peru and Japan also spoke.", ["Peru", "Japan"]),
        ("“Enough,” Erik Sand (Norway), Chair of the Invented Committee, said as he opened "
         "the session.", ["Erik Sand"]),
        ("Council President Rosa Medina ( Colombia) issued the statement.", ["Rosa Medina"]),
        ("Assembly President Omar Haddad hailed the result.", ["Omar Haddad"]),
        ("Kenya's Foreign Minister, Grace Njeri, said the border was calm.", ["Grace Njeri"]),
        ("The Council heard briefings by Lea Roux, Director of the Invented Division, and "
         "Tariq Aziz Khan, Special Envoy for the Lakes.", ["Lea Roux", "Tariq Aziz Khan"]),
        ("Briefing the Council, Ida Berg, who also heads the Invented Mission, said progress "
         "was slow. “It is slow,” Ms. Berg added.", ["Ida Berg"]),
        ("The Chinese representative cautioned against haste.", ["China"]),
        ("The observer for the State of Palestine also spoke.", ["State of Palestine"]),
        ("Briefing the Council were: Ana Petrova, Special Representative for the Lakes; Juan "
         "Ruiz, Executive Director of the Invented Fund; and Mia Holm, Chair of the Panel.",
         ["Ana Petrova", "Juan Ruiz", "Mia Holm"]),
        ("Representatives of the following countries also spoke: Peru, Chile and Japan.",
         ["Peru", "Chile", "Japan"]),
        ("Ambassador Lina Grey of the United States said the vote was historic. Special Envoy "
         "Hans Berger told the Council that talks continue.", ["Lina Grey", "Hans Berger"]),
        ("The Council heard a briefing by the Secretary-General, Ana Petrova, who said the "
         "crisis deepened.", ["Ana Petrova"]),
        ("Addressing the Council, the Minister for Foreign Affairs of Mali, Ali Traore, said "
         "the army had advanced.", ["Ali Traore"]),
        ("Also speaking were representatives of Japan and Peru. Ana Petrova, Special Envoy, "
         "said more.", ["Japan", "Peru", "Ana Petrova"]),
        ("The Under-Secretary-General for Invented Affairs told the Council that talks had "
         "stalled. The representative of Peru agreed.",
         ["Under-Secretary-General for Invented Affairs", "Peru"]),
        ("The Special Representative for the region today pressed the Council to act.\n\n"
         "Briefing the Council, Ida Moss, who also heads the Mission, said more. “Act,” "
         "Ms. Moss said. Civil society speaker Eva Rand, founder of the Invented Forum, "
         "described the attacks.", ["Ida Moss", "Eva Rand"]),
    ],
)
def test_speaker_phrasings(body: str, expected: list[str]) -> None:
    assert who(press(body)) == expected


def test_speakers_affiliations_and_ids() -> None:
    d = press("“Go,” said Ana Petrova, Secretary-General of the Collective Security Treaty "
              "Organization. The representative of the Russian Federation agreed. Tajikistan's "
              "delegate spoke next.")
    assert [(s["affiliation"], s["affiliation_id"]) for s in d["speakers"]] == [
        ("Collective Security Treaty Organization", "org:csto"),
        ("Russian Federation", "RUS"), ("Tajikistan", "TJK")]
    assert d["speakers"][0]["role"] == "Secretary-General"


def test_not_speakers() -> None:
    d = press("On 3 May, the members were briefed by Special Adviser Jon Voss, Head of the "
              "Invented Team, on the crisis.\n\nShe said President Karl Mint, along with "
              "others, assessed the plan. Tajikistan’s proposal was noted. Armenia, Belarus, "
              "Kazakhstan and Kyrgyzstan signed it.")
    assert d["speakers"] == []


def test_cut_off_fragment_needs_a_verb() -> None:
    d = press("The representative of Chile said yes. Canada’s representative, w")
    assert who(d) == ["Chile"]
    d = press("The representative of Chile said yes. The representative of Peru, noting the "
              "cost, said that this has left a")
    assert who(d) == ["Chile", "Peru"]


def test_headline_role_when_the_body_names_no_one() -> None:
    text = ("8484th Meeting (PM)\n\nCouncil Extends Mission\n\nSupport Vital for Peace, Says "
            "Permanent Representative\n\nThe Security Council decided today to extend the "
            "mandate of the invented mission by a full year and more.\n")
    speakers = extract_press(text).as_dict()["speakers"]
    assert [{k: v for k, v in s.items() if k != "evidence"} for s in speakers] == [
        {"name": None, "role": "Permanent Representative", "affiliation": None,
         "affiliation_id": None}]
    (span,) = speakers[0]["evidence"]
    assert text[span["start"]:span["end"]] == "Permanent Representative"


def test_meeting_facts() -> None:
    d = extract_press((FIXTURES / "sc-vote.txt").read_text(encoding="utf-8")).as_dict()
    assert (d["body"], d["press_symbol"], d["date"], d["began"], d["ended"]) == (
        "Security Council", "SC/99020", "2025-03-02", "15:05", "15:40")
    d = extract_press((FIXTURES / "sc-debate.txt").read_text(encoding="utf-8")).as_dict()
    assert (d["meeting_number"], d["record_symbol"], d["began"], d["ended"]) == (
        9901, "S/PV.9901", "10:04", "12:47")
    d = extract_press((FIXTURES / "ga-plenary.txt").read_text(encoding="utf-8")).as_dict()
    assert (d["body"], d["meeting_number"], d["record_symbol"]) == (
        "General Assembly", 41, "A/81/PV.41")


@pytest.mark.parametrize(
    ("header", "field", "value"),
    [("21/06/2002\n", "date", "2002-06-21"), ("Thursday, 4 June 2020\n", "date", "2020-06-04"),
     ("62nd & 63rd Meetings (AM & PM)\n", "meeting_number", None),
     ("97thMeeting (PM)\n", "meeting_number", 97),
     ("9732nd Meeting (resumed) (Night)\n", "record_symbol", "S/PV.9732"),
     ("GA/SHC/4999\n", "body", "Third Committee"), ("GA/EF/3999\n", "body", "Second Committee"),
     ("SC/11163-AFR/2733-PKO/381\n", "press_symbol", "SC/11163")],
)
def test_header_lines(header: str, field: str, value: object) -> None:
    assert press("The Council met today about an invented crisis in a far place.",
                 header=header)[field] == value


def test_times_started_adjourned_and_noon() -> None:
    d = press("The meeting started at 11:28 a.m. and adjourned at noon.")
    assert (d["began"], d["ended"]) == ("11:28", "12:00")


def _votes(d: dict) -> list[dict]:
    return [{k: v for k, v in r.items() if k != "evidence"} for r in d["resolutions"]]


def test_resolutions_and_votes() -> None:
    d = extract_press((FIXTURES / "sc-vote.txt").read_text(encoding="utf-8")).as_dict()
    assert _votes(d) == [{"number": "2999 (2025)", "in_favour": 13, "against": 0,
                                 "abstentions": 2, "unanimous": False}]
    d = extract_press((FIXTURES / "unanimous-no-header.txt").read_text(encoding="utf-8"))
    assert _votes(d.as_dict()) == [{"number": "2998 (2025)", "in_favour": None, "against": None,
                              "abstentions": None, "unanimous": True}]
    d = extract_press((FIXTURES / "ga-plenary.txt").read_text(encoding="utf-8")).as_dict()
    assert [(r["number"], r["in_favour"], r["against"], r["abstentions"])
            for r in d["resolutions"]] == [("A/81/L.22", 150, 3, 12)]


def test_failed_votes_are_not_adoptions() -> None:
    d = press("The Council failed to adopt a draft resolution (S/2022/720) owing to the negative "
              "vote of a permanent member, by 11 in favour to 1 against, with 3 abstentions.")
    assert d["resolutions"] == []


def test_ga_draft_adopted_without_a_vote() -> None:
    d = press("The Assembly adopted draft resolution A/77/L.5 without a vote.",
              header="20th Meeting (AM)\nGA/99998\n")
    assert [r["number"] for r in d["resolutions"]] == ["A/77/L.5"]


def test_ga_vote_refers_back_to_the_draft() -> None:
    d = press("A draft on invented matters was taken up (L.7/Rev.2).\n\nIt was adopted by a "
              "recorded vote of 120 in favour to 5 against, with 9 abstentions. A separate vote "
              "on paragraph 3 retained it by 100 in favour to 4 against.",
              header="70th Meeting (AM)\nGA/99999\n")
    assert [(r["number"], r["in_favour"]) for r in d["resolutions"]] == [("L.7/Rev.2", 120)]


def test_subjects_by_kind_with_six_labels() -> None:
    d = extract_press((FIXTURES / "sc-debate.txt").read_text(encoding="utf-8")).as_dict()
    s = d["subjects"]
    assert {"Marta Ilves", "Aliyu Danjuma"} <= {x["label"] for x in s["personal"]}
    assert {"org:au", "org:ecowas"} <= {x["id"] for x in s["corporate"]}
    geo = {x["id"]: x for x in s["geographic"]}
    assert {"region:sahel", "MLI", "NER"} <= set(geo)
    assert "USA" not in geo and "NGA" not in geo  # speakers' delegations are not subjects
    assert geo["MLI"]["labels"] == {"ar": "مالي", "zh": "马里", "en": "Mali", "fr": "Mali",
                                    "ru": "Мали", "es": "Malí"}
    assert {"topic:terrorism", "topic:small-arms"} <= {x["id"] for x in s["topical"]}


def test_extract_text_reads_a_catalogue_page() -> None:
    page = (Path(__file__).parent / "fixtures" / "pages" / "sc-meeting.txt")
    if not page.exists():
        pytest.skip("the catalogue-page fixture of the foundation tests is absent")
    d = extract_text(page.read_text(encoding="utf-8")).as_dict()
    assert d["body"] == "Security Council" and d["record_symbol"] == f"S/PV.{d['meeting_number']}"
    assert d["date"] is not None


@pytest.mark.parametrize("body", ["Alpha Beta, " * 4000, "The Chinese representative " * 3000,
                                  "“Yes,” said Ana Bell, President of Peru. " * 2000])
def test_long_repetitive_texts_stay_fast(body: str) -> None:
    start = time.perf_counter()
    press(body)
    assert time.perf_counter() - start < 10  # about 0.5 s; quadratic scans took 30 s
