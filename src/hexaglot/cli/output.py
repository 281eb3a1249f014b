"""Shared output helpers for the commands: JSON, errors and exit codes, the Rich console.

Every error Hexaglot raises on purpose is printed as one `error:` line and exits with the
code its kind names (`hexaglot.errors`): 2 for bad input and unknown ids, 3 for a refusal,
1 for a failure of the archive itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import typer
from rich.console import Console

from hexaglot.errors import HexaglotError

console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print `error: message` on stderr as one line and exit with `code`."""
    err_console.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True,
                      markup=True)
    raise typer.Exit(code)


@contextmanager
def reported() -> Iterator[None]:
    """Turn a `HexaglotError` raised inside into its `error:` line and exit code."""
    try:
        yield
    except HexaglotError as exc:
        fail(str(exc).replace("[", "\\["), exc.exit_code)


def print_json(data: Any) -> None:
    """Write JSON to stdout (UTF-8, not escaped, indented)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
