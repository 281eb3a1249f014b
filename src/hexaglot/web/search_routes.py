"""Search over HTTP: `GET /api/search` (JSON) and the `/search` page (facets as links).

Both answer as the caller may see the archive: what it may not see is absent from hits,
totals, facet counts and moments.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from hexaglot.app.labels import facet_label, other_labels
from hexaglot.app.searching import (
    FILTERS,
    Query,
    QueryError,
    cached,
    catch_up_due_for,
    parse,
    search,
    search_catch_up,
)
from hexaglot.domain import Audience
from hexaglot.web.auth import archive_of, viewer
from hexaglot.web.errors import ERROR_RESPONSES
from hexaglot.web.templating import interface_language, render

router = APIRouter(responses=ERROR_RESPONSES)
_PARAMS = (*FILTERS, "date")
Viewer = Annotated[Audience, Depends(viewer)]


def _int(params: object, name: str, default: int) -> int:
    value = params.get(name)  # type: ignore[attr-defined]
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 9:
        raise QueryError(f"{name} must be a whole number (got {value[:40]!r})")
    return int(value)


def _query(request: Request) -> Query:
    params = request.query_params
    filters = {k: params.getlist(k) for k in _PARAMS if params.getlist(k)}
    return parse(params.get("q", ""), filters=filters,
                 sort=params.get("sort", "relevance"),  # type: ignore[arg-type]
                 page=_int(params, "page", 1), per_page=_int(params, "per_page", 10))


@router.get("/api/search", tags=["search"], summary="Search assets and transcript moments",
            response_class=JSONResponse)
async def api_search(request: Request, who: Viewer) -> Response:
    """Hits (with snippets and transcript moments), facets (`facets_approximate`: sampled
    counts), total and took_ms.

    Parameters: `q` (words, "phrases", -exclusion, speaker: affiliation: (or country:)
    body: symbol: subject: lang:, date:A..B), `sort` (relevance|date), `page`, `per_page`
    (page x per_page at most 10,000), and exact filters `body year kind lang affiliation
    personal corporate geographic topical date` (the facets)."""
    query = _query(request)
    archive = archive_of(request)
    results = None
    if catch_up_due_for(archive):
        await run_in_threadpool(search_catch_up, archive)
    results = cached(archive, query, who)  # answered on the loop
    if results is None:
        results = await run_in_threadpool(search, archive, query, who)
    return Response(orjson.dumps({"query": query.text, **results.to_dict()}),
                    media_type="application/json")


def _link(request: Request, **changes: str | None) -> str:
    """The current /search URL with some parameters set (or removed when None)."""
    items = [(k, v) for k, v in request.query_params.multi_items()
             if k not in changes and k != "page"]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return "/search?" + urlencode(items)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request, who: Viewer) -> HTMLResponse:
    """The search page: a labelled count, hits with their moments, then every facet as
    links labelled in the reader's language; a no-results message with suggestions."""
    archive = archive_of(request)
    hl = interface_language(request)
    query = _query(request)
    results = search(archive, query, who)
    active = {k: v for k in _PARAMS if (v := request.query_params.getlist(k))}
    labels = {(name, value): facet_label(archive, name, value, hl)
              for name, values in active.items() for value in values}
    facet_links = {
        name: [(value, facet_label(archive, name, value, hl), count,
                _link(request, **{name: value}), value in active.get(name, []))
               for value, count in pairs]
        for name, pairs in results.facets.items()
    }
    pages = {"prev": _link(request, page=str(query.page - 1)) if query.page > 1 else None,
             "next": _link(request, page=str(query.page + 1))
             if query.page * query.per_page < results.total else None}
    clear = {name: _link(request, **{name: None}) for name in active}
    return render(request, "search.html", {
        "q": query.text, "results": results, "facet_links": facet_links, "pages": pages,
        "clear": clear, "active": active, "labels": labels,
        "first": (query.page - 1) * query.per_page + 1,
        "alternatives": [{"text": t, "link": _link(request, q=t)}
                         for t in other_labels(query.text, hl)] if not results.total else [],
        "sort_date": _link(request, sort="date"),
        "sort_relevance": _link(request, sort="relevance"), "sort": query.sort,
    })
