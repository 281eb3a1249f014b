"""The JSON API (documented at /docs). Every error answers `{"error": {"code", "message"}}`."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from hexaglot.app.editing import Edits, edit_asset, parse_edits
from hexaglot.app.history import asset_history, revert_asset
from hexaglot.app.media import sign_media_url
from hexaglot.app.preservation import preservation_log
from hexaglot.app.turns import clip_turn
from hexaglot.app.viewing import MAX_OFFSET, get_asset, list_assets
from hexaglot.domain import Audience
from hexaglot.errors import BadInput
from hexaglot.web.auth import Editor, Principal, archive_of, clock, staff_principal, viewer
from hexaglot.web.errors import ERROR_RESPONSES

router = APIRouter(prefix="/api", tags=["assets"], responses=ERROR_RESPONSES)
Viewer = Annotated[Audience, Depends(viewer)]
Staff = Annotated[Principal, Depends(staff_principal)]


@router.get("/assets/{asset_id}", summary="One asset's record")
def get_record(request: Request, asset_id: str, who: Viewer) -> dict[str, Any]:
    """The catalogue record of one asset, as `hexaglot show --json` gives it (404 when it
    does not exist or the caller may not see it). The media URLs of an asset that is not
    public are signed: they work without the session for `HEXAGLOT_SIGNED_URL_HOURS`."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, who)
    record = asset.model_dump(mode="json")
    if asset.visibility is not None and not asset.visibility.allows(Audience.PUBLIC):
        now = clock(request)
        for f in record.get("formats", []):
            if f.get("url"):
                f["url"] = sign_media_url(archive, f["url"], who, now)
    return record


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
    exports, imports. Staff only (401 when not signed in, 404 for non-staff)."""
    if who < Audience.STAFF:
        raise HTTPException(status_code=401, detail="the preservation log is for staff: sign "
                            "in as a cataloguer or send an API token",
                            headers={"WWW-Authenticate": "Bearer"})
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
async def patch_record(request: Request, asset_id: str, who: Editor) -> dict[str, Any]:
    """Apply a cataloguer's edits (the `Edits` schema: also `access` and `status`); edited
    speakers and subjects become `confirmed`, so a later extraction never overwrites them.
    Who may write (a cataloguer's session with the page's `X-CSRF-Token`, or a `write`
    token) is checked before the body is read; the change is entered in the history."""
    edits = _edits(await request.body())
    archive = archive_of(request)
    get_asset(archive, asset_id, Audience.STAFF)
    saved = await run_in_threadpool(edit_asset, archive, asset_id, edits, who.actor)
    return saved.model_dump(mode="json")


@router.get("/assets/{asset_id}/history", summary="One asset's history of changes (staff)")
def get_history(request: Request, asset_id: str, _who: Staff) -> dict[str, Any]:
    """Every change of the record, oldest first: who (`user:EMAIL`, `token:ID (EMAIL)`,
    `cli:LOGIN`, `job:ID`), when, the action and, field by field, the value before and
    after. Cataloguers and admins only (404 for anyone else)."""
    changes = asset_history(archive_of(request), asset_id)
    return {"asset_id": asset_id, "history": [c.as_json() for c in changes]}


@router.post("/assets/{asset_id}/history/{change_id}/revert",
             summary="Put a record back as it was after one of its changes")
def revert_record(request: Request, asset_id: str, who: Editor,
                  change_id: int = Path(ge=1, le=2**62)) -> dict[str, Any]:
    """Undo every change made after `change_id`, field by field; the revert is itself
    entered in the history as a new change."""
    archive = archive_of(request)
    get_asset(archive, asset_id, Audience.STAFF)
    return revert_asset(archive, asset_id, change_id, who.actor).model_dump(mode="json")


@router.post("/assets/{asset_id}/speakers/{number}/clip", status_code=202,
             summary="Cut a speaker's confirmed turn as a statement clip")
def clip_speaker_turn(request: Request, asset_id: str, who: Editor,
                      number: int = Path(ge=1, le=10_000)) -> dict[str, Any]:
    """Make speaker `number`'s confirmed turn (1-based) a statement clip of the meeting:
    the clip's record and its derive job (the renditions are made by the workers). A
    turn still `suggested` answers 409: confirm it first (`PATCH` with `speakers`)."""
    archive = archive_of(request)
    get_asset(archive, asset_id, Audience.STAFF)
    clip, job_id = clip_turn(archive, asset_id, number, actor=who.actor)
    return {"asset": clip.model_dump(mode="json"), "job_id": job_id}
