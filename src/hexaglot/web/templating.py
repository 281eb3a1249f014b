"""Jinja2 templates with the interface language chosen per request."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from hexaglot.domain.languages import OFFICIAL_LANGUAGES, language_name
from hexaglot.web.auth import csrf_token, set_csrf_cookie
from hexaglot.web.i18n import direction, interface_language, strings
from hexaglot.web.workspace_text import translate

templates = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
templates.env.globals["language_name"] = language_name
templates.env.globals["ui_languages"] = OFFICIAL_LANGUAGES
templates.env.globals["csrf_token"] = csrf_token


@pass_context
def _gettext(context: Any, message: str) -> str:
    return translate(context.get("hl", "en"), message)


templates.env.globals["_"] = _gettext


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render a page in the request's interface language."""
    hl = interface_language(request.query_params.get("hl"), request.headers.get("accept-language"))
    base = {"hl": hl, "t": strings(hl), "dir": direction(hl)}
    who = getattr(request.state, "principal", None)
    response = templates.TemplateResponse(request, name, base | {"me": who} | context,
                                          status_code=status_code, headers=headers)
    set_csrf_cookie(request, response)
    return response
