"""The FastAPI application: JSON API, server-rendered pages and static files."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from hexaglot import __version__
from hexaglot.archive import Archive, open_archive
from hexaglot.web import api, media_routes, pages, search_routes
from hexaglot.web.templating import render

STATIC = Path(__file__).with_name("static")


def create_app(archive: Archive | None = None) -> FastAPI:
    """Build the web application over an archive (the configured one by default)."""
    app = FastAPI(
        title="Hexaglot",
        version=__version__,
        description="Audiovisual archive of multilingual meetings: catalogue records as JSON.",
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.archive = archive or open_archive()
    app.state.archive.catalog  # noqa: B018 - migrate before the first request
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    app.include_router(media_routes.router)
    app.include_router(search_routes.router)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code)
        return render(
            request, "error.html", {"status": exc.status_code, "detail": exc.detail},
            status_code=exc.status_code,
        )

    return app
