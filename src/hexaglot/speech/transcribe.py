"""Transcribe one channel of a master, window by window, resumably.

    transcript = transcribe_channel(Channel(path, stream=5, language="en"), backend, checkpoint)

The channel is decoded from the end of the last window the checkpoint holds; each window
goes to the backend with the channel's language (never guessed), is given a time limit
(`WindowLimit`: silence or noise cannot make a model loop for ever: when the limit passes,
the window keeps what was found so far and is marked incomplete), and is recorded in the
checkpoint before the next one starts. Segment times are stream times (seconds).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hexaglot.domain.languages import OFFICIAL_LANGUAGES
from hexaglot.errors import Conflict
from hexaglot.speech.audio import AudioWindow, windows
from hexaglot.speech.checkpoint import Checkpoint, WindowResult, plan_key
from hexaglot.speech.contract import SpeechBackend, SpeechSegment
from hexaglot.speech.errors import SpeechInputError

WindowCallback = Callable[[WindowResult], None]


@dataclass(frozen=True)
class Channel:
    """One audio stream of a master: `stream` counts audio streams from 1 (the track map's
    number); `language` is what is spoken on it, an official language code."""

    path: Path
    stream: int
    language: str


@dataclass(frozen=True)
class WindowLimit:
    """A window of d seconds may take at most `floor + factor * d` seconds of wall time."""

    floor: float = 30.0
    factor: float = 3.0

    def seconds(self, duration: float) -> float:
        """The time limit for a window of `duration` seconds."""
        return self.floor + self.factor * duration


@dataclass(frozen=True)
class Transcript:
    """Every window of a channel, earlier runs' and this run's, in order."""

    language: str
    backend: str
    model: str
    windows: tuple[WindowResult, ...]

    @property
    def segments(self) -> list[SpeechSegment]:
        """All segments in time order."""
        return [s for w in self.windows for s in w.segments]

    @property
    def incomplete(self) -> list[int]:
        """Indexes of windows the time limit cut short."""
        return [w.index for w in self.windows if not w.complete]


def channel_plan(channel: Channel, backend: SpeechBackend, window_seconds: float) -> str:
    """The checkpoint key of transcribing `channel` with `backend` (see `plan_key`)."""
    return plan_key(str(channel.path), channel.stream, channel.language, backend.name,
                    backend.model, window_seconds)


def _check_done(done: list[WindowResult]) -> float:
    """Where the finished windows end; `Conflict` when they are not one run from 0 s."""
    end = 0.0
    for i, w in enumerate(done):
        if w.index != i or abs(w.start - end) > 1e-6:
            raise Conflict(f"checkpoint window {w.index} starts at {w.start} s, but window "
                           f"{i} should start at {end} s; the checkpoint is not of this run")
        end = w.end
    return end


def _check_language(channel: Channel, backend: SpeechBackend) -> None:
    if channel.language not in OFFICIAL_LANGUAGES:
        raise SpeechInputError(f"{channel.path} stream {channel.stream}: spoken language "
                               f"{channel.language!r} is not one of {' '.join(OFFICIAL_LANGUAGES)}"
                               " (give the floor channel the language spoken on it)")
    if channel.language not in backend.languages:
        raise SpeechInputError(f"backend {backend.name} does not transcribe "
                               f"{channel.language!r} (it does {' '.join(sorted(backend.languages))})")


def transcribe_window(backend: SpeechBackend, window: AudioWindow, language: str, index: int,
                      limit: WindowLimit) -> WindowResult:
    """Transcribe one window within its time limit; segments in stream time."""
    began = time.monotonic()
    deadline = began + limit.seconds(window.duration)
    found: list[SpeechSegment] = []
    complete = True
    stream = backend.transcribe(window.samples, language)
    try:
        for segment in stream:
            if segment.text.strip() and segment.start < window.duration:
                found.append(segment.shifted(window.start))
            if time.monotonic() > deadline:
                complete = False
                break
    finally:
        close = getattr(stream, "close", None)
        if close:
            close()
    return WindowResult(index, window.start, window.end, tuple(found), complete,
                        time.monotonic() - began, window.final)


def transcribe_channel(channel: Channel, backend: SpeechBackend, checkpoint: Checkpoint,
                       window_seconds: float = 120.0, limit: WindowLimit | None = None,
                       on_window: WindowCallback | None = None) -> Transcript:
    """Transcribe what the checkpoint lacks of `channel` (see the module docstring).

    `on_window(result)` is called after each new window is recorded (for progress: its
    `end` is the stream time reached)."""
    _check_language(channel, backend)
    done = checkpoint.finished()
    start = _check_done(done)
    results = list(done)
    todo = [] if done and done[-1].final else windows(channel.path, channel.stream, start,
                                                      window_seconds)
    for window in todo:
        result = transcribe_window(backend, window, channel.language, len(results),
                                   limit or WindowLimit())
        checkpoint.record(result)
        results.append(result)
        if on_window:
            on_window(result)
    return Transcript(channel.language, backend.name, backend.model, tuple(results))
