"""The JSON API (documented at /docs)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from hexaglot.archive import Archive
from hexaglot.domain import Asset

router = APIRouter(prefix="/api", tags=["assets"])


def archive_of(request: Request) -> Archive:
    """The archive the app serves."""
    return request.app.state.archive


def visible_asset(request: Request, asset_id: str) -> Asset:
    """The asset, if it exists and an anonymous user may see it; else a 404."""
    asset = archive_of(request).catalog.get(asset_id)
    if asset is None or not asset.is_public():
        raise HTTPException(status_code=404, detail=f"no asset with id {asset_id}")
    return asset


@router.get("/assets/{asset_id}", summary="One asset's record")
def get_asset(request: Request, asset_id: str) -> dict[str, Any]:
    """The catalogue record of one asset, as `hexaglot show --json` gives it."""
    return visible_asset(request, asset_id).model_dump(mode="json")


@router.get("/assets", summary="Assets, most recently updated first")
def list_assets(
    request: Request,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0),
) -> dict[str, Any]:
    """A page of public asset records with the total count."""
    catalog = archive_of(request).catalog
    assets = catalog.list(limit=limit, offset=offset, public_only=True)
    return {
        "total": catalog.count(public_only=True),
        "limit": limit,
        "offset": offset,
        "assets": [a.model_dump(mode="json") for a in assets],
    }
