"""Static files under content-hashed names (`/static/hexaglot.3f2a9c1e0b.css`), cached for a
year by browsers and proxies; the plain name still answers, revalidated every time."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from fastapi.staticfiles import StaticFiles
from starlette.responses import Response
from starlette.types import Scope

STATIC = Path(__file__).with_name("static")
PREFIX = "/static/"
HASH_LENGTH = 10
_HASHED = re.compile(rf"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{{{HASH_LENGTH}}})(?P<ext>\.[A-Za-z0-9]+)$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"


@lru_cache(maxsize=256)
def _digest(name: str, mtime_ns: int) -> str:
    """A cache-busting fingerprint of a static file's content (not a fixity checksum: those
    are `storage.checksum`'s, over the archive's blobs)."""
    return hashlib.blake2b((STATIC / name).read_bytes(),
                           digest_size=HASH_LENGTH // 2).hexdigest()


def static_url(name: str) -> str:
    """The hashed URL of a file under `web/static/` (the plain one when it is missing, so a
    page still renders before `make web-assets`)."""
    path = STATIC / name
    try:
        digest = _digest(name, path.stat().st_mtime_ns)
    except OSError:
        return PREFIX + name
    stem, dot, ext = name.rpartition(".")
    return f"{PREFIX}{stem}.{digest}.{ext}" if dot else f"{PREFIX}{name}.{digest}"


class HashedStatic(StaticFiles):
    """`StaticFiles` that serves `name.<hash>.ext` as `name.ext` with a year-long cache."""

    def __init__(self) -> None:
        super().__init__(directory=STATIC)

    def get_path(self, scope: Scope) -> str:
        path = super().get_path(scope)
        match = _HASHED.match(path)
        if match:
            scope["hexaglot.hashed"] = True
            return match["stem"] + match["ext"]
        return path

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            response.headers["Cache-Control"] = IMMUTABLE if scope.get("hexaglot.hashed") \
                else REVALIDATE
        return response
