"""`python -m hexaglot` runs the command line."""

from hexaglot.cli import app

if __name__ == "__main__":
    app()
