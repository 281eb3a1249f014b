"""Server-rendered public pages: home, the asset page, the embeddable player, about."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from hexaglot.app.browsing import listing, overview
from hexaglot.app.citing import cite, document_links
from hexaglot.app.exporting import Clip, Site, clips_of, export_asset, site_of
from hexaglot.app.preservation import fixity_status, preservation_log
from hexaglot.app.searching import MAX_DEPTH
from hexaglot.app.viewing import children, get_asset, parent, transcripts
from hexaglot.domain import Asset, Audience
from hexaglot.domain.languages import AUDIO_LANGUAGES, preview_of
from hexaglot.domain.records import SUBJECT_KINDS, parse_duration
from hexaglot.errors import BadInput
from hexaglot.web.auth import archive_of, viewer
from hexaglot.web.templating import interface_language, render

router = APIRouter(include_in_schema=False)
#: How many of the latest preservation events the staff view of an asset shows.
EVENTS_SHOWN = 50
Viewer = Annotated[Audience, Depends(viewer)]
#: Renditions offered as downloads (the master is kept, HLS is a streaming package).
#: The deepest page of a list (search's depth bound, at 20 a page).
MAX_PAGE = MAX_DEPTH // 20
DOWNLOADABLE = ("mp4", "audio-m4a", "audio-mp3", "transcript", "poster", "thumbnails")


def page_number(request: Request) -> int:
    """`?page=` as a page number from 1 (absent: 1); anything else is a 400 page saying so."""
    raw = request.query_params.get("page", "1")
    if not (raw.isdigit() and len(raw) < 7 and 1 <= int(raw) <= MAX_PAGE):
        raise BadInput(f"page must be a whole number from 1 to {MAX_PAGE} (got {raw[:20]!r})")
    return int(raw)


@router.get("/", response_class=HTMLResponse)
def home(request: Request, who: Viewer) -> HTMLResponse:
    """The latest meetings (newest meeting first), and browsing by year and body."""
    archive = archive_of(request)
    hl = interface_language(request)
    return render(request, "index.html", {
        "listing": listing(archive, who, page=page_number(request), lang=hl),
        "browse": overview(archive, who, hl),
    })


def _audio(asset: Asset, request: Request) -> str:
    """The audio language the page starts on: `?lang=` when the recording has it."""
    tracks = [f.language for f in asset.formats if f.rendition == "audio-m4a" and f.language]
    wanted = request.query_params.get("lang")
    if wanted in tracks:
        return wanted
    return preview_of(asset.preview_language, tracks) if tracks else "original"


def _json_ld(asset: Asset, site: Site, clips: list[Clip]) -> str:
    """The schema.org JSON-LD of the asset, safe inside a <script> element."""
    data = json.loads(export_asset("jsonld", asset, site, clips).body)
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c")


def _moment(text: str) -> int | None:
    """`?t=` (seconds, `M:SS` or `H:MM:SS`) as whole seconds; None when absent or bad."""
    try:
        return int(parse_duration(text)) or None
    except ValueError:
        return None


def player_context(request: Request, asset: Asset) -> dict[str, Any]:
    """What the player and its transcript need."""
    archive = archive_of(request)
    shown = transcripts(archive, asset)
    audio = _audio(asset, request)
    first = audio if audio in shown else next(iter(shown), None)
    return {"asset": asset, "audio": audio, "transcripts": shown, "transcript_shown": first}


@router.get("/assets/{asset_id}", response_class=HTMLResponse)
def asset_page(request: Request, asset_id: str, who: Viewer) -> HTMLResponse:
    """One asset: the player with its transcript, speakers, chapters, downloads, how to
    cite and share it, and its catalogue record."""
    archive = archive_of(request)
    asset = get_asset(archive, asset_id, who)
    staff = {}
    if who >= Audience.STAFF:  # the staff view: the asset's preservation state
        staff = {"events": preservation_log(archive, asset.asset_id, who)[-EVENTS_SHOWN:],
                 "fixity": fixity_status(archive, asset.asset_id)}
    site = site_of(archive, str(request.base_url))
    settings = archive.settings
    clips = clips_of(archive, asset, who)
    at = _moment(request.query_params.get("t", ""))
    return render(request, "asset.html", {
        **player_context(request, asset),
        "chapters": clips, "children": children(archive, asset, who),
        "parent": parent(archive, asset, who), "subject_kinds": SUBJECT_KINDS,
        "downloads": [f for f in asset.formats if f.rendition in DOWNLOADABLE and f.url],
        "citation": cite(asset, site.asset_page(asset.asset_id), at),
        "page_url": site.asset_page(asset.asset_id), "embed_url": site.url(f"/embed/{asset.asset_id}"),
        "documents": document_links(asset, settings.document_url, settings.resolution_url),
        "json_ld": _json_ld(asset, site, clips), "audio_languages": AUDIO_LANGUAGES,
        **staff,
    })


@router.get("/embed/{asset_id}", response_class=HTMLResponse)
def embed(request: Request, asset_id: str, who: Viewer) -> HTMLResponse:
    """The player alone, to be framed by other sites (`<iframe src=…/embed/{id}>`)."""
    asset = get_asset(archive_of(request), asset_id, who)
    return render(request, "embed.html", player_context(request, asset))


@router.get("/about", response_class=HTMLResponse)
def about(request: Request) -> HTMLResponse:
    """What the archive is, its terms of use and credit line (settings)."""
    settings = archive_of(request).settings
    return render(request, "about.html", {"credit_line": settings.credit_line,
                                          "terms_of_use": settings.terms_of_use})
