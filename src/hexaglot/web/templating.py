"""Jinja2 templates in the reader's interface language.

Every page extends `base.html` (skip link, header with the search form and the language
switcher, footer) and writes its strings as `{{ _("English text") }}` (gettext, see
`hexaglot.web.i18n`). A page's context always has: `hl` (the interface language), `dir`,
`_`/`gettext`/`ngettext`, `href(path, **params)` (an internal link keeping `hl`),
`switch_language(code)` (this very URL in another interface language), `static(name)`
(a content-hashed static URL), `lname(code)` (a language's name in `hl`) and the filters
`day`, `clock`, `size`, `number`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context
from jinja2.runtime import Context

from hexaglot.domain.languages import language_name
from hexaglot.web import i18n
from hexaglot.web.auth import csrf_token, set_csrf_cookie
from hexaglot.web.static_files import static_url

env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                  autoescape=True, extensions=["jinja2.ext.i18n"])
templates = Jinja2Templates(env=env)
env.globals["ui_languages"] = i18n.LANGUAGES
env.globals["language_name"] = language_name
env.globals["static"] = static_url
env.globals["csrf_token"] = csrf_token
env.globals["clock"] = i18n.format_clock
env.globals["iso_duration"] = i18n.iso_duration
env.policies["ext.i18n.trimmed"] = True


@pass_context
def _day(ctx: Context, value: date | None, form: str = "long") -> str:
    return i18n.format_day(value, ctx["hl"], form)


@pass_context
def _size(ctx: Context, value: int | None) -> str:
    return i18n.format_size(value, ctx["hl"])


@pass_context
def _number(ctx: Context, value: int | float) -> str:
    return i18n.format_number(value, ctx["hl"])


env.filters["day"] = _day
env.filters["size"] = _size
env.filters["number"] = _number
env.filters["clock"] = i18n.format_clock


def interface_language(request: Request) -> str:
    """The request's interface language (`?hl=`, the cookie, Accept-Language, English)."""
    return i18n.pick_language(request.query_params.get(i18n.PARAM),
                              request.cookies.get(i18n.COOKIE),
                              request.headers.get("accept-language"))


def link(path: str, hl: str, **params: Any) -> str:
    """An internal URL with `params` (None and "" left out) and the interface language."""
    items = [(k, str(v)) for k, v in params.items() if v is not None and v != ""]
    items.append((i18n.PARAM, hl))
    return f"{_path(path)}?{urlencode(items)}"


def _path(path: str) -> str:
    """A path as a URL writes it (a decoded `request.url.path` re-encoded; `%XX` kept)."""
    return quote(path, safe="/%:@!$&'()*+,;=-._~")


def _switcher(request: Request) -> Callable[[str], str]:
    def switch_language(code: str) -> str:
        items = [(k, v) for k, v in request.query_params.multi_items() if k != i18n.PARAM]
        items.append((i18n.PARAM, code))
        return f"{_path(request.url.path)}?{urlencode(items)}"
    return switch_language


def page_context(request: Request) -> dict[str, Any]:
    """What every page's template may use (see the module docstring)."""
    hl = interface_language(request)
    tr = i18n.translations(hl)

    def href(path: str, **params: Any) -> str:
        return link(path, hl, **params)

    return {"hl": hl, "dir": i18n.direction(hl), "_": tr.gettext, "gettext": tr.gettext,
            "ngettext": tr.ngettext, "href": href, "switch_language": _switcher(request),
            "lname": lambda code: language_name(code, hl)}


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200,
           headers: dict[str, str] | None = None) -> HTMLResponse:
    """Render a page in the request's interface language; an explicit `?hl=` is kept in the
    reader's cookie, so later pages without it stay in that language."""
    base = page_context(request)
    who = getattr(request.state, "principal", None)  # who signed in (the header shows it)
    response = templates.TemplateResponse(request, name, base | {"me": who} | context,
                                          status_code=status_code, headers=headers)
    set_csrf_cookie(request, response)
    chosen = request.query_params.get(i18n.PARAM)
    if chosen in i18n.LANGUAGES and request.cookies.get(i18n.COOKIE) != chosen:
        response.set_cookie(i18n.COOKIE, chosen, max_age=i18n.COOKIE_SECONDS, samesite="lax",
                            httponly=True)
    response.headers.setdefault("Vary", "Accept-Language, Cookie")
    return response
