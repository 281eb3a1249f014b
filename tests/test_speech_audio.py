"""One audio stream of a master as 16 kHz mono samples, cut into windows at pauses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from hexaglot.speech.audio import samples, windows
from hexaglot.speech.contract import SAMPLE_RATE
from hexaglot.speech.errors import SpeechInputError
from tests.speech_media import Phrase, make_hearing, needs_espeak

pytestmark = needs_espeak


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("audio") / "clip.mkv"
    phrases = [Phrase("General Assembly", "en-us", 0.5), Phrase("ocean conference", "en-us", 4.2),
               Phrase("water for peace", "en-us", 8.1)]
    make_hearing(path, [("eng", []), ("fra", phrases)], seconds=12)
    return path


def test_stream_numbers_count_audio_streams_from_one(clip: Path) -> None:
    silent = np.concatenate(list(samples(clip, 1)))
    spoken = np.concatenate(list(samples(clip, 2)))
    assert abs(len(spoken) / SAMPLE_RATE - 12) < 0.1 and spoken.dtype == np.float32
    assert np.abs(silent).max() < 1e-3 < np.abs(spoken).max()


def test_decoding_from_a_later_start_lines_up_with_decoding_from_zero(clip: Path) -> None:
    full = np.concatenate(list(samples(clip, 2)))
    start = 4.0
    later = np.concatenate(list(samples(clip, 2, start)))
    ref = full[round(start * SAMPLE_RATE):]
    assert abs(len(later) - len(ref)) < SAMPLE_RATE // 50
    probe = slice(4000, 30000)
    errors = {lag: float(np.abs(later[probe] - ref[probe.start + lag:probe.stop + lag]).mean())
              for lag in range(-160, 161, 2)}
    best = min(errors, key=errors.__getitem__)
    assert abs(best) <= 16, f"decoding after a seek is {best} samples off"  # 1 ms
    assert errors[best] < 0.3 * errors[best + 100 if best < 0 else best - 100]


def test_windows_follow_on_and_are_cut_in_pauses(clip: Path) -> None:
    cut = list(windows(clip, 2, 0.0, length=4.0, search=2.0))
    assert cut[0].start == 0 and all(a.end == b.start for a, b in zip(cut, cut[1:], strict=False))
    assert [w.final for w in cut] == [False] * (len(cut) - 1) + [True]
    assert abs(cut[-1].end - 12) < 0.1
    for w in cut[:-1]:
        assert 2.0 <= w.duration <= 4.0
        tail = w.samples[-800:]  # the 50 ms before the cut are quiet
        assert np.sqrt(np.mean(np.square(tail))) < 0.01
    resumed = list(windows(clip, 2, cut[1].start, length=4.0, search=2.0))
    assert [round(w.start, 3) for w in resumed] == [round(w.start, 3) for w in cut[1:]]


def test_silence_gives_full_length_windows(clip: Path) -> None:
    cut = list(windows(clip, 1, 0.0, length=5.0, search=2.0))
    assert [round(w.duration, 2) for w in cut[:-1]] == [4.99, 4.99]


def test_bad_inputs_name_the_file_and_the_problem(clip: Path, tmp_path: Path) -> None:
    with pytest.raises(SpeechInputError, match=r"has no audio stream 3 \(it has 2"):
        list(samples(clip, 3))
    with pytest.raises(SpeechInputError, match="no such file"):
        list(samples(tmp_path / "absent.mkv", 1))
    junk = tmp_path / "junk.mkv"
    junk.write_bytes(b"not media at all" * 100)
    with pytest.raises(SpeechInputError, match="junk.mkv: cannot be opened as media"):
        list(samples(junk, 1))
    with pytest.raises(SpeechInputError, match="window length must be > 0"):
        list(windows(clip, 1, 0.0, length=0))
