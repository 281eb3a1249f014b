"""The FastAPI application: JSON API, server-rendered pages and static files."""

from __future__ import annotations

import time
from typing import Any

from fastapi import FastAPI
from starlette.middleware.gzip import GZipMiddleware

from hexaglot import __version__
from hexaglot.app import Archive, open_archive
from hexaglot.app.editing import Edits
from hexaglot.web import (
    account_routes,
    api,
    browse_routes,
    errors,
    interop_routes,
    media_routes,
    pages,
    reach_routes,
    search_routes,
    workspace,
)
from hexaglot.web.auth import LOGIN_FAILURES, LOGIN_WINDOW, Throttle
from hexaglot.web.middleware import Conduct
from hexaglot.web.static_files import HashedStatic


def create_app(archive: Archive | None = None) -> FastAPI:
    """Build the web application over an archive (the configured one by default)."""
    app = FastAPI(
        title="Hexaglot",
        version=__version__,
        description="Audiovisual archive of multilingual meetings: catalogue records as JSON. "
                    'Every error answers `{"error": {"code", "message"}}`.',
        redoc_url=None,
        docs_url=None,  # reach_routes serves /docs with Swagger UI from this origin
        swagger_ui_oauth2_redirect_url=None,
    )
    app.state.archive = archive or open_archive()
    app.state.archive.catalog  # noqa: B018 - migrate before the first request
    shared = app.state.archive.shared  # Redis in server mode: every process counts alike
    app.state.throttle = Throttle(state=shared, name="token")
    app.state.login_throttle = Throttle(LOGIN_FAILURES, LOGIN_WINDOW, state=shared,
                                        name="login")
    app.state.clock = time.time
    app.mount("/static", HashedStatic(), name="static")
    app.include_router(api.router)
    app.include_router(account_routes.router)
    app.include_router(interop_routes.router)  # before the asset page: /assets/{id}.json
    app.include_router(pages.router)
    app.include_router(media_routes.router)
    app.include_router(search_routes.router)
    app.include_router(browse_routes.router)
    app.include_router(reach_routes.router)
    app.include_router(workspace.router)
    errors.install(app)
    _document(app)
    app.add_middleware(GZipMiddleware, compresslevel=6)  # text only; never a byte range
    app.add_middleware(Conduct, router=app.router,
                       frame_ancestors=app.state.archive.settings.embed_origins)
    return app


def _document(app: FastAPI) -> None:
    """Add the schemas routes read by hand (the PATCH body) to the OpenAPI document."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            defs = Edits.model_json_schema(ref_template="#/components/schemas/{model}")
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(defs.pop("$defs", {}))
            components["Edits"] = defs
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
