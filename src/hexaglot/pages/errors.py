"""Errors raised by the readers: each names the input and the problem."""

from __future__ import annotations

from hexaglot.errors import BadInput


class InputError(BadInput):
    """A file that cannot be read as what it claims to be."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem
