"""The pocketsphinx backend: CMU's recogniser with the US English model its package ships.

Small and fast, English only: the fallback where no Whisper model is installed. Its own
voice-activity detector (pocketsphinx `Segmenter`) splits the window into utterances, each
decoded on its own; silence gives no utterance and so no segment.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from importlib import metadata
from typing import Any

import numpy as np

from hexaglot.speech.contract import SAMPLE_RATE, SpeechSegment, Word
from hexaglot.speech.errors import SpeechInputError, SpeechModelError

#: Frames per second of pocketsphinx's word times.
_FRAMES = 100
_FILLER = re.compile(r"^(<.*>|\[.*\])$")
_ALTERNATE = re.compile(r"\(\d+\)$")


def _pcm16(samples: np.ndarray) -> bytes:
    clipped = np.clip(samples, -1.0, 1.0)
    return (clipped * 32767.0).astype("<i2").tobytes()


class PocketsphinxBackend:
    """pocketsphinx with its packaged `en-us` model (see the module docstring)."""

    name = "pocketsphinx"
    languages = frozenset({"en"})

    def __init__(self) -> None:
        try:
            from pocketsphinx import Decoder, Segmenter
        except ImportError as exc:
            raise SpeechModelError("pocketsphinx is not installed (pip install "
                                   "'hexaglot[speech]')") from exc
        self.model = f"pocketsphinx-{metadata.version('pocketsphinx')} en-us"
        self._segmenter_class: Any = Segmenter
        self._decoder: Any = Decoder(samprate=SAMPLE_RATE, loglevel="FATAL")

    def _words(self, offset: float) -> list[Word]:
        words = []
        for seg in self._decoder.seg():
            if _FILLER.match(seg.word):
                continue
            words.append(Word(_ALTERNATE.sub("", seg.word), round(offset + seg.start_frame / _FRAMES, 3),
                              round(offset + (seg.end_frame + 1) / _FRAMES, 3),
                              round(min(1.0, max(0.0, float(seg.prob))), 4)))
        return words

    def transcribe(self, samples: np.ndarray, language: str) -> Iterator[SpeechSegment]:
        """Segments of `samples` (English only; see `speech.contract`)."""
        if language not in self.languages:
            raise SpeechInputError(f"pocketsphinx transcribes English only, not {language!r}")
        # A second of silence at the end lets the detector close the last utterance.
        padded = np.concatenate([samples, np.zeros(SAMPLE_RATE, dtype=np.float32)])
        segmenter = self._segmenter_class(sample_rate=SAMPLE_RATE)
        for utterance in segmenter.segment(io.BytesIO(_pcm16(padded))):
            self._decoder.start_utt()
            self._decoder.process_raw(utterance.pcm, full_utt=True)
            self._decoder.end_utt()
            words = self._words(float(utterance.start_time))
            if not words:
                continue
            confidence = sum(w.confidence for w in words) / len(words)
            yield SpeechSegment(round(float(utterance.start_time), 3),
                                round(float(utterance.end_time), 3),
                                " ".join(w.text for w in words), language, self.model,
                                round(confidence, 4), tuple(words))

    def close(self) -> None:
        self._decoder = None
