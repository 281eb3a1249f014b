"""Who is asking: the viewer of a request, and the editor token of the archive.

A request carrying the archive's editor token (`Authorization: Bearer …`, compared in
constant time, any bytes) is staff; every other request is anonymous. Failed token
attempts are throttled per client address (`throttle`): after `FAILURES` within
`WINDOW` seconds, every attempt from that address answers 429 until the window passes.
The counts live in the archive's shared state (`Archive.shared`: Redis in server mode), so
every web process of a deployment counts the same attempts.
"""

from __future__ import annotations

import hmac

from fastapi import HTTPException, Request

from hexaglot.app import Archive
from hexaglot.domain import Audience
from hexaglot.storage.shared_state import MemoryState, SharedState

FAILURES = 10
WINDOW = 60.0


class Throttle:
    """Failed attempts per key within a sliding window, counted in `state` (shared by
    every process when it is Redis; this process's memory by default)."""

    def __init__(self, failures: int = FAILURES, window: float = WINDOW,
                 state: SharedState | None = None) -> None:
        self.failures, self.window = failures, window
        self.state = state if state is not None else MemoryState()

    def blocked(self, key: str) -> bool:
        """True when `key` failed too often within the window."""
        return self.state.count(f"throttle:{key}", self.window) >= self.failures

    def failed(self, key: str) -> None:
        """Count one failed attempt of `key`."""
        self.state.record(f"throttle:{key}", self.window)


def archive_of(request: Request) -> Archive:
    """The archive the app serves."""
    return request.app.state.archive


def _bearer(request: Request) -> str | None:
    raw = request.headers.get("authorization")
    if raw is None:
        return None
    scheme, _, given = raw.partition(" ")
    return given.strip() if scheme.lower() == "bearer" else ""


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def viewer(request: Request) -> Audience:
    """The audience of the request: staff with the editor token, else anonymous. A wrong
    token is refused (401), and throttled (429)."""
    given = _bearer(request)
    if given is None:
        return Audience.PUBLIC
    throttle: Throttle = request.app.state.throttle
    key = _client(request)
    if throttle.blocked(key):
        raise HTTPException(status_code=429, detail="too many failed sign-in attempts; "
                            "wait a minute", headers={"Retry-After": str(int(WINDOW))})
    token = archive_of(request).settings.editor_token
    if token and hmac.compare_digest(given.encode("utf-8", "surrogateescape"),
                                     token.encode("utf-8")):
        return Audience.STAFF
    throttle.failed(key)
    raise HTTPException(status_code=401, detail="a cataloguer's bearer token is required",
                        headers={"WWW-Authenticate": "Bearer"})


def require_editor(request: Request) -> Audience:
    """Staff only: the editor token must be given (before the body is even read)."""
    if not archive_of(request).settings.editor_token:
        raise HTTPException(status_code=403, detail="editing over HTTP is off (no "
                            "HEXAGLOT_EDITOR_TOKEN)")
    who = viewer(request)
    if who < Audience.STAFF:
        raise HTTPException(status_code=401, detail="a cataloguer's bearer token is required",
                            headers={"WWW-Authenticate": "Bearer"})
    return who
