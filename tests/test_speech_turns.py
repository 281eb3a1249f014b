"""Speaker turns proposed from the drafted speaking order and the floor transcript."""

from __future__ import annotations

import pytest

from hexaglot.domain.records import Speaker
from hexaglot.speech.contract import SpeechSegment, Word
from hexaglot.speech.turns import apply_turns, find_cues, phrases, propose_turns

STEP = 0.4  # seconds per word in the made-up transcripts


def said(at: float, text: str, language: str = "en", unspaced: bool = False) -> SpeechSegment:
    """A segment whose words start at `at`, one every STEP seconds."""
    parts = list(text.replace(" ", "")) if unspaced else text.split()
    words = tuple(Word(w, round(at + i * STEP, 2), round(at + i * STEP + STEP * 0.8, 2), 0.9)
                  for i, w in enumerate(parts))
    return SpeechSegment(at, words[-1].end, text, language, "whisper-base", 0.9, words)


def speaker(affiliation: str, name: str | None = None, **kw) -> Speaker:
    return Speaker(name=name, affiliation=affiliation, **kw)


def test_the_chair_hands_over_and_thanks() -> None:
    speakers = [speaker("France"), speaker("United States"), speaker("China")]
    transcript = [
        said(10, "I now give the floor to the representative of France."),
        said(14, "Thank you, Madam President. France welcomes the adoption of the text."),
        said(30, "I thank the representative of France for her statement."),
        said(33, "I now give the floor to the representative of the United States."),
        said(37.5, "The United States voted in favour."),
        said(50, "I now give the floor to the representative of China."),
        said(54, "China abstained in the vote today."),
    ]
    t = propose_turns(speakers, transcript, "en")
    assert (t[0].start, t[0].start_basis) == (14.0, "announcement")
    assert (t[0].end, t[0].end_basis) == (30.0, "thanks")
    assert (t[1].start, t[1].end_basis) == (37.5, "next turn")
    assert t[1].end == said(37.5, "The United States voted in favour.").end
    assert (t[2].start, t[2].end_basis) == (54.0, "last words")
    assert t[2].end == said(54, "China abstained in the vote today.").end


def test_a_speaker_no_one_announces_is_placed_at_the_longest_pause() -> None:
    speakers = [speaker("France"), speaker("United Kingdom"), speaker("China")]
    transcript = [
        said(0, "I give the floor to the representative of France."),
        said(4, "France has three points."), said(6.2, "First, the mandate."),  # short pause
        said(20, "The United Kingdom wishes to add a word."),                   # long pause
        said(40, "I now give the floor to the representative of China."),
        said(44, "China thanks the Council."),
    ]
    t = propose_turns(speakers, transcript, "en")
    assert t[1].start == 20.0 and t[1].start_basis == "pause"
    assert t[0].end == said(6.2, "First, the mandate.").end and t[0].end_basis == "next turn"
    assert t[1].end == said(20, "The United Kingdom wishes to add a word.").end
    assert t[2].start == 44.0


def test_without_any_chair_phrase_pauses_and_first_words_give_the_turns() -> None:
    speakers = [speaker("Brazil"), speaker("Kenya"), speaker("Japan")]
    transcript = [said(3, "We meet today on water."), said(5.5, "It matters."),
                  said(15, "Water is peace."), said(16.8, "We agree."),
                  said(22, "We also agree."), said(23.9, "Thank you.")]
    t = propose_turns(speakers, transcript, "en")
    assert [p.start for p in t] == [3.0, 15.0, 22.0]
    assert [p.start_basis for p in t] == ["first words", "pause", "pause"]
    assert t[0].end == said(5.5, "It matters.").end


def test_the_named_speaker_is_found_by_name_or_affiliation() -> None:
    speakers = [speaker("Mexico", "Juan Ramón de la Fuente"), speaker("Ireland"),
                speaker("Norway", "Mona Juul")]
    transcript = [said(0, "I now give the floor to Ms. Juul."), said(3, "Norway speaks now.")]
    t = propose_turns(speakers, transcript, "en")
    assert t[2].start == 3.0 and t[2].start_basis == "announcement"
    assert t[0].start is None and t[1].start is None


def test_a_thanks_naming_an_earlier_speaker_does_not_end_the_turn() -> None:
    speakers = [speaker("Ghana", "Shirley Ayorkor Botchwey"), speaker("France")]
    transcript = [said(0, "I give the floor to the Minister for Foreign Affairs of Ghana."),
                  said(5, "Ghana calls for calm."),
                  said(10, "I give the floor to the representative of France."),
                  said(14, "I thank the Minister for Foreign Affairs of Ghana for her statement."),
                  said(20, "France supports the text.")]
    t = propose_turns(speakers, transcript, "en")
    assert [c.kind for c in find_cues(transcript, "en")] == ["floor", "floor", "thanks"]
    assert t[1].start == 14.0 and t[1].end == said(20, "France supports the text.").end
    assert t[1].end_basis == "last words"


def test_confirmed_times_are_never_replaced() -> None:
    speakers = [speaker("France", start=1.0, end=2.0, status="confirmed"), speaker("China")]
    transcript = [said(0, "I give the floor to the representative of France."), said(4, "Yes."),
                  said(10, "I give the floor to the representative of China."), said(14, "No.")]
    out = apply_turns(speakers, propose_turns(speakers, transcript, "en"))
    assert (out[0].start, out[0].end, out[0].status) == (1.0, 2.0, "confirmed")
    assert (out[1].start, out[1].status) == (14.0, "suggested")


CASES = [(lang, kind, phrase) for lang, data in sorted(phrases().items())
         for kind in ("floor", "thanks") for phrase in data.get(kind, [])]
WHO = {"en": "France", "fr": "la France", "es": "Francia", "ru": "Франции", "zh": "法国代表发言",
       "ar": "لممثل فرنسا"}


@pytest.mark.parametrize(("language", "kind", "phrase"), CASES,
                         ids=[f"{lang}-{kind}-{p}" for lang, kind, p in CASES])
def test_each_chair_phrase_is_recognised(language: str, kind: str, phrase: str) -> None:
    unspaced = language == "zh"
    stop = "。" if unspaced else "."
    cue = said(10, f"{phrase} {WHO[language]}{stop}", language, unspaced)
    speech = said(20, "texto del orador" if not unspaced else "发言内容", language, unspaced)
    found = find_cues([cue, speech], language)
    assert [(c.kind, c.start) for c in found] == [(kind, 10.0)]
    speakers = [speaker("France")]
    if kind == "floor":
        t = propose_turns(speakers, [cue, speech], language)
        assert (t[0].start, t[0].start_basis) == (20.0, "announcement")
    else:
        t = propose_turns(speakers, [said(0, "debut" if not unspaced else "开始", language,
                                           unspaced), cue], language)
        assert (t[0].end, t[0].end_basis) == (10.0, "thanks")


def test_a_phrase_inside_a_word_is_not_a_cue() -> None:
    assert find_cues([said(0, "Twice I now give the floor to France.".replace("I now", "XI now"))],
                     "en") == []
