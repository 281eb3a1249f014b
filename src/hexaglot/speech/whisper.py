"""The faster-whisper backend (CTranslate2 Whisper): all six official languages.

The model is a `speech.models.SpeechModel` directory, verified before it is loaded (a wrong
checksum loads nothing). Every call gives the language (Whisper never detects it here),
keeps Silero VAD on (silence never reaches the decoder), turns `condition_on_previous_text`
off (one bad segment cannot feed the next) and asks for word times. faster-whisper is
imported only once the model has passed its checks.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.speech.contract import SpeechSegment, Word
from hexaglot.speech.errors import SpeechInputError, SpeechModelError
from hexaglot.speech.models import HOW_TO, SpeechModel


@dataclass(frozen=True)
class WhisperOptions:
    """How the model runs: CTranslate2 compute type, CPU threads, beam size."""

    compute_type: str = "int8"
    cpu_threads: int = 1
    beam_size: int = 5


def _probability(logprob: float) -> float:
    return round(min(1.0, max(0.0, math.exp(logprob))), 4)


class FasterWhisperBackend:
    """Whisper through faster-whisper (see the module docstring)."""

    name = "faster-whisper"
    languages = frozenset(OFFICIAL_LANGUAGES)

    def __init__(self, model: SpeechModel, options: WhisperOptions | None = None) -> None:
        model.verify()
        try:
            from faster_whisper import WhisperModel
        except ImportError as exc:
            raise SpeechModelError(f"faster-whisper is not installed ({HOW_TO})") from exc
        self.options = options or WhisperOptions()
        self.model = model.name
        try:
            self._whisper: Any = WhisperModel(
                str(model.path), device="cpu", compute_type=self.options.compute_type,
                cpu_threads=self.options.cpu_threads, num_workers=1, local_files_only=True)
        except (RuntimeError, ValueError, OSError) as exc:
            raise SpeechModelError(f"{model.path}: CTranslate2 cannot load this Whisper model "
                                   f"({exc})") from exc

    def transcribe(self, samples: np.ndarray, language: str) -> Iterator[SpeechSegment]:
        """Segments of `samples` in `language` (see `speech.contract`)."""
        if language not in self.languages:
            raise SpeechInputError(f"faster-whisper: {language!r} is not one of "
                                   f"{' '.join(OFFICIAL_LANGUAGES)}")
        segments, _info = self._whisper.transcribe(
            samples, language=language, task="transcribe", beam_size=self.options.beam_size,
            vad_filter=True, condition_on_previous_text=False, word_timestamps=True)
        for s in segments:
            words = tuple(Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3),
                               round(float(w.probability), 4)) for w in (s.words or ()))
            yield SpeechSegment(round(float(s.start), 3), round(float(s.end), 3), s.text.strip(),
                                language, self.model, _probability(s.avg_logprob), words)

    def close(self) -> None:
        self._whisper = None
