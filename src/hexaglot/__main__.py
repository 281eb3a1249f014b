"""`python -m hexaglot` runs the command line."""

from hexaglot.cli import app

app()
