"""Browsing pages: `/browse` (every body, year, country, person and subject with counts),
`/browse/{facet}/{value}` (the assets with one of them; a year is a calendar of months) and
`/browse/speaker?name=` (a speaker's statements across meetings)."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from hexaglot.app.browsing import Listing, by_facet, by_speaker, overview
from hexaglot.domain import Audience
from hexaglot.web.auth import archive_of, viewer
from hexaglot.web.i18n import format_month
from hexaglot.web.pages import page_number
from hexaglot.web.templating import interface_language, link, render

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Audience, Depends(viewer)]


@router.get("/browse", response_class=HTMLResponse)
def browse(request: Request, who: Viewer) -> HTMLResponse:
    """Every browsable value with its count."""
    hl = interface_language(request)
    return render(request, "browse.html", {"groups": overview(archive_of(request), who, hl)})


def _pages(request: Request, found: Listing, **params: str) -> dict[str, str | None]:
    hl = interface_language(request)
    path = request.url.path
    return {"prev": link(path, hl, page=found.page - 1, **params) if found.page > 1 else None,
            "next": link(path, hl, page=found.page + 1, **params) if found.has_next else None}


@router.get("/browse/speaker", response_class=HTMLResponse)
def speaker(request: Request, who: Viewer, name: str = "") -> HTMLResponse:
    """The meetings where a speaker speaks."""
    hl = interface_language(request)
    found = by_speaker(archive_of(request), who, name, page_number(request), hl)
    return render(request, "browse_list.html", {
        "facet": "speaker", "label": name.strip(), "listing": found, "months": None,
        "pages": _pages(request, found, name=name)})


@router.get("/browse/{facet}/{value:path}", response_class=HTMLResponse)
def browse_value(request: Request, facet: str, value: str, who: Viewer) -> HTMLResponse:
    """The assets with one body, year, country, person or subject, newest meeting first;
    a year's page groups them by month (a calendar of its meetings)."""
    hl = interface_language(request)
    entry, found = by_facet(archive_of(request), who, facet, value, page_number(request), hl)
    months = None
    if facet == "year":
        dated = [a for a in found.assets if a.recorded_on]
        months = [(format_month(y, m, hl), f"m{y}-{m:02d}", list(group)) for (y, m), group in
                  groupby(dated, key=lambda a: (a.recorded_on.year, a.recorded_on.month))]  # type: ignore[union-attr]
    return render(request, "browse_list.html", {
        "facet": facet, "label": entry.label, "listing": found, "months": months,
        "pages": _pages(request, found)})
