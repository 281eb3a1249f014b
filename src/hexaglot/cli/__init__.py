"""The `hexaglot` command line: Typer commands over the same services as the web app.

Each command group lives in its own module and registers itself on `app` (or a sub-app)
when imported below.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="hexaglot",
    help="Hexaglot: an audiovisual archive for multilingual meetings.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
import_app = typer.Typer(help="Import catalogue pages, press summaries and captions.", no_args_is_help=True)
app.add_typer(import_app, name="import")

# Command modules register themselves on import (one line per module).
from hexaglot.cli import catalog_commands
from hexaglot.cli import server_commands
from hexaglot.cli import media_commands
from hexaglot.cli import search_commands
from hexaglot.cli import speech_commands
from hexaglot.cli import interop_commands
from hexaglot.cli import extract_commands
from hexaglot.cli import account_commands  # noqa: E402,F401
