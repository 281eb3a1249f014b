"""Segments become a WebVTT file the archive's own caption reader accepts, byte-stable."""

from __future__ import annotations

from pathlib import Path

import webvtt

from hexaglot.search.captions import read_captions
from hexaglot.speech.contract import SpeechSegment, Word
from hexaglot.speech.vtt import timestamp, to_webvtt


def seg(start: float, end: float, text: str, words: tuple[Word, ...] = ()) -> SpeechSegment:
    return SpeechSegment(start, end, text, "es", "whisper-base", 0.8, words)


def test_segments_round_trip_through_the_caption_reader(tmp_path: Path) -> None:
    segments = [seg(12.5, 14.25, "sobre el mantenimiento de la paz"),
                seg(1.0, 3.5, "El Consejo de Seguridad"), seg(3661.004, 3662.0, "  ")]
    text = to_webvtt(segments, note="machine transcript: faster-whisper whisper-base")
    assert text.startswith("WEBVTT\n\nNOTE machine transcript")
    path = tmp_path / "es.vtt"
    path.write_text(text, encoding="utf-8")
    back = read_captions(path, "A1", "es")
    assert [(s.start, s.end, s.text) for s in back] == [
        (1.0, 3.5, "El Consejo de Seguridad"), (12.5, 14.25, "sobre el mantenimiento de la paz")]
    assert to_webvtt(list(reversed(segments)), note="machine transcript: faster-whisper "
                     "whisper-base") == text


def test_cue_text_is_escaped_and_never_breaks_the_format() -> None:
    text = to_webvtt([seg(0, 1, "a --> b & <c>\n\nd")])
    cue = webvtt.from_string(text).captions[0]
    assert cue.raw_text == "a → b &amp; &lt;c&gt; d"


def test_long_segments_are_split_at_words_and_timed_by_them() -> None:
    words = tuple(Word(f"palabra{i}", 10 + i, 10.5 + i, 0.9) for i in range(20))
    text = to_webvtt([seg(10, 30, " ".join(w.text for w in words), words)], max_chars=40)
    captions = webvtt.from_string(text).captions
    assert len(captions) > 1 and all(len(c.text) <= 40 for c in captions)
    assert captions[0].start == "00:00:10.000" and captions[-1].end == "00:00:29.500"
    assert " ".join(c.text for c in captions) == " ".join(w.text for w in words)


def test_timestamps() -> None:
    assert timestamp(0) == "00:00:00.000"
    assert timestamp(3725.4567) == "01:02:05.457"
    assert timestamp(-1) == "00:00:00.000"


def test_a_segment_becomes_a_catalogue_segment_of_its_track() -> None:
    record = seg(1.0, 3.5, "El Consejo").as_record("A1", "original")
    assert (record.asset_id, record.language, record.start, record.end, record.text) == (
        "A1", "original", 1.0, 3.5, "El Consejo")
    assert (record.origin, record.model, record.confidence) == ("machine", "whisper-base", 0.8)
