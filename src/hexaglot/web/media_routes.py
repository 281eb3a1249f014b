"""Media files (renditions) over HTTP, with range requests, and downloads of the recording
in one language, whole or a time range (`/download/{id}`): only registered files of an
asset the caller may see (`hexaglot.app.media`), by its session or token, or through a
signed URL that expires (`/media/~TOKEN/ASSET/PATH`). Media of a public asset may be
cached by anyone; of any other asset, only privately."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from starlette.background import BackgroundTask

from hexaglot.app.excerpting import make_excerpt
from hexaglot.app.media import Served, download_name, media_file, signed_audience
from hexaglot.domain import Audience
from hexaglot.domain.records import parse_duration
from hexaglot.errors import BadInput
from hexaglot.web.auth import archive_of, clock, viewer
from hexaglot.web.errors import ERROR_RESPONSES
from hexaglot.web.ranges import stream_blob

router = APIRouter(include_in_schema=False, responses=ERROR_RESPONSES)


@router.api_route("/media/~{token}/{asset_id}/{path:path}", methods=["GET", "HEAD"])
def signed_media(request: Request, token: str, asset_id: str, path: str) -> Response:
    """One rendition file through a signed URL (404 once it has expired)."""
    archive = archive_of(request)
    granted = signed_audience(archive, token, asset_id, clock(request))
    return _answer(request, media_file(archive, asset_id, path, granted))


@router.api_route("/media/{asset_id}/{path:path}", methods=["GET", "HEAD"])
def media(request: Request, asset_id: str, path: str,
          who: Annotated[Audience, Depends(viewer)], download: bool = False) -> Response:
    """One rendition file; `Range: bytes=…` gives 206 partial content (Starlette).
    `?download=1` saves it as an attachment named with the asset id and its language
    (`1000001-fr.mp3`)."""
    return _answer(request, media_file(archive_of(request), asset_id, path, who), download)


def _answer(request: Request, served: Served, download: bool = False) -> Response:
    public = served.asset.visibility is not None and served.asset.visibility.allows(
        Audience.PUBLIC)
    cache = "public, max-age=3600" if public else "private, no-store"
    if served.url is not None:
        return RedirectResponse(served.url, status_code=302, headers={"Cache-Control": cache})
    name = download_name(served.asset.asset_id, served.file) if download else None
    if served.open is not None:  # a remote store's blob, read by range requests
        return stream_blob(request, served.open, served.file.size, f'"{served.file.sha256}"',
                           served.file.media_type, {"Cache-Control": cache}, filename=name)
    return FileResponse(served.path, media_type=served.file.media_type,  # type: ignore[arg-type]
                        headers={"Cache-Control": cache}, filename=name)


def _seconds(name: str, value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        return parse_duration(value)
    except ValueError:
        raise BadInput(f"{name} must be seconds or H:MM:SS (got {value[:20]!r})") from None


@router.get("/download/{asset_id}")
def download(request: Request, asset_id: str, who: Annotated[Audience, Depends(viewer)],
             lang: str = "original", start: str | None = None, end: str | None = None,
             audio_only: bool = False, precise: bool = False) -> Response:
    """The recording with one audio language as an MP4 (or `audio_only` M4A), whole or
    from `start` to `end` (seconds or H:MM:SS): a stream copy from the key frame at or
    before `start`, or cut exactly with `precise=1` (re-encoded). Saved as
    `<asset>-<lang>[-HHMMSS-HHMMSS].mp4`."""
    made = make_excerpt(archive_of(request), asset_id, who, lang, _seconds("start", start),
                        _seconds("end", end), video=not audio_only, precise=precise)
    return FileResponse(made.path, media_type=made.media_type, filename=made.filename,
                        headers={"Cache-Control": "private, no-store"},
                        background=BackgroundTask(made.path.unlink, missing_ok=True))
