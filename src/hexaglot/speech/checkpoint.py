"""Resumable transcription: the finished windows of one channel, kept as they finish.

The protocol a job persists (the job store implements it; `FileCheckpoint` and
`MemoryCheckpoint` are the two here)::

    checkpoint.finished() -> list[WindowResult]   # what earlier runs finished, in order
    checkpoint.record(window)                     # durable before it returns

`speech.transcribe.transcribe_channel` asks `finished()` once, starts decoding at the end of
the last finished window and calls `record()` after each window, so a worker killed at any
moment (even by `kill -9`) loses at most the window it was working on; a finished window is
never transcribed again. A `WindowResult` is plain JSON (`to_json` / `from_json`), so any
store can keep it: a row per window, or one JSON document per channel.

A checkpoint belongs to one plan (the master, stream, language, backend, model and window
length): `plan_key()` names it, and a `FileCheckpoint` refuses to resume another plan.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from hexaglot.errors import Conflict
from hexaglot.speech.contract import SpeechSegment


@dataclass(frozen=True)
class WindowResult:
    """One finished window: its span in the stream and its segments (stream times).

    `complete` is False when the time limit stopped the backend before the window's end
    (what it found until then is kept); `seconds` is the wall time the window took;
    `final` marks the window that ends the stream (the channel is then done)."""

    index: int
    start: float
    end: float
    segments: tuple[SpeechSegment, ...] = field(default=())
    complete: bool = True
    seconds: float = 0.0
    final: bool = False

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"index": self.index, "start": self.start, "end": self.end,
                "complete": self.complete, "seconds": round(self.seconds, 3),
                "final": self.final,
                "segments": [s.to_json() for s in self.segments]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> WindowResult:
        """The window `to_json` wrote."""
        return cls(int(data["index"]), float(data["start"]), float(data["end"]),
                   tuple(SpeechSegment.from_json(s) for s in data["segments"]),
                   bool(data["complete"]), float(data.get("seconds", 0.0)),
                   bool(data.get("final", False)))


@runtime_checkable
class Checkpoint(Protocol):
    """Where a channel's finished windows are kept (see the module docstring)."""

    def finished(self) -> list[WindowResult]:
        """The windows finished so far, in order (index 0, 1, …)."""
        ...

    def record(self, window: WindowResult) -> None:
        """Keep a finished window durably before returning."""
        ...


def plan_key(source: str, stream: int, language: str, backend: str, model: str,
             window_seconds: float) -> str:
    """The name of a transcription plan: resuming is only allowed under the same one."""
    return f"{source}#{stream}:{language}:{backend}:{model}:{window_seconds:g}s"


class MemoryCheckpoint:
    """Windows kept in memory (a run that need not survive its process)."""

    def __init__(self) -> None:
        self.windows: list[WindowResult] = []

    def finished(self) -> list[WindowResult]:
        return list(self.windows)

    def record(self, window: WindowResult) -> None:
        self.windows.append(window)


class FileCheckpoint:
    """Windows kept in a JSON-lines file: a header line `{"plan": key}`, then one line per
    window, each fsynced. A line torn by a crash mid-write is dropped when the file is
    next opened (that window is simply done again)."""

    def __init__(self, path: str | Path, key: str) -> None:
        self.path, self.key = Path(path), key
        self._windows = self._load()

    def _load(self) -> list[WindowResult]:
        if not self.path.exists():
            return []
        raw, good, windows = self.path.read_bytes(), 0, []
        for number, line in enumerate(raw.splitlines(keepends=True)):
            try:
                data = json.loads(line) if line.endswith(b"\n") else None
            except ValueError:
                data = None
            if not isinstance(data, dict):
                break
            if number == 0:
                if data.get("plan") != self.key:
                    raise Conflict(f"{self.path}: checkpoint of plan {data.get('plan')!r}, "
                                   f"not {self.key!r}; delete it to start again")
            else:
                windows.append(WindowResult.from_json(data))
            good += len(line)
        if good < len(raw):
            with open(self.path, "r+b") as fh:
                fh.truncate(good)
        return windows if good else []

    def finished(self) -> list[WindowResult]:
        return list(self._windows)

    def record(self, window: WindowResult) -> None:
        lines = [] if self.path.exists() and self.path.stat().st_size else [{"plan": self.key}]
        lines.append(window.to_json())
        data = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines)
        with open(self.path, "ab") as fh:
            fh.write(data.encode("utf-8"))
            fh.flush()
            os.fsync(fh.fileno())
        self._windows.append(window)
