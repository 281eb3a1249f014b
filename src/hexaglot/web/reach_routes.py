"""What makes the archive findable: `/sitemap.xml`, the Atom feed of newly published
meetings (`/feed.atom`), `/robots.txt`, `/favicon.ico`, the API documentation at `/docs`
(Swagger UI served from this origin), and the citation routes (`/S/PV.8967`, `/sc/8967`,
`/ga/78/12`) that redirect to the asset cited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from xml.etree import ElementTree as ET

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from hexaglot.app.citing import cited_by_symbol, cited_meeting
from hexaglot.app.exporting import site_of
from hexaglot.app.viewing import MAX_OFFSET, list_assets
from hexaglot.domain import Asset, Audience
from hexaglot.web.auth import archive_of, viewer
from hexaglot.web.static_files import static_url
from hexaglot.web.templating import render

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Audience, Depends(viewer)]
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
_BATCH = 200
#: A sitemap file holds at most 50,000 URLs.
SITEMAP_MAX = 50_000


def _public(request: Request, limit: int) -> list[Asset]:
    archive = archive_of(request)
    out: list[Asset] = []
    offset = 0
    while len(out) < limit and offset <= MAX_OFFSET:
        page = list_assets(archive, Audience.PUBLIC, min(_BATCH, limit - len(out)), offset)
        out += page.assets
        offset += len(page.assets)
        if not page.assets or offset >= page.total:
            break
    return out


def _xml(root: ET.Element, media_type: str) -> Response:
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return Response(body, media_type=media_type, headers={"Cache-Control": "public, max-age=300"})


@router.get("/sitemap.xml")
def sitemap(request: Request) -> Response:
    """Every public asset page, the home and browse pages."""
    site = site_of(archive_of(request), str(request.base_url))
    ET.register_namespace("", SITEMAP)
    root = ET.Element(f"{{{SITEMAP}}}urlset")
    for path in ("/", "/browse", "/about"):
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP}}}url"), f"{{{SITEMAP}}}loc").text = \
            site.url(path)
    for asset in _public(request, SITEMAP_MAX - 3):
        url = ET.SubElement(root, f"{{{SITEMAP}}}url")
        ET.SubElement(url, f"{{{SITEMAP}}}loc").text = site.asset_page(asset.asset_id)
        if asset.updated:
            ET.SubElement(url, f"{{{SITEMAP}}}lastmod").text = asset.updated.date().isoformat()
    return _xml(root, "application/xml")


@router.get("/feed.atom")
def feed(request: Request) -> Response:
    """The latest published public assets, newest first (Atom 1.0)."""
    site = site_of(archive_of(request), str(request.base_url))
    assets = _public(request, FEED_SIZE)
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            el.text = text
        return el

    newest = max((a.updated for a in assets if a.updated), default=datetime.now(UTC))
    sub(root, "id", site.url("/feed.atom"))
    sub(root, "title", "Hexaglot archive: newly published meetings")
    sub(root, "updated", newest.isoformat())
    sub(root, "link", rel="self", href=site.url("/feed.atom"))
    sub(root, "link", rel="alternate", href=site.url("/"))
    sub(sub(root, "author"), "name", "Hexaglot archive")
    for a in assets:
        entry = sub(root, "entry")
        sub(entry, "id", site.asset_page(a.asset_id))
        sub(entry, "title", a.title)
        sub(entry, "updated", (a.updated or newest).isoformat())
        if a.created:
            sub(entry, "published", a.created.isoformat())
        sub(entry, "link", rel="alternate", type="text/html", href=site.asset_page(a.asset_id))
        if a.summary:
            sub(entry, "summary", a.summary)
    return _xml(root, "application/atom+xml")


@router.get("/robots.txt", response_class=PlainTextResponse)
def robots(request: Request) -> str:
    """Crawlers may read everything public but the media files and the API."""
    site = site_of(archive_of(request), str(request.base_url))
    return ("User-agent: *\nDisallow: /media/\nDisallow: /api/\nDisallow: /download/\n"
            f"Sitemap: {site.url('/sitemap.xml')}\n")


@router.get("/favicon.ico")
def favicon() -> RedirectResponse:
    """The favicon (an SVG under a content-hashed name)."""
    return RedirectResponse(static_url("favicon.svg"), status_code=301)


@router.get("/docs", response_class=HTMLResponse)
def docs(request: Request) -> HTMLResponse:
    """Swagger UI over `/openapi.json`, every file from this origin."""
    return render(request, "docs.html", {})


@router.get("/S/{rest:path}")
def cite_security_council_record(request: Request, rest: str, who: Viewer) -> RedirectResponse:
    """`/S/PV.8967`: the meeting whose record has this symbol."""
    return _to(cited_by_symbol(archive_of(request), f"S/{rest}", who), request)


@router.get("/A/{rest:path}")
def cite_general_assembly_record(request: Request, rest: str, who: Viewer) -> RedirectResponse:
    """`/A/78/PV.12`: the meeting whose record has this symbol."""
    return _to(cited_by_symbol(archive_of(request), f"A/{rest}", who), request)


@router.get("/sc/{number}")
def cite_security_council_meeting(request: Request, number: int, who: Viewer) -> RedirectResponse:
    """`/sc/8967`: the Security Council's meeting 8967."""
    return _to(cited_meeting(archive_of(request), "sc", number, who), request)


@router.get("/ga/{session}/{number}")
def cite_general_assembly_meeting(request: Request, session: int, number: int,
                                  who: Viewer) -> RedirectResponse:
    """`/ga/78/12`: the General Assembly's meeting 12 of its 78th session."""
    return _to(cited_meeting(archive_of(request), "ga", number, who, session=session), request)


def _to(asset: Asset, request: Request) -> RedirectResponse:
    query = request.url.query
    return RedirectResponse(f"/assets/{asset.asset_id}" + (f"?{query}" if query else ""),
                            status_code=302)
