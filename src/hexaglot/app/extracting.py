"""Draft meeting facts, speakers, subjects and resolutions from texts (stores nothing)."""

from __future__ import annotations

from pathlib import Path

from hexaglot.enrich import Extraction, extract_text
from hexaglot.pages.text_file import read_text

__all__ = ["Extraction", "extract_files"]


def extract_files(files: list[Path]) -> list[Extraction]:
    """Read and extract every file; raise InputError for the first bad one."""
    return [extract_text(read_text(f), str(f)) for f in files]
