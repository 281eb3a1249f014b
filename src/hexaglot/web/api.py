"""The JSON API (documented at /docs). Every error answers `{"error": {"code", "message"}}`."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from starlette.concurrency import run_in_threadpool

from hexaglot.app.editing import Edits, edit_asset, parse_edits
from hexaglot.app.preservation import preservation_log
from hexaglot.app.viewing import MAX_OFFSET, get_asset, list_assets
from hexaglot.domain import Audience
from hexaglot.errors import BadInput
from hexaglot.web.auth import archive_of, require_editor, viewer
from hexaglot.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["assets"], responses=ERROR_RESPONSES)
Viewer = Annotated[Audience, Depends(viewer)]


@router.get("/assets/{asset_id}", summary="One asset's record")
def get_record(request: Request, asset_id: str, who: Viewer) -> dict[str, Any]:
    """The catalogue record of one asset, as `hexaglot show --json` gives it (404 when it
    does not exist or the caller may not see it)."""
    return get_asset(archive_of(request), asset_id, who).model_dump(mode="json")


@router.get("/assets", summary="Assets, most recently updated first")
def list_records(
    request: Request, who: Viewer,
    limit: int = Query(20, ge=1, le=200),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
) -> dict[str, Any]:
    """A page of the asset records the caller may see, with their total count."""
    page = list_assets(archive_of(request), who, limit, offset)
    return {"total": page.total, "limit": page.limit, "offset": page.offset,
            "assets": [a.model_dump(mode="json") for a in page.assets]}


@router.get("/assets/{asset_id}/events", summary="One asset's preservation log (staff)")
def get_events(request: Request, asset_id: str, who: Viewer) -> dict[str, Any]:
    """The asset's preservation events, oldest first (PREMIS-style: type, date, agent,
    outcome, detail, file): ingest, derivation, fixity checks, repairs, deletions,
    exports, imports. Staff only (401 without the cataloguer's bearer token)."""
    if who < Audience.STAFF:
        raise HTTPException(status_code=401, detail="the preservation log is for staff: send "
                            "the cataloguer's bearer token", headers={"WWW-Authenticate": "Bearer"})
    events = preservation_log(archive_of(request), asset_id, who)
    return {"asset_id": asset_id, "events": [e.model_dump(mode="json") for e in events]}


def _edits(raw: bytes) -> Edits:
    try:
        values = orjson.loads(raw or b"{}")
    except orjson.JSONDecodeError as exc:
        raise BadInput(f"the body is not JSON ({exc})") from None
    return parse_edits(values)


@router.patch(
    "/assets/{asset_id}", summary="Edit a record as a cataloguer",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Edits"}}}}},
)
async def patch_record(request: Request, asset_id: str,
                       _staff: Annotated[Audience, Depends(require_editor)]) -> dict[str, Any]:
    """Apply a cataloguer's edits (the `Edits` schema); edited speakers and subjects become
    `confirmed`, so a later extraction never overwrites them. The editor token is checked
    before the body is read."""
    edits = _edits(await request.body())
    archive = archive_of(request)
    get_asset(archive, asset_id, Audience.STAFF)
    saved = await run_in_threadpool(edit_asset, archive, asset_id, edits)
    return saved.model_dump(mode="json")
