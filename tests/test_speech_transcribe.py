"""Channels of a generated meeting recording transcribed on this machine: the spoken
keywords come back at the second they were spoken; silence gives nothing, quickly."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hexaglot.speech.backends import open_backend
from hexaglot.speech.checkpoint import MemoryCheckpoint
from hexaglot.speech.contract import SpeechBackend
from hexaglot.speech.errors import SpeechInputError
from hexaglot.speech.transcribe import Channel, Transcript, WindowLimit, transcribe_channel
from tests.speech_media import (
    Phrase,
    make_hearing,
    needs_espeak,
    pocketsphinx_or_skip,
    whisper_model_or_skip,
    word_times,
)

pytestmark = needs_espeak

ENGLISH = [Phrase("The Security Council", "en-us", 1.0),
           Phrase("adopted the resolution", "en-us", 5.0),
           Phrase("on peacekeeping in Haiti", "en-us", 9.0)]
SPANISH = [Phrase("El Consejo de Seguridad", "es", 1.0),
           Phrase("aprobó la resolución", "es", 5.0),
           Phrase("sobre el mantenimiento de la paz", "es", 9.0)]
# Audio streams, numbered from 1: floor (English), English, Spanish, Arabic (silent).
FLOOR, ENG, SPA, ARA = 1, 2, 3, 4


@pytest.fixture(scope="module")
def hearing(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, list[Phrase]]]:
    path = tmp_path_factory.mktemp("hearing") / "hearing.mkv"
    placed = make_hearing(path, [("mul", ENGLISH), ("eng", ENGLISH), ("spa", SPANISH),
                                 ("ara", [])], seconds=14)
    return path, dict(enumerate(placed, start=1))


@pytest.fixture(scope="module")
def whisper(tmp_path_factory: pytest.TempPathFactory) -> SpeechBackend:
    model = whisper_model_or_skip(tmp_path_factory.getbasetemp() / "speech-models")
    return open_backend("faster-whisper", model)


@pytest.fixture(scope="module")
def sphinx() -> SpeechBackend:
    pocketsphinx_or_skip()
    return open_backend("pocketsphinx")


def run(path: Path, stream: int, language: str, backend: SpeechBackend) -> Transcript:
    return transcribe_channel(Channel(path, stream, language), backend, MemoryCheckpoint(),
                              window_seconds=6.0)


def assert_spoken(transcript: Transcript, phrases: list[Phrase], keywords: dict[str, int]) -> None:
    """Each keyword (-> index of the phrase that says it) is heard within its phrase ± 1 s."""
    for word, k in keywords.items():
        p = phrases[k]
        times = word_times(transcript.segments, word)
        heard = " | ".join(f"{s.start:.1f}-{s.end:.1f} {s.text}" for s in transcript.segments)
        assert any(p.at - 1 <= t <= p.at + p.duration + 1 for t in times), \
            f"{word!r} not heard in {p.at:.1f}-{p.at + p.duration:.1f} s ± 1 s; heard: {heard}"


def test_english_channel_by_pocketsphinx(hearing, sphinx) -> None:
    path, placed = hearing
    transcript = run(path, ENG, "en", sphinx)
    assert_spoken(transcript, placed[ENG], {"security": 0, "council": 0, "resolution": 1})
    assert transcript.model.startswith("pocketsphinx-") and transcript.backend == "pocketsphinx"
    for s in transcript.segments:
        assert 0 <= s.confidence <= 1 and s.model == transcript.model and s.language == "en"
        assert all(s.start - 0.05 <= w.start <= w.end <= s.end + 0.05 for w in s.words)


def test_english_channel_by_faster_whisper(hearing, whisper) -> None:
    path, placed = hearing
    transcript = run(path, ENG, "en", whisper)
    assert_spoken(transcript, placed[ENG],
                  {"security": 0, "council": 0, "resolution": 1, "peacekeeping": 2})
    assert {s.model for s in transcript.segments} == {"whisper-base"}
    assert all(0 < s.confidence <= 1 for s in transcript.segments)


def test_spanish_channel_by_faster_whisper(hearing, whisper) -> None:
    path, placed = hearing
    transcript = run(path, SPA, "es", whisper)
    assert_spoken(transcript, placed[SPA],
                  {"consejo": 0, "seguridad": 0, "resolución": 1, "mantenimiento": 2})
    assert {s.language for s in transcript.segments} == {"es"}


def test_floor_channel_is_transcribed_in_the_language_given(hearing, whisper) -> None:
    path, placed = hearing
    transcript = run(path, FLOOR, "en", whisper)
    assert_spoken(transcript, placed[FLOOR], {"security": 0, "peacekeeping": 2})


@pytest.mark.parametrize("name", ["pocketsphinx", "faster-whisper"])
def test_silent_channel_gives_no_segments_quickly(hearing, name, request) -> None:
    path, _ = hearing
    backend = request.getfixturevalue("sphinx" if name == "pocketsphinx" else "whisper")
    began = time.monotonic()
    transcript = run(path, ARA, "en", backend)
    took = time.monotonic() - began
    assert transcript.segments == []
    assert transcript.windows[-1].final and not transcript.incomplete
    assert took < 5, f"14 s of silence took {took:.1f} s"


def test_a_language_the_backend_lacks_is_refused(hearing, sphinx) -> None:
    path, _ = hearing
    with pytest.raises(SpeechInputError, match="pocketsphinx does not transcribe 'es'"):
        run(path, SPA, "es", sphinx)


def test_the_floor_needs_its_spoken_language(hearing, sphinx) -> None:
    path, _ = hearing
    with pytest.raises(SpeechInputError, match="'original' is not one of"):
        run(path, FLOOR, "original", sphinx)


def test_the_time_limit_cuts_a_window_short_and_keeps_what_it_found(hearing, sphinx) -> None:
    path, _ = hearing
    transcript = transcribe_channel(Channel(path, ENG, "en"), sphinx, MemoryCheckpoint(),
                                    window_seconds=20.0, limit=WindowLimit(floor=0, factor=0))
    assert len(transcript.windows) == 1 and transcript.incomplete == [0]
    assert len(transcript.segments) == 1  # stopped after the first utterance of three
