"""The cataloguer's workspace under `/workspace` (cataloguers and admins only; anyone else
gets 404, as if it did not exist; a visitor not signed in is sent to sign in): Today,
resumable uploads (tus 1.0), the record form, the review of drafts, statement clips,
publishing and bulk actions, a record's history. Every write goes through the
application layer, as the signed-in cataloguer (the history names them)."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from hexaglot.app.archive import Archive
from hexaglot.app.clipping import make_clip, reclip
from hexaglot.app.editing import PARENT_ERRORS, EditError, edit_asset, make_edits
from hexaglot.app.history import asset_history, revert_asset
from hexaglot.app.publishing import ACTIONS, bulk_edit, edits_for, publish
from hexaglot.app.reviewing import ReviewedSpeaker, draft, save_review
from hexaglot.app.suggesting import suggest_headings
from hexaglot.app.today import Job, jobs_of, reason, retry_job, state_of, today
from hexaglot.app.uploading import MAX_UPLOAD_BYTES, UploadError, Uploads
from hexaglot.app.viewing import children, get_asset
from hexaglot.domain import Asset, Audience
from hexaglot.domain.languages import AUDIO_LANGUAGES
from hexaglot.domain.records import SUBJECT_KINDS
from hexaglot.errors import HexaglotError, NotFound
from hexaglot.web.auth import (
    Principal,
    Who,
    archive_of,
    csrf_token,
    verify_csrf,
    verify_csrf_header,
)
from hexaglot.web.errors import error_body
from hexaglot.web.pages import player_context
from hexaglot.web.templating import render
from hexaglot.web.workspace_text import field_error


def cataloguer(request: Request, who: Who) -> Principal:
    """Cataloguers and admins only: a visitor not signed in is sent to sign in (a page),
    anyone else gets 404 on every route, as if the workspace did not exist."""
    if who.is_staff:
        return who
    if not who.signed_in and request.method == "GET" and request.url.path == "/workspace":
        raise HTTPException(status_code=303, detail="sign in first",
                            headers={"Location": "/login?next=/workspace"})
    raise NotFound("not found")


router = APIRouter(prefix="/workspace", include_in_schema=False)
Staff = Annotated[Principal, Depends(cataloguer)]
TUS = "1.0.0"
T = TypeVar("T")
#: The fields of the record form, in the order of the catalogue page.
RECORD_FIELDS = ("title", "summary", "recorded_on", "duration", "preview_language",
                 "available_languages", "meeting_body", "meeting_number",
                 "meeting_record_symbol", "meeting_began", "meeting_ended", "description",
                 "source", "access", "embargo", "status", "parent_id")


async def _as(who: Principal, fn: Callable[..., T], *args: Any) -> T:
    """Run a use case in a worker thread, its writes entered in the history as `who`'s."""
    return await run_in_threadpool(fn, *args, actor=who.actor)


async def _form(request: Request) -> dict[str, list[str]]:
    """The posted form (CSRF checked), every value of every name."""
    await verify_csrf(request)
    form = await request.form()
    out: dict[str, list[str]] = {}
    for key, value in form.multi_items():
        if isinstance(value, str):
            out.setdefault(key, []).append(value)
    return out


def _one(form: dict[str, list[str]], name: str) -> str:
    return (form.get(name) or [""])[0]


def _page(request: Request, who: Principal, name: str, context: dict[str, Any],
          status_code: int = 200) -> HTMLResponse:
    return render(request, f"workspace/{name}", {
        "who": who, "csrf": csrf_token(request), "state_of": state_of, "reason": reason,
        **context},
        status_code=status_code, headers={"Cache-Control": "no-store"})


def _back(request: Request, path: str) -> RedirectResponse:
    hl = request.query_params.get("hl")
    return RedirectResponse(path + (f"?hl={hl}" if hl else ""), status_code=303)


# ---- Today -------------------------------------------------------------------------------

