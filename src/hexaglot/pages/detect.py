"""Automatic format detection: catalogue page, press summary, or neither (an error)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from hexaglot.pages.catalogue_page import looks_like_catalogue_page
from hexaglot.pages.errors import InputError
from hexaglot.pages.press_summary import looks_like_press_summary
from hexaglot.pages.text_file import read_text

Kind = Literal["catalogue-page", "press-summary"]


def detect_format(text: str, source: str = "<text>") -> Kind:
    """Say which format a text is in; raise InputError naming `source` when it is neither."""
    if not text.strip():
        raise InputError(source, "is empty")
    if looks_like_catalogue_page(text):
        return "catalogue-page"
    if looks_like_press_summary(text):
        return "press-summary"
    raise InputError(source, "is neither a catalogue page nor a press summary")


def read_input(path: Path | str) -> tuple[str, Kind]:
    """Read a file (UTF-8, BOM, any line ends) and detect its format."""
    text = read_text(path)
    return text, detect_format(text, str(path))
