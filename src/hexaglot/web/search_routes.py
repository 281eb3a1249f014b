"""Search over HTTP: `GET /api/search` (JSON) and the `/search` page (facets as links).

Both answer as an anonymous user: restricted and embargoed assets are absent from hits,
totals and facet counts.
"""

from __future__ import annotations

from urllib.parse import urlencode

import orjson
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from hexaglot.search import QueryError, parse
from hexaglot.search.base import SearchResults
from hexaglot.search.query import FILTERS, Query
from hexaglot.search.sync import catch_up, catch_up_due
from hexaglot.web.api import archive_of
from hexaglot.web.templating import render

router = APIRouter()
_PARAMS = (*FILTERS, "date")


def _query(request: Request) -> Query:
    params = request.query_params
    filters = {k: params.getlist(k) for k in _PARAMS if params.getlist(k)}
    try:
        return parse(params.get("q", ""), filters=filters,
                     sort=params.get("sort", "relevance"),  # type: ignore[arg-type]
                     page=int(params.get("page", "1")), per_page=int(params.get("per_page", "10")))
    except (QueryError, ValueError) as exc:
        raise HTTPException(status_code=400, detail=f"bad query: {exc}") from exc


def run_search(request: Request) -> tuple[Query, SearchResults]:
    """Parse the request's query and search as an anonymous user."""
    query = _query(request)
    archive = archive_of(request)
    if not archive.settings.is_server_mode:
        catch_up(archive)
    return query, archive.search.search(query, public_only=True)


@router.get("/api/search", tags=["search"], summary="Search assets and transcript moments",
            response_class=JSONResponse)
async def api_search(request: Request) -> Response:
    """Hits (with snippets and transcript moments), facets, total and took_ms.

    Parameters: `q` (words, "phrases", -exclusion, speaker: country: body: symbol: subject:
    lang:, date:A..B), `sort` (relevance|date), `page`, `per_page`, and exact filters
    `body year kind lang affiliation personal corporate geographic topical date`."""
    query = _query(request)
    archive = archive_of(request)
    results = None
    if not archive.settings.is_server_mode:
        if catch_up_due(archive):
            await run_in_threadpool(catch_up, archive)
        results = archive.search.cached(query, public_only=True)  # answered on the loop
    if results is None:
        results = await run_in_threadpool(archive.search.search, query, public_only=True)
    return Response(orjson.dumps({"query": query.text, **results.to_dict()}),
                    media_type="application/json")


def _link(request: Request, **changes: str | None) -> str:
    """The current /search URL with some parameters set (or removed when None)."""
    items = [(k, v) for k, v in request.query_params.multi_items()
             if k not in changes and k != "page"]
    items += [(k, v) for k, v in changes.items() if v is not None]
    return "/search?" + urlencode(items)


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(request: Request) -> HTMLResponse:
    """The search page: hits with their moments, and every facet as links."""
    query, results = run_search(request)
    active = {k: request.query_params.getlist(k) for k in _PARAMS}
    facet_links = {
        name: [(value, count, _link(request, **{name: value}), value in active.get(name, []))
               for value, count in pairs]
        for name, pairs in results.facets.items()
    }
    pages = {"prev": _link(request, page=str(query.page - 1)) if query.page > 1 else None,
             "next": _link(request, page=str(query.page + 1))
             if query.page * query.per_page < results.total else None}
    clear = {name: _link(request, **{name: None}) for name, values in active.items() if values}
    return render(request, "search.html", {
        "q": query.text, "results": results, "facet_links": facet_links, "pages": pages,
        "clear": clear, "sort_date": _link(request, sort="date"),
        "sort_relevance": _link(request, sort="relevance"), "sort": query.sort,
    })
