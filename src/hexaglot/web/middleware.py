"""HTTP conduct every response shares: security headers, HEAD wherever GET is, OPTIONS
answered with `Allow` (but where a route answers it itself: the resumable uploads),
`Allow` on every 405, request bodies of at most `MAX_BODY` bytes (413; but the pieces of
a resumable upload, which its route bounds by the upload's declared length), CORS open
to anonymous reads of the JSON API only (`Access-Control-Allow-Origin: *` on GET and HEAD
under `/api/`: browsers never send cookies with it, so another site only ever reads what
anyone may), answers to a signed-in request never cached for others (`Vary: Cookie,
Authorization`, private), and the embeddable player (`/embed/…`) framed by any site."""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

from hexaglot.web.routing import allowed_methods

Message = MutableMapping[str, Any]
#: The largest request body accepted (an edit, a form); larger ones answer 413.
MAX_BODY = 4 << 20
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


#: The resumable uploads (tus 1.0): their routes bound the bodies of PATCH by the
#: upload's declared length.
UPLOADS = "/workspace/uploads"
#: Where the routes answer OPTIONS themselves: the workspace (tus asks with it; and who may
#: not see the workspace learns nothing of its routes from an `Allow`).
OWN_OPTIONS = "/workspace"


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
        path = scope["path"]
        uploading = path.startswith(UPLOADS)
        own = path == OWN_OPTIONS or path.startswith(OWN_OPTIONS + "/")
        if method == "OPTIONS" and not own:
            await self._options(scope, send)
            return
        head = method == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope
        allow: list[bytes] = []
        request_headers = dict(scope.get("headers") or [])
        length = request_headers.get(b"content-length", b"0")
        piece = uploading and method == "PATCH"
        if not piece and (not length.isdigit() or int(length) > MAX_BODY):
            await self._too_large(send)
            return
        cors = method in ("GET", "HEAD") and scope["path"].startswith("/api/") \
            and b"origin" in request_headers
        credentials = b"authorization" in request_headers or b"hexaglot_session=" in \
            request_headers.get(b"cookie", b"")
        received = [0]

        async def limited() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                received[0] += len(message.get("body", b""))
                if received[0] > MAX_BODY and not piece:  # a chunked body grown too large
                    return {"type": "http.disconnect"}
            return message

        embed = scope["path"].startswith("/embed/")

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in SECURITY and k.lower() != b"content-security-policy"]
                headers += [(k, v) for k, v in SECURITY.items()
                            if not (embed and k == b"x-frame-options")]
                headers.append((b"content-security-policy", self.embed_csp if embed else self.csp))
                if cors:
                    headers.append((b"access-control-allow-origin", b"*"))
                headers.append((b"vary", b"Cookie, Authorization"))
                if credentials and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"private, no-cache"))
                if message["status"] == 405:
                    allow.append(b", ".join(m.encode() for m in
                                            sorted(allowed_methods(self.router, scope))))
                    headers = [(k, v) for k, v in headers if k.lower() != b"allow"]
                    headers.append((b"allow", allow[0]))
                message["headers"] = headers
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app(inner, limited, wrapped)

    async def _too_large(self, send: Send) -> None:
        body = (b'{"error": {"code": "too_large", "message": "the request body is larger than '
                + str(MAX_BODY).encode() + b' bytes"}}')
        await send({"type": "http.response.start", "status": 413, "headers": [
            (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"), *SECURITY.items(), (b"content-security-policy", self.csp)]})
        await send({"type": "http.response.body", "body": body})

    async def _options(self, scope: Scope, send: Send) -> None:
        methods = allowed_methods(self.router, scope)
        status = 204 if methods else 404
        headers = [(b"allow", b", ".join(m.encode() for m in sorted(methods | {"OPTIONS"}))),
                   *SECURITY.items(), (b"content-security-policy", self.csp),
                   (b"content-length", b"0")]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b""})

