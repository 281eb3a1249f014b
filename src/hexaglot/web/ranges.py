"""A blob of a remote store served from a seekable reader, with single byte-range requests.

Starlette's `FileResponse` serves ranges of a local file only; a remote store's blob (S3
with presigned URLs off) is read with range requests of its own (`BlobStore.open`), so a
player asking for 1 MiB of a 5 GB download reads that 1 MiB from the store, not the whole
blob. One range is honoured (`bytes=a-b`, `bytes=a-`, `bytes=-n`); a header that asks for
several ranges, or is not a byte range, is ignored and the whole file is sent (RFC 9110,
14.2); a range that starts past the end answers 416. `If-Range` with another entity tag
than the blob's sends the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import BinaryIO
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response, StreamingResponse

CHUNK = 256 * 1024
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


class Unsatisfiable(Exception):
    """The range starts past the end of the file."""


def byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The one range `header` asks for as [start, end) within `size` bytes; None for the
    whole file (no header, several ranges, or not a byte range); `Unsatisfiable`."""
    m = _RANGE.fullmatch((header or "").replace(" ", ""))
    if m is None or not (m[1] or m[2]):
        return None
    if not m[1]:  # the last n bytes
        n = int(m[2])
        if n == 0 or size == 0:
            raise Unsatisfiable
        return max(0, size - n), size
    start = int(m[1])
    end = int(m[2]) + 1 if m[2] else max(size, start + 1)
    if end <= start:
        return None  # invalid (the last byte before the first): ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size)


def _chunks(open_blob: Callable[[], BinaryIO], start: int, end: int) -> Iterator[bytes]:
    with open_blob() as fh:
        fh.seek(start)
        left = end - start
        while left > 0:
            chunk = fh.read(min(CHUNK, left))
            if not chunk:
                raise OSError(f"the blob ended {left} bytes early")
            left -= len(chunk)
            yield chunk


def attachment(filename: str) -> str:
    """The Content-Disposition of a download saved as `filename` (as Starlette's
    `FileResponse` writes it)."""
    quoted = quote(filename)
    if quoted != filename:
        return f"attachment; filename*=utf-8''{quoted}"
    return f'attachment; filename="{filename}"'


def stream_blob(request: Request, open_blob: Callable[[], BinaryIO], size: int, etag: str,
                media_type: str, headers: Mapping[str, str], filename: str | None = None
                ) -> Response:
    """The response to GET or HEAD of a blob of `size` bytes read through `open_blob`
    (saved as `filename` when one is given)."""
    common = {**headers, "accept-ranges": "bytes", "etag": etag}
    if filename is not None:
        common["content-disposition"] = attachment(filename)
    if_range = request.headers.get("if-range")
    try:
        wanted = None if if_range not in (None, etag) else byte_range(
            request.headers.get("range"), size)
    except Unsatisfiable:
        return Response(status_code=416, headers={**common, "content-range": f"bytes */{size}"})
    start, end = wanted or (0, size)
    status = 206 if wanted else 200
    common["content-length"] = str(end - start)
    if wanted:
        common["content-range"] = f"bytes {start}-{end - 1}/{size}"
    if request.method == "HEAD":
        return Response(status_code=status, headers=common, media_type=media_type)
    return StreamingResponse(_chunks(open_blob, start, end), status_code=status,
                             headers=common, media_type=media_type)
