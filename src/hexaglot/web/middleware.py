"""HTTP conduct every response shares: security headers, HEAD wherever GET is, OPTIONS
answered with `Allow`, and `Allow` on every 405."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from hexaglot.web.routing import allowed_methods

Message = MutableMapping[str, Any]
#: No inline script anywhere; media from this origin only; framed only by `frame_ancestors`
#: (the embeddable player, `/embed/…`, by any site).
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "media-src 'self' blob:; worker-src 'self' blob:; connect-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {ancestors}")
SECURITY = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"strict-origin-when-cross-origin",
    b"x-frame-options": b"SAMEORIGIN",
}


class Conduct:
    """ASGI middleware (see module docstring)."""

    def __init__(self, app: ASGIApp, router: Any, frame_ancestors: str = "'self'") -> None:
        self.app = app
        self.router = router
        self.csp = CSP.format(ancestors=frame_ancestors).encode()
        self.embed_csp = CSP.format(ancestors="*").encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        if method == "OPTIONS":
            await self._options(scope, send)
            return
        head = method == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope
        allow: list[bytes] = []
        embed = scope["path"].startswith("/embed/")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in SECURITY and k.lower() != b"content-security-policy"]
                headers += [(k, v) for k, v in SECURITY.items()
                            if not (embed and k == b"x-frame-options")]
                headers.append((b"content-security-policy", self.embed_csp if embed else self.csp))
                if message["status"] == 405:
                    allow.append(b", ".join(m.encode() for m in
                                            sorted(allowed_methods(self.router, scope))))
                    headers = [(k, v) for k, v in headers if k.lower() != b"allow"]
                    headers.append((b"allow", allow[0]))
                message["headers"] = headers
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(inner, receive, wrapped)

    async def _options(self, scope: Scope, send: Send) -> None:
        methods = allowed_methods(self.router, scope)
        status = 204 if methods else 404
        headers = [(b"allow", b", ".join(m.encode() for m in sorted(methods | {"OPTIONS"}))),
                   *SECURITY.items(), (b"content-security-policy", self.csp),
                   (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

