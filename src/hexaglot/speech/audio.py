"""One audio stream of a master as 16 kHz mono samples (PyAV), cut into windows.

`windows(path, stream, start)` decodes the N-th audio stream (N counts audio streams from 1,
as the master's track map and `media.probe.AudioStream.number` give it), resamples it to
`SAMPLE_RATE` mono float32 and yields `AudioWindow`s of about `length` seconds, each cut at
the quietest 20 ms of its last `search` seconds so that a cut rarely splits a word. The
first window starts at `start` (a window boundary recorded earlier: resuming decodes from
there, never from the beginning). The same audio and settings always give the same cuts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np

from hexaglot.speech.contract import SAMPLE_RATE
from hexaglot.speech.errors import SpeechInputError

#: The analysis frame for finding a quiet cut (20 ms).
_FRAME = SAMPLE_RATE // 50
#: How long a pause a cut looks for (seconds).
PAUSE = 0.3


@dataclass(frozen=True)
class AudioWindow:
    """`samples` of one window; `first` is the stream's sample number of its first sample;
    `final` is True on the window that ends the stream."""

    first: int
    samples: np.ndarray
    final: bool = False

    @property
    def start(self) -> float:
        """Where the window starts in the stream (seconds)."""
        return self.first / SAMPLE_RATE

    @property
    def end(self) -> float:
        """Where the window ends in the stream (seconds); the next window's `start`."""
        return (self.first + len(self.samples)) / SAMPLE_RATE

    @property
    def duration(self) -> float:
        """Its length in seconds."""
        return len(self.samples) / SAMPLE_RATE


def _open(path: Path, stream: int) -> tuple[av.container.InputContainer, av.audio.AudioStream]:
    if not path.is_file():
        raise SpeechInputError(f"{path}: no such file")
    try:
        container = av.open(str(path), mode="r")
    except av.FFmpegError as exc:
        raise SpeechInputError(f"{path}: cannot be opened as media ({exc})") from exc
    audio = container.streams.audio
    if not 1 <= stream <= len(audio):
        container.close()
        raise SpeechInputError(f"{path}: has no audio stream {stream} (it has {len(audio)} "
                               "audio streams, counted from 1)")
    return container, audio[stream - 1]


def _frame_time(frame: av.AudioFrame) -> float | None:
    if frame.pts is None or frame.time_base is None:
        return None
    return float(frame.pts * frame.time_base)


def samples(path: str | Path, stream: int, start: float = 0.0) -> Iterator[np.ndarray]:
    """16 kHz mono float32 chunks of audio stream `stream` (from 1) from `start` seconds on.

    Raises `SpeechInputError` naming the file for a missing file, a stream the file lacks,
    or audio ffmpeg cannot decode."""
    path = Path(path)
    container, audio = _open(path, stream)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    skip: int | None = None if start > 0 else 0
    try:
        if start > 0 and audio.time_base is not None:
            container.seek(int(start / audio.time_base), stream=audio, backward=True)
        for frame in container.decode(audio):
            if skip is None:  # first frame after a seek: drop what lies before `start`
                t = _frame_time(frame)
                skip = round((start - t) * SAMPLE_RATE) if t is not None else 0
                if skip < 0:  # the seek landed late: keep the timeline with silence
                    yield np.zeros(-skip, dtype=np.float32)
                    skip = 0
            for out in resampler.resample(frame):
                chunk = out.to_ndarray().reshape(-1).astype(np.float32, copy=False)
                if skip:
                    dropped = min(skip, len(chunk))
                    chunk, skip = chunk[dropped:], skip - dropped
                if len(chunk):
                    yield chunk
        for out in resampler.resample(None):
            yield out.to_ndarray().reshape(-1).astype(np.float32, copy=False)[skip or 0:]
    except av.FFmpegError as exc:
        raise SpeechInputError(f"{path}: audio stream {stream} cannot be decoded ({exc})") from exc
    finally:
        container.close()


def quiet_cut(buffer: np.ndarray, length: int, search: int) -> int:
    """The sample index in `[length - search, length]` at the centre of the quietest
    `PAUSE` of `buffer` (20 ms frames, energy averaged over the pause; the latest of
    equally quiet ones, so silence gives full-length windows)."""
    lo = max(0, length - search)
    region = buffer[lo:length]
    frames = len(region) // _FRAME
    if frames < 2:
        return length
    energy = np.square(region[: frames * _FRAME].reshape(frames, _FRAME)).mean(axis=1)
    span = max(1, min(frames, round(PAUSE * 50)))
    smooth = np.convolve(energy, np.ones(span) / span, mode="same")
    best = frames - 1 - int(np.argmin(smooth[::-1]))
    return lo + best * _FRAME + _FRAME // 2


def windows(path: str | Path, stream: int, start: float = 0.0, length: float = 120.0,
            search: float = 10.0) -> Iterator[AudioWindow]:
    """Consecutive windows of about `length` s from `start` (see the module docstring);
    the last one is marked `final`."""
    previous: AudioWindow | None = None
    for window in _cut(Path(path), stream, start, length, search):
        if previous is not None:
            yield previous
        previous = window
    if previous is not None:
        yield AudioWindow(previous.first, previous.samples, final=True)


def _cut(path: Path, stream: int, start: float, length: float,
         search: float) -> Iterator[AudioWindow]:
    if length <= 0 or search < 0:
        raise SpeechInputError(f"window length must be > 0 s and search >= 0 s, not "
                               f"{length} and {search}")
    size = round(length * SAMPLE_RATE)
    reach = min(round(search * SAMPLE_RATE), size // 2)
    offset = round(start * SAMPLE_RATE)
    pending: list[np.ndarray] = []
    held = 0
    for chunk in samples(path, stream, start):
        pending.append(chunk)
        held += len(chunk)
        while held >= size:
            buffer = np.concatenate(pending)
            cut = quiet_cut(buffer, size, reach)
            yield AudioWindow(offset, buffer[:cut])
            offset += cut
            pending, held = [buffer[cut:]], len(buffer) - cut
    if held:
        yield AudioWindow(offset, np.concatenate(pending))
