"""Import use cases shared by the CLI and the web: catalogue pages into the catalogue."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from hexaglot.catalog import Catalog
from hexaglot.domain import Asset
from hexaglot.enrich import extract_page
from hexaglot.enrich.apply import apply_extraction
from hexaglot.pages.catalogue_page import CataloguePage, read_catalogue_page
from hexaglot.pages.errors import InputError
from hexaglot.pages.text_file import read_text
from hexaglot.pages.to_asset import page_to_asset


def read_pages(paths: Sequence[Path | str]) -> list[CataloguePage]:
    """Read and check every page first, so that one bad file stores nothing at all."""
    return [read_catalogue_page(read_text(p), str(p)) for p in paths]


def existing_for(catalog: Catalog, page: CataloguePage) -> Asset | None:
    """The asset a page describes, if it is already catalogued (same id, same meeting, or
    same title and date)."""
    if page.asset_id:
        return catalog.get(page.asset_id)
    if page.meeting_body and page.meeting_number is not None:
        return catalog.find_meeting(page.meeting_body, page.meeting_number)
    return catalog.find_by_title(page.title, page.recorded_on)


def store_page(catalog: Catalog, page: CataloguePage) -> Asset:
    """Create or update the asset a page describes; returns the stored record."""
    existing = existing_for(catalog, page)
    asset_id = existing.asset_id if existing else (page.asset_id or catalog.new_asset_id())
    asset = page_to_asset(page, asset_id, existing)
    return catalog.save(apply_extraction(asset, extract_page(page)))


def import_pages(catalog: Catalog, paths: Sequence[Path | str]) -> list[Asset]:
    """Import catalogue pages; raises InputError (storing nothing) if any page is bad."""
    pages = read_pages(paths)
    batch_ids = {p.asset_id for p in pages if p.asset_id}
    for path, page in zip(paths, pages, strict=True):
        if page.parent_id and page.parent_id not in batch_ids and not catalog.get(page.parent_id):
            raise InputError(str(path), f"Parent ID {page.parent_id} is not in the catalogue")
    return [store_page(catalog, page) for page in pages]
