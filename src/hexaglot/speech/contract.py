"""The speech-to-text contract: what a backend takes and what it gives back.

A backend turns 16 kHz mono float32 samples in one *known* language into segments::

    backend.transcribe(samples, language) -> Iterator[SpeechSegment]

- `samples` is a 1-D `numpy.float32` array in [-1, 1] at `SAMPLE_RATE` (16 000 Hz), one
  channel: a window of an audio stream (`speech.audio` cuts them). Times in what comes back
  are seconds from the first sample of `samples`; the caller adds the window's offset.
- `language` is an official language code (`hexaglot.domain.languages.OFFICIAL_LANGUAGES`)
  that the backend lists in `languages`; a backend never guesses the language, and raises
  `SpeechInputError` for one it cannot do.
- Segments come lazily, in time order, so the caller can stop consuming at a deadline and
  the backend stops working; silence gives no segments at all.
- `name` says which backend (`faster-whisper`, `pocketsphinx`); `model` names the model
  that made the words (it is stored with every segment); `close()` frees the model.

Backends are sibling modules: `speech.whisper` (all six languages) and `speech.sphinx`
(English). `speech.backends` opens one by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

from hexaglot.domain.records import Segment

#: The sample rate every backend takes.
SAMPLE_RATE = 16_000


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span (seconds) and probability (0..1)."""

    text: str
    start: float
    end: float
    confidence: float

    def shifted(self, offset: float) -> Word:
        """The same word `offset` seconds later."""
        return Word(self.text, round(self.start + offset, 3), round(self.end + offset, 3),
                    self.confidence)


@dataclass(frozen=True)
class SpeechSegment:
    """A stretch of speech: its span, its text, its words and how sure the model was.

    `confidence` is 0..1 (the mean token probability for Whisper, the mean word posterior
    for pocketsphinx); `model` names the model that produced it."""

    start: float
    end: float
    text: str
    language: str
    model: str
    confidence: float
    words: tuple[Word, ...] = field(default=())

    def shifted(self, offset: float) -> SpeechSegment:
        """The same segment `offset` seconds later (window time to stream time)."""
        return SpeechSegment(round(self.start + offset, 3), round(self.end + offset, 3),
                             self.text, self.language, self.model, self.confidence,
                             tuple(w.shifted(offset) for w in self.words))

    def as_record(self, asset_id: str, track: str) -> Segment:
        """The catalogue's transcript segment for this speech on the asset's `track`
        (`original` for the floor, else the track's language), marked `machine` with the
        model and its confidence."""
        return Segment(asset_id=asset_id, language=track, start=self.start, end=self.end,
                       text=self.text, origin="machine", model=self.model,
                       confidence=self.confidence)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (checkpoints and job results store this)."""
        return {"start": self.start, "end": self.end, "text": self.text,
                "language": self.language, "model": self.model, "confidence": self.confidence,
                "words": [[w.text, w.start, w.end, w.confidence] for w in self.words]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> SpeechSegment:
        """The segment `to_json` wrote."""
        words = tuple(Word(str(t), float(s), float(e), float(c)) for t, s, e, c in data["words"])
        return cls(float(data["start"]), float(data["end"]), str(data["text"]),
                   str(data["language"]), str(data["model"]), float(data["confidence"]), words)


@runtime_checkable
class SpeechBackend(Protocol):
    """A speech-to-text engine (see the module docstring for the exact contract)."""

    name: str
    model: str
    languages: frozenset[str]

    def transcribe(self, samples: np.ndarray, language: str) -> Iterator[SpeechSegment]:
        """Segments of `samples` (16 kHz mono float32) in `language`, lazily, in order."""
        ...

    def close(self) -> None:
        """Free the model (the backend is not used afterwards)."""
        ...
