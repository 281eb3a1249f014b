"""Server-rendered HTML pages."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.web.api import archive_of, visible_asset
from hexaglot.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


@router.get("/", response_class=HTMLResponse)
def home(request: Request, page: int = Query(1, ge=1)) -> HTMLResponse:
    """Recent assets, newest first."""
    catalog = archive_of(request).catalog
    assets = catalog.list(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, public_only=True)
    total = catalog.count(public_only=True)
    return render(request, "index.html", {"assets": assets, "page": page,
                                          "has_next": page * PAGE_SIZE < total, "total": total})


@router.get("/assets/{asset_id}", response_class=HTMLResponse)
def asset_page(request: Request, asset_id: str) -> HTMLResponse:
    """One asset, its fields in the order of the catalogue page."""
    asset = visible_asset(request, asset_id)
    catalog = archive_of(request).catalog
    children = [c for c in catalog.children(asset_id) if c.is_public()]
    parent = catalog.get(asset.parent_id) if asset.parent_id else None
    return render(request, "asset.html", {
        "asset": asset, "children": children, "parent": parent, "subject_kinds": SUBJECT_KINDS,
    })