def _job_json(job: Job) -> dict[str, Any]:
    return {"id": job.id, "kind": job.kind, "asset_id": job.asset_id, "status": job.status,
            "progress": job.progress, "step": job.step, "attempts": job.attempts,
            "error": reason(job) if job.status == "failed" else None,
            "updated": job.updated.isoformat()}


@router.get("", response_class=HTMLResponse)
def today_page(request: Request, who: Staff) -> HTMLResponse:
    """Today: recent assets with their state, jobs with their progress, the upload."""
    archive = archive_of(request)
    return _page(request, who, "today.html", {"today": today(archive), "actions": ACTIONS,
                                              "kinds": SUBJECT_KINDS})


@router.get("/jobs.json")
def jobs_json(request: Request, who: Staff) -> JSONResponse:
    """The latest jobs with their status, progress and step (what Today polls)."""
    jobs = jobs_of(archive_of(request))
    return JSONResponse({"jobs": [_job_json(j) for j in jobs]},
                        headers={"Cache-Control": "no-store"})


@router.post("/jobs/{job_id}/retry")
async def retry(request: Request, job_id: str, who: Staff) -> Response:
    """Queue a failed job again."""
    await _form(request)
    await _as(who, retry_job, archive_of(request), job_id)
    return _back(request, "/workspace")


@router.post("/bulk")
async def bulk(request: Request, who: Staff) -> Response:
    """One action on the selected assets (publish, unpublish, embargo, access, subject)."""
    form = await _form(request)
    archive = archive_of(request)
    try:
        edits = edits_for(_one(form, "action"), _one(form, "value"))
        await _as(who, bulk_edit, archive, form.get("asset", []), edits)
    except HexaglotError as exc:
        return _page(request, who, "today.html", {
            "today": today(archive), "actions": ACTIONS, "kinds": SUBJECT_KINDS,
            "bulk_error": str(exc)}, status_code=exc.status)
    return _back(request, "/workspace")


# ---- resumable uploads: tus 1.0 (core, creation, termination) -----------------------------

