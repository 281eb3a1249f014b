"""Transcription resumes by window: a worker killed with SIGKILL mid-channel loses only the
window it was on; the next run starts where the checkpoint ends and redoes nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from hexaglot.errors import Conflict
from hexaglot.speech.audio import windows
from hexaglot.speech.backends import open_backend
from hexaglot.speech.checkpoint import FileCheckpoint, WindowResult, plan_key
from hexaglot.speech.contract import SpeechSegment, Word
from hexaglot.speech.transcribe import Channel, channel_plan, transcribe_channel
from tests.speech_media import Phrase, make_hearing, needs_espeak, pocketsphinx_or_skip, word_times

WINDOW = 5.0
CHILD = """
import sys
from pathlib import Path
from hexaglot.speech.backends import open_backend
from hexaglot.speech.checkpoint import FileCheckpoint
from hexaglot.speech.transcribe import Channel, channel_plan, transcribe_channel
channel = Channel(Path(sys.argv[1]), 1, "en")
backend = open_backend("pocketsphinx")
checkpoint = FileCheckpoint(Path(sys.argv[2]), channel_plan(channel, backend, float(sys.argv[3])))
transcribe_channel(channel, backend, checkpoint, window_seconds=float(sys.argv[3]),
                   on_window=lambda w: print(w.index, flush=True))
print("finished", flush=True)
"""


@needs_espeak
def test_kill_9_mid_channel_resumes_without_redoing_finished_windows(tmp_path: Path) -> None:
    pocketsphinx_or_skip()
    phrases = [Phrase("The Security Council", "en-us", 1.0 + WINDOW * k) for k in range(8)]
    media = tmp_path / "long.mkv"
    placed = make_hearing(media, [("eng", phrases)], seconds=WINDOW * 8)[0]
    total = sum(1 for _ in windows(media, 1, 0.0, WINDOW))
    ck = tmp_path / "channel.ckpt"
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(media), str(ck), str(WINDOW)],
                             stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    assert child.stdout is not None
    told = []
    for line in child.stdout:
        told.append(line.strip())
        if len(told) == 3:
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL, f"child ended by itself: {told}"

    backend = open_backend("pocketsphinx")
    channel = Channel(media, 1, "en")
    checkpoint = FileCheckpoint(ck, channel_plan(channel, backend, WINDOW))
    before = checkpoint.finished()
    assert 3 <= len(before) < total, f"{len(before)} of {total} windows finished before the kill"

    redone: list[int] = []
    transcript = transcribe_channel(channel, backend, checkpoint, window_seconds=WINDOW,
                                    on_window=lambda w: redone.append(w.index))
    assert redone == list(range(len(before), total))
    assert list(transcript.windows[: len(before)]) == before
    assert [w.index for w in transcript.windows] == list(range(total))
    assert all(a.end == b.start for a, b in zip(transcript.windows, transcript.windows[1:], strict=False))
    assert transcript.windows[-1].final
    # Decoding resumed at the right sample: words after the resume point are on time.
    resumed_at = before[-1].end
    later = [p for p in placed if p.at > resumed_at]
    heard = word_times(transcript.segments, "council") + word_times(transcript.segments, "security")
    on_time = [p for p in later if any(p.at - 1 <= t <= p.at + p.duration + 1 for t in heard)]
    assert len(on_time) >= len(later) - 1 and on_time, (resumed_at, heard)
    # A finished channel is never decoded again.
    again: list[int] = []
    transcribe_channel(channel, backend, FileCheckpoint(ck, channel_plan(channel, backend, WINDOW)),
                       window_seconds=WINDOW, on_window=lambda w: again.append(w.index))
    assert again == []


def _window(index: int, start: float, end: float) -> WindowResult:
    seg = SpeechSegment(start, end, "el consejo", "es", "whisper-base", 0.9,
                        (Word("el", start, start + 0.2, 0.8), Word("consejo", start + 0.2, end, 0.95)))
    return WindowResult(index, start, end, (seg,), seconds=0.5)


def test_a_line_torn_by_a_crash_is_dropped_and_the_window_done_again(tmp_path: Path) -> None:
    path = tmp_path / "c.ckpt"
    ck = FileCheckpoint(path, "plan-a")
    ck.record(_window(0, 0.0, 5.0))
    ck.record(_window(1, 5.0, 10.0))
    with open(path, "ab") as fh:  # the crash: half a line
        fh.write(json.dumps(_window(2, 10.0, 15.0).to_json()).encode()[:40])
    again = FileCheckpoint(path, "plan-a")
    assert again.finished() == [_window(0, 0.0, 5.0), _window(1, 5.0, 10.0)]
    again.record(_window(2, 10.0, 15.0))
    assert [w.index for w in FileCheckpoint(path, "plan-a").finished()] == [0, 1, 2]


def test_a_checkpoint_of_another_plan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.ckpt"
    FileCheckpoint(path, plan_key("m.mkv", 3, "es", "faster-whisper", "whisper-base", 120)).record(
        _window(0, 0.0, 5.0))
    with pytest.raises(Conflict, match="checkpoint of plan 'm.mkv#3:es"):
        FileCheckpoint(path, plan_key("m.mkv", 3, "es", "faster-whisper", "whisper-small", 120))


def test_windows_that_do_not_follow_on_are_refused(tmp_path: Path) -> None:
    class Gappy:
        def finished(self) -> list[WindowResult]:
            return [_window(0, 0.0, 5.0), _window(1, 6.0, 10.0)]

        def record(self, window: WindowResult) -> None:
            raise AssertionError("nothing may be recorded")

    pocketsphinx_or_skip()
    with pytest.raises(Conflict, match="window 1 starts at 6.0 s, but window 1 should start at 5.0 s"):
        transcribe_channel(Channel(tmp_path / "none.mkv", 1, "en"), open_backend("pocketsphinx"),
                           Gappy())
