"""Import catalogue pages and press summaries into the catalogue.

A batch is all or nothing: every file is read and checked first, then everything is
stored in one transaction, so a bad file (or a crash midway) stores nothing of the batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from hexaglot.app.archive import Archive
from hexaglot.catalog import Writer
from hexaglot.domain import Asset
from hexaglot.enrich import Extraction, extract_page, extract_press
from hexaglot.enrich.apply import apply_extraction, conflicts, title_for
from hexaglot.pages.catalogue_page import CataloguePage, read_catalogue_page
from hexaglot.pages.detect import detect_format
from hexaglot.pages.errors import InputError
from hexaglot.pages.text_file import read_text
from hexaglot.pages.to_asset import page_to_asset


def read_pages(paths: Sequence[Path | str]) -> list[CataloguePage]:
    """Read and check every page first, so that one bad file stores nothing at all."""
    return [read_catalogue_page(read_text(p), str(p)) for p in paths]


def _existing(tx: Writer, page: CataloguePage) -> Asset | None:
    """The asset a page describes, if it is already catalogued (same id, same meeting, or
    same title and date)."""
    if page.asset_id:
        return tx.get(page.asset_id)
    if page.meeting_body and page.meeting_number is not None:
        return tx.find_meeting(page.meeting_body, page.meeting_number)
    return tx.find_by_title(page.title, page.recorded_on)


def store_page(tx: Writer, page: CataloguePage) -> Asset:
    """Create or update (in `tx`) the asset a page describes; returns the record saved."""
    existing = _existing(tx, page)
    asset_id = existing.asset_id if existing else (page.asset_id or tx.new_asset_id())
    asset = apply_extraction(page_to_asset(page, asset_id, existing), extract_page(page))
    tx.save(asset)
    return asset


def import_pages(archive: Archive, paths: Sequence[Path | str]) -> list[Asset]:
    """Import catalogue pages, one transaction for the batch; raises InputError (storing
    nothing) if any page is bad or names a parent that is neither catalogued nor in the
    batch. Returns the stored records, in the order of the files."""
    pages = read_pages(paths)
    batch_ids = {p.asset_id for p in pages if p.asset_id}
    catalog = archive.catalog
    for path, page in zip(paths, pages, strict=True):
        if page.parent_id and page.parent_id not in batch_ids and not catalog.get(page.parent_id):
            raise InputError(str(path), f"Parent ID {page.parent_id} is not in the catalogue")
    with catalog.transaction(action="import") as tx:
        stored = {i: store_page(tx, pages[i]).asset_id for i in _parents_first(pages)}
    archive.changed()
    return [catalog.require(stored[i]) for i in range(len(pages))]


def _parents_first(pages: list[CataloguePage]) -> list[int]:
    """Indexes of the pages, every page that is the parent of another of the batch first."""
    ids = {p.asset_id for p in pages if p.asset_id}
    return sorted(range(len(pages)), key=lambda i: pages[i].parent_id in ids)


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


def _meeting_of(tx: Writer, x: Extraction) -> Asset | None:
    if x.body and x.meeting_number is not None:
        return tx.find_meeting(x.body, x.meeting_number)
    day = date.fromisoformat(x.date) if x.date else None
    return tx.find_by_title(title_for(x), day)


def import_press(archive: Archive, paths: Sequence[Path | str]) -> list[PressImport]:
    """Attach each summary to the asset of the same meeting (creating it when there is
    none): description, source, suggested speakers and subjects; confirmed values are kept
    and disagreements returned in `conflicts`. One transaction for the batch."""
    results = []
    with archive.catalog.transaction(action="import") as tx:
        for path, text, x in read_press(paths):
            existing = _meeting_of(tx, x)
            asset = existing or Asset(asset_id=tx.new_asset_id(), title=title_for(x))
            merged = apply_extraction(asset, x, description=text.strip(),
                                      source=x.press_symbol or Path(path).name)
            tx.save(merged)
            results.append(PressImport(path, merged, existing is None,
                                       conflicts(existing, x) if existing else []))
    archive.changed()
    for r in results:
        r.asset = archive.catalog.require(r.asset.asset_id)
    return results
