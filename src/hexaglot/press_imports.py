"""Import use case: press summaries into the catalogue (attached to their meeting's asset)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hexaglot.catalog import Catalog
from hexaglot.domain import Asset
from hexaglot.enrich import Extraction, extract_press
from hexaglot.enrich.apply import apply_extraction, conflicts, title_for
from hexaglot.pages.detect import detect_format
from hexaglot.pages.errors import InputError
from hexaglot.pages.text_file import read_text


@dataclass
class PressImport:
    """What importing one press summary did."""

    path: str
    asset: Asset
    created: bool
    conflicts: list[str] = field(default_factory=list)


def read_press(paths: Sequence[Path | str]) -> list[tuple[str, str, Extraction]]:
    """Read and extract every file first, so that one bad file stores nothing at all."""
    out = []
    for path in paths:
        text = read_text(path)
        if detect_format(text, str(path)) != "press-summary":
            raise InputError(str(path), "is a catalogue page, not a press summary "
                             "(use `hexaglot import page`)")
        out.append((str(path), text, extract_press(text, str(path))))
    return out


def _existing(catalog: Catalog, x: Extraction) -> Asset | None:
    if x.body and x.meeting_number is not None:
        return catalog.find_meeting(x.body, x.meeting_number)
    day = date.fromisoformat(x.date) if x.date else None
    return catalog.find_by_title(title_for(x), day)


def import_press(catalog: Catalog, paths: Sequence[Path | str]) -> list[PressImport]:
    """Attach each summary to the asset of the same meeting (creating it when there is none):
    description, source, suggested speakers and subjects; confirmed values are kept and
    disagreements returned in `conflicts`."""
    results = []
    for path, text, x in read_press(paths):
        existing = _existing(catalog, x)
        asset = existing or Asset(asset_id=catalog.new_asset_id(), title=title_for(x))
        merged = apply_extraction(asset, x, description=text.strip(),
                                  source=x.press_symbol or Path(path).name)
        saved = catalog.save(merged)
        results.append(PressImport(path, saved, existing is None,
                                   conflicts(existing, x) if existing else []))
    return results
