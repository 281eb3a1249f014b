"""The one error media code raises for bad input: it names the file and the problem."""

from __future__ import annotations

from pathlib import Path

from hexaglot.errors import BadInput


class MediaError(BadInput):
    """A media file cannot be used; `str()` is `<file>: <problem>`."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem
