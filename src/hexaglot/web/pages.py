"""Server-rendered HTML pages."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from hexaglot.app.preservation import fixity_status, preservation_log
from hexaglot.app.viewing import MAX_OFFSET, children, get_asset, list_assets, parent
from hexaglot.domain import Audience
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.web.auth import archive_of, viewer
from hexaglot.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
#: How many of the latest preservation events the staff view of an asset shows.
EVENTS_SHOWN = 50
Viewer = Annotated[Audience, Depends(viewer)]


@router.get("/", response_class=HTMLResponse)
def home(request: Request, who: Viewer,
         page: int = Query(1, ge=1, le=MAX_OFFSET // PAGE_SIZE)) -> HTMLResponse:
    """Recent assets, newest first."""
    found = list_assets(archive_of(request), who, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    return render(request, "index.html", {"assets": found.assets, "page": page,
                                          "has_next": page * PAGE_SIZE < found.total,
                                          "total": found.total})


@router.get("/assets/{asset_id}", response_class=HTMLResponse)
def asset_page(request: Request, asset_id: str, who: Viewer) -> HTMLResponse:
    """One asset, its fields in the order of the catalogue page."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, who)
    staff = {}
    if who >= Audience.STAFF:  # the staff view: the asset's preservation state
        staff = {"events": preservation_log(archive, asset.asset_id, who)[-EVENTS_SHOWN:],
                 "fixity": fixity_status(archive, asset.asset_id)}
    return render(request, "asset.html", {
        "asset": asset, "children": children(archive, asset, who),
        "parent": parent(archive, asset, who), "subject_kinds": SUBJECT_KINDS, **staff,
    })