def _tus(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {"Tus-Resumable": TUS, "Cache-Control": "no-store", **(extra or {})}


def _tus_error(exc: HexaglotError, status: int | None = None) -> JSONResponse:
    return JSONResponse(error_body(exc.code, str(exc)), status_code=status or exc.status,
                        headers=_tus())


def _metadata(raw: str) -> dict[str, str]:
    out = {}
    for pair in raw.split(","):
        key, _, value = pair.strip().partition(" ")
        if not key:
            continue
        try:
            out[key] = base64.b64decode(value, validate=True).decode("utf-8") if value else ""
        except (binascii.Error, UnicodeDecodeError):
            raise UploadError(f"Upload-Metadata: the value of {key!r} is not base64 of "
                              "UTF-8 text") from None
    return out


@router.api_route("/uploads", methods=["OPTIONS"])
def tus_options(who: Staff) -> Response:
    """What the upload server speaks."""
    return Response(status_code=204, headers=_tus({
        "Tus-Version": TUS, "Tus-Extension": "creation,termination",
        "Tus-Max-Size": str(MAX_UPLOAD_BYTES)}))


@router.post("/uploads")
async def tus_create(request: Request, who: Staff) -> Response:
    """Start an upload (`Upload-Length`, `Upload-Metadata`: filename, asset, sha256)."""
    verify_csrf_header(request, who)
    try:
        length_text = request.headers.get("upload-length", "")
        if not length_text.isdigit():
            raise UploadError("Upload-Length: give the file's size in bytes (a deferred "
                              "length is not supported)")
        meta = _metadata(request.headers.get("upload-metadata", ""))
        upload = await run_in_threadpool(
            Uploads(archive_of(request)).create, int(length_text), meta.get("filename", ""),
            str(who.user_id), meta.get("asset") or None, meta.get("sha256") or None)
    except HexaglotError as exc:
        return _tus_error(exc)
    return Response(status_code=201, headers=_tus({
        "Location": f"/workspace/uploads/{upload.upload_id}", "Upload-Offset": "0"}))


@router.get("/uploads/{upload_id}")
def tus_head(request: Request, upload_id: str, who: Staff) -> Response:
    """How far an upload got (HEAD, as the protocol asks; GET answers the same)."""
    uploads = Uploads(archive_of(request))
    try:
        upload = uploads.get(upload_id, str(who.user_id))
        offset = uploads.offset(upload)
    except HexaglotError as exc:
        return _tus_error(exc)
    return Response(status_code=200, headers=_tus({
        "Upload-Offset": str(offset), "Upload-Length": str(upload.length)}))


@router.patch("/uploads/{upload_id}")
async def tus_patch(request: Request, upload_id: str, who: Staff) -> Response:
    """Append the body at `Upload-Offset`; with the last byte, ingest the recording."""
    verify_csrf_header(request, who)
    archive = archive_of(request)
    uploads = Uploads(archive)
    if request.headers.get("content-type", "").split(";")[0].strip() != \
            "application/offset+octet-stream":
        return _tus_error(UploadError("Content-Type: want application/offset+octet-stream"),
                          415)
    try:
        upload = uploads.get(upload_id, str(who.user_id))
        given = request.headers.get("upload-offset", "")
        if not given.isdigit():
            raise UploadError("Upload-Offset: give the offset in bytes")
        with uploads.writing(upload, int(given)) as writer:
            try:
                async for chunk in request.stream():
                    if chunk:
                        writer.write(chunk)
            except ClientDisconnect:
                return Response(status_code=204, headers=_tus({
                    "Upload-Offset": str(writer.offset)}))
            offset, complete, sha = writer.offset, writer.complete, writer.sha256()
        if not complete:
            return Response(status_code=204, headers=_tus({"Upload-Offset": str(offset)}))
        done = await _as(who, uploads.finish, upload, sha)
    except HexaglotError as exc:
        return _tus_error(exc)
    return Response(status_code=204, headers=_tus({
        "Upload-Offset": str(offset), "Hexaglot-Asset": done.asset.asset_id,
        "Hexaglot-Job": done.job_id, "Hexaglot-Sha256": done.sha256}))


@router.delete("/uploads/{upload_id}")
def tus_delete(request: Request, upload_id: str, who: Staff) -> Response:
    """Give an upload up (its bytes are removed)."""
    verify_csrf_header(request, who)
    uploads = Uploads(archive_of(request))
    try:
        uploads.cancel(uploads.get(upload_id, str(who.user_id)))
    except HexaglotError as exc:
        return _tus_error(exc)
    return Response(status_code=204, headers=_tus())


# ---- the record form ----------------------------------------------------------------------

def _record_values(asset: Any) -> dict[str, str]:
    access = asset.access
    embargo = access.removeprefix("embargoed until ") if access.startswith("embargoed") else ""
    m = asset.meeting
    return {
        "title": asset.title, "summary": asset.summary or "",
        "recorded_on": asset.recorded_on.isoformat() if asset.recorded_on else "",
        "duration": asset.duration or "", "preview_language": asset.preview_language or "",
        "available_languages": " ".join(asset.available_languages),
        "meeting_body": m.body or "", "meeting_number": str(m.number or ""),
        "meeting_record_symbol": m.record_symbol or "", "meeting_began": m.began or "",
        "meeting_ended": m.ended or "", "description": asset.description or "",
        "source": asset.source or "", "access": "embargoed" if embargo else access,
        "embargo": embargo, "status": asset.status, "parent_id": asset.parent_id or "",
    }


def _edits_from(values: dict[str, str], langs: list[str]) -> tuple[dict[str, Any],
                                                                   dict[str, str]]:
    """The edits of a posted record form, and the errors by field (codes, see
    `workspace_text.field_error`)."""
    errors: dict[str, str] = {}
    if not values.get("title", "").strip():
        errors["title"] = "required"
    day = values.get("recorded_on", "").strip()
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            errors["recorded_on"] = "date"
    number = values.get("meeting_number", "").strip()
    if number and not (number.isdigit() and 0 < int(number) <= 1_000_000):
        errors["meeting_number"] = "number"
    access = values.get("access", "public")
    embargo = values.get("embargo", "").strip()
    if access == "embargoed":
        try:
            date.fromisoformat(embargo)
        except ValueError:
            errors["embargo"] = "embargo"
    edits: dict[str, Any] = {
        "title": values.get("title", ""), "summary": values.get("summary", ""),
        "description": values.get("description", ""), "recorded_on": day or None,
        "duration": values.get("duration", "").strip(),
        "preview_language": values.get("preview_language", ""),
        "available_languages": langs,
        "meeting": {"body": values.get("meeting_body", ""),
                    "number": int(number) if number.isdigit() else None,
                    "record_symbol": values.get("meeting_record_symbol", ""),
                    "began": values.get("meeting_began", "").strip(),
                    "ended": values.get("meeting_ended", "").strip()},
        "source": values.get("source", ""), "parent_id": values.get("parent_id", ""),
        "access": f"embargoed until {embargo}" if access == "embargoed" else access,
        "status": values.get("status") if values.get("status") in ("draft", "published")
        else None,
    }
    return edits, errors


def _field_of(exc: HexaglotError) -> str:
    """The form field an edit's error is about (`meeting.began: …` → meeting_began)."""
    if isinstance(exc, PARENT_ERRORS):
        return "parent_id"
    where = str(exc).split(":", 1)[0].strip().replace(".", "_")
    return where if where in RECORD_FIELDS else "form"


@router.get("/assets/{asset_id}", response_class=HTMLResponse)
def record_form(request: Request, asset_id: str, who: Staff) -> HTMLResponse:
    """Every field of the catalogue record, to edit."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, Audience.STAFF)
    return _page(request, who, "record.html", {
        "asset": asset, "values": _record_values(asset), "errors": {},
        "languages": AUDIO_LANGUAGES, "clips": children(archive, asset, Audience.STAFF),
        "saved": request.query_params.get("saved") == "1"})


@router.post("/assets/{asset_id}", response_class=HTMLResponse)
async def save_record(request: Request, asset_id: str, who: Staff) -> Response:
    """Validate and save the record form; errors are shown next to their field."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, Audience.STAFF)
    form = await _form(request)
    values = {k: _one(form, k) for k in RECORD_FIELDS}
    langs = [x for x in form.get("available_languages", []) if x]
    edits, errors = _edits_from(values, langs)
    if not errors:
        try:
            await _as(who, edit_asset, archive, asset_id, make_edits(**edits))
        except HexaglotError as exc:
            errors[_field_of(exc)] = "invalid:" + str(exc)
    if errors:
        values["available_languages"] = " ".join(langs)
        return _page(request, who, "record.html", {
            "asset": asset, "values": values, "languages": AUDIO_LANGUAGES,
            "errors": {k: field_error(v, request) for k, v in errors.items()},
            "clips": children(archive, asset, Audience.STAFF), "saved": False},
            status_code=422)
    hl = request.query_params.get("hl")
    return RedirectResponse(f"/workspace/assets/{asset_id}?saved=1" + (f"&hl={hl}" if hl
                            else ""), status_code=303)


@router.post("/assets/{asset_id}/publish")
async def publish_one(request: Request, asset_id: str, who: Staff) -> Response:
    """Publish, embargo until a day, or unpublish one record."""
    form = await _form(request)
    get_asset(archive_of(request), asset_id, Audience.STAFF)
    await _as(who, publish, archive_of(request), asset_id, _one(form, "action"),
              _one(form, "value"))
    return _back(request, f"/workspace/assets/{asset_id}")


# ---- review the drafts --------------------------------------------------------------------

def _marked(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """The text cut into pieces, each with the id of the draft whose evidence it is."""
    spans = sorted((s for s in spans if 0 <= s[0] < s[1] <= len(text)), key=lambda s: s[0])
    out: list[tuple[str, str | None]] = []
    at = 0
    for start, end, ref in spans:
        if start < at:
            continue
        if start > at:
            out.append((text[at:start], None))
        out.append((text[start:end], ref))
        at = end
    out.append((text[at:], None))
    return out


@router.get("/assets/{asset_id}/review", response_class=HTMLResponse)
def review_form(request: Request, asset_id: str, who: Staff) -> HTMLResponse:
    """Paste (or upload) a press summary to draft speakers and subjects from."""
    asset = get_asset(archive_of(request), asset_id, Audience.STAFF)
    return _page(request, who, "review.html", {"asset": asset, "x": None, "text": ""})


@router.post("/assets/{asset_id}/review", response_class=HTMLResponse)
async def review_drafts(request: Request, asset_id: str, who: Staff) -> HTMLResponse:
    """The drafts of the text beside it, each with its evidence highlighted."""
    asset = get_asset(archive_of(request), asset_id, Audience.STAFF)
    await verify_csrf(request)
    form = await request.form()
    text = str(form.get("text") or "")
    upload = form.get("file")
    if upload is not None and not isinstance(upload, str) and upload.filename:
        raw = await upload.read(2_000_000)
        text = raw.decode("utf-8", "replace")
    text = text.replace("\r\n", "\n")
    try:
        x = await run_in_threadpool(draft, text)
    except HexaglotError as exc:
        return _page(request, who, "review.html", {"asset": asset, "x": None, "text": text,
                                                   "error": str(exc)}, status_code=422)
    spans = [(e["start"], e["end"], f"speaker-{i}") for i, s in enumerate(x.speakers)
             for e in s.get("evidence", [])]
    spans += [(e["start"], e["end"], f"subject-{kind}-{i}") for kind, items in x.subjects.items()
              for i, s in enumerate(items) for e in s.get("evidence", [])]
    return _page(request, who, "review.html", {"asset": asset, "x": x, "text": text,
                                               "pieces": _marked(text, spans)})


@router.post("/assets/{asset_id}/review/save")
async def review_save(request: Request, asset_id: str, who: Staff) -> Response:
    """Store what the cataloguer accepted (confirmed), in their order."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, Audience.STAFF)
    form = await _form(request)
    speakers = []
    for i in form.get("speaker", []):
        if _one(form, f"speaker-{i}-decision") != "accept":
            continue
        try:
            order = float(_one(form, f"speaker-{i}-order") or 0)
        except ValueError:
            order = 0.0
        speakers.append(ReviewedSpeaker(_one(form, f"speaker-{i}-name"),
                                        _one(form, f"speaker-{i}-role"),
                                        _one(form, f"speaker-{i}-affiliation"), order))
    subjects = [_one(form, f"subject-{ref}") for ref in form.get("subject", [])
                if _one(form, f"subject-{ref}-decision") == "accept"]
    subjects += [v for v in form.get("add_subject", []) if v.strip()]
    try:
        await _as(who, save_review, archive, asset_id, _one(form, "text"), speakers, subjects)
    except HexaglotError as exc:
        return _page(request, who, "review.html", {"asset": asset, "x": None,
                                                   "text": _one(form, "text"),
                                                   "error": str(exc)}, status_code=422)
    return _back(request, f"/workspace/assets/{asset_id}")


@router.get("/headings.json")
def headings(request: Request, who: Staff, q: str = "", hl: str = "en",
             kind: str | None = None) -> JSONResponse:
    """Headings whose label in any of the six languages begins with `q`."""
    if kind is not None and kind not in SUBJECT_KINDS:
        kind = None
    return JSONResponse({"headings": suggest_headings(q, hl, 10, kind)})


# ---- statement clips on the timeline ------------------------------------------------------

@router.get("/assets/{asset_id}/clips", response_class=HTMLResponse)
def clips_page(request: Request, asset_id: str, who: Staff) -> HTMLResponse:
    """The meeting's player with mark in / mark out, and its clips."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, Audience.STAFF)
    return _page(request, who, "clips.html", {
        **player_context(request, asset),
        "clips": children(archive, asset, Audience.STAFF), "spans": _spans(archive, asset),
        "has_master": archive.catalog.master(asset_id) is not None})


def _spans(archive: Archive, asset: Asset) -> dict[str, tuple[float, float | None]]:
    """Each clip's span of the meeting's recording (what its bounds form starts from)."""
    out = {}
    for clip in children(archive, asset, Audience.STAFF):
        master = archive.catalog.master(clip.asset_id)
        if master is not None:
            out[clip.asset_id] = (master.start, master.end)
    return out


def _seconds(value: str, name: str) -> float:
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise EditError(f"{name}: {value!r} is not a time in seconds") from None


@router.post("/assets/{asset_id}/clips")
async def cut_clip(request: Request, asset_id: str, who: Staff) -> Response:
    """Save a clip from in to out for one speaker; its job starts."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, Audience.STAFF)
    form = await _form(request)
    try:
        start, end = _seconds(_one(form, "start"), "in"), _seconds(_one(form, "end"), "out")
        speaker = int(_one(form, "speaker")) if _one(form, "speaker").isdigit() else None
        await _as(who, make_clip, archive, asset_id, start, end,
                  _one(form, "title") or None, speaker)
    except HexaglotError as exc:
        return _clips_refused(request, who, archive, asset, exc)
    return _back(request, f"/workspace/assets/{asset_id}/clips")


def _clips_refused(request: Request, who: Principal, archive: Archive, asset: Asset,
                   exc: HexaglotError) -> Response:
    """The clip timeline of a recording again, with why a cut or a re-bound was refused."""
    return _page(request, who, "clips.html", {
        **player_context(request, asset),
        "clips": children(archive, asset, Audience.STAFF), "spans": _spans(archive, asset),
        "has_master": True, "error": str(exc)}, status_code=422)


@router.post("/clips/{clip_id}/bounds")
async def clip_bounds(request: Request, clip_id: str, who: Staff) -> Response:
    """Move a clip's bounds; its renditions are derived again."""
    archive = archive_of(request)
    clip = get_asset(archive, clip_id, Audience.STAFF)
    form = await _form(request)
    try:
        start, end = _seconds(_one(form, "start"), "in"), _seconds(_one(form, "end"), "out")
        await _as(who, reclip, archive, clip_id, start, end)
    except HexaglotError as exc:
        parent = get_asset(archive, clip.parent_id or clip_id, Audience.STAFF)
        return _clips_refused(request, who, archive, parent, exc)
    return _back(request, f"/workspace/assets/{clip.parent_id}/clips")


# ---- history --------------------------------------------------------------------------

def _shown(value: Any) -> str:
    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)[:2000]
    return str(value)[:2000]


@router.get("/assets/{asset_id}/history", response_class=HTMLResponse)
def history_page(request: Request, asset_id: str, who: Staff) -> HTMLResponse:
    """Every change of the record, field by field, newest first, with a revert button."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, Audience.STAFF)
    changes = list(reversed(asset_history(archive, asset_id)))
    return _page(request, who, "history.html", {"asset": asset, "changes": changes,
                                                "shown": _shown})


@router.post("/assets/{asset_id}/history/{change_id}/revert")
async def revert(request: Request, asset_id: str, change_id: int, who: Staff) -> Response:
    """Put the record back as it was right after a change (itself a new change)."""
    await _form(request)
    get_asset(archive_of(request), asset_id, Audience.STAFF)
    await _as(who, revert_asset, archive_of(request), asset_id, change_id)
    return _back(request, f"/workspace/assets/{asset_id}/history")


# ---- everything else under /workspace: absent --------------------------------------------

_EVERY = ["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@router.api_route("", methods=[m for m in _EVERY if m != "GET"])
@router.api_route("/{rest:path}", methods=_EVERY)
def absent(who: Staff, rest: str = "") -> Response:
    """No such route, or not with this method: 404 for everyone (a reader never learns
    which routes the workspace has, from a 405 or otherwise)."""
    raise NotFound("not found")
