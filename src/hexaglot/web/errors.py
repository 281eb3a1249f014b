"""One error shape on every JSON route: `{"error": {"code", "message"}}`, validation
errors included, with the status the error's kind names; pages get the error page. No
stack trace is ever sent; a fault is logged and answered 500 in the same shape."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from hexaglot.errors import HexaglotError
from hexaglot.web.templating import render

log = logging.getLogger(__name__)
_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
          405: "method_not_allowed", 413: "too_large", 422: "bad_input",
          429: "too_many_requests", 500: "internal", 503: "unavailable"}


class ErrorDetail(BaseModel):
    """What went wrong: a stable code and a message naming the input and the problem."""

    code: str
    message: str


class ErrorOut(BaseModel):
    """The one error shape of the JSON routes."""

    error: ErrorDetail


def error_body(code: str, message: str) -> dict[str, Any]:
    """The JSON error shape."""
    return {"error": {"code": code, "message": message}}


#: What every JSON route may answer besides its success (documented in the OpenAPI).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": _CODES[status].replace("_", " ")}
    for status in (400, 401, 403, 404, 409, 422, 429, 503)
}


def wants_json(request: Request) -> bool:
    """JSON for the API, media, IIIF and JSON export routes; the HTML error page for pages."""
    path = request.url.path
    return path.startswith(("/api/", "/media/", "/openapi", "/iiif/")) or \
        path.endswith((".json", ".jsonld")) or \
        "application/json" in request.headers.get("accept", "")


def _answer(request: Request, status: int, code: str, message: str,
            headers: dict[str, str] | None = None) -> Response:
    if wants_json(request):
        return JSONResponse(error_body(code, message), status_code=status, headers=headers)
    return render(request, "error.html", {"status": status, "detail": message},
                  status_code=status, headers=headers)


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(x) for x in err.get("loc", ()) if x != "body") or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def install(app: FastAPI) -> None:
    """Register the handlers that give every error its shape."""

    @app.exception_handler(HexaglotError)
    async def hexaglot_error(request: Request, exc: HexaglotError) -> Response:
        if exc.status >= 500:
            log.error("%s %s: %s", request.method, request.url.path, exc)
        return _answer(request, exc.status, exc.code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _answer(request, 422, "bad_input", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _CODES.get(exc.status_code, "error")
        return _answer(request, exc.status_code, code, str(exc.detail),
                       dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def fault(request: Request, exc: Exception) -> Response:
        log.exception("%s %s failed", request.method, request.url.path)
        return _answer(request, 500, "internal", "the archive could not answer this request; "
                       "the fault is logged")
