"""Media files (renditions) over HTTP, with range requests, for visible assets only."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import FileResponse

from hexaglot.media.derive import renditions_root
from hexaglot.web.api import archive_of, visible_asset

router = APIRouter(include_in_schema=False)

MEDIA_TYPES = {".m3u8": "application/vnd.apple.mpegurl", ".m4s": "video/iso.segment",
               ".mp4": "video/mp4", ".m4a": "audio/mp4", ".mp3": "audio/mpeg",
               ".jpg": "image/jpeg", ".json": "application/json"}


@router.api_route("/media/{asset_id}/{path:path}", methods=["GET", "HEAD"])
def media_file(request: Request, asset_id: str, path: str) -> FileResponse:
    """One rendition file; `Range: bytes=…` gives 206 partial content (Starlette)."""
    visible_asset(request, asset_id)
    base = (renditions_root(archive_of(request).settings) / asset_id).resolve()
    file = (base / path).resolve()
    if not file.is_relative_to(base) or not file.is_file():
        raise HTTPException(status_code=404, detail=f"no media file {path}")
    kind = MEDIA_TYPES.get(Path(path).suffix, "application/octet-stream")
    return FileResponse(file, media_type=kind, headers={"Cache-Control": "public, max-age=3600"})
