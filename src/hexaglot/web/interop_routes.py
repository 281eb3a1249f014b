"""What other systems read: the record's exports (`/assets/{id}.json`, `.dc.xml`,
`.marcxml`, `.mrc`, `.pbcore.xml`, `.jsonld`), IIIF manifests and collections, and the
OAI-PMH endpoint (`/oai`). Only what an anonymous user may see is exported or harvested,
whoever asks; anything else is a 404, as if it did not exist. These routes are included
before the asset page (`/assets/{asset_id}`), whose id form takes no dots.
Responses may be read from any origin (IIIF viewers, harvesters run in browsers)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from hexaglot.app.exporting import (
    SUFFIXES,
    Document,
    Site,
    export_collection,
    export_record,
    site_of,
)
from hexaglot.app.harvesting import oai_response
from hexaglot.web.auth import archive_of
from hexaglot.web.errors import ERROR_RESPONSES

router = APIRouter(include_in_schema=False, responses=ERROR_RESPONSES)
OPEN = {"Access-Control-Allow-Origin": "*", "Cache-Control": "public, max-age=300"}
#: Largest OAI-PMH POST body read (a request is a few arguments).
MAX_OAI_BODY = 16 * 1024


def _site(request: Request) -> Site:
    return site_of(archive_of(request), str(request.base_url))


def _answer(doc: Document) -> Response:
    return Response(doc.body, media_type=doc.media_type, headers=OPEN)


def _export_route(fmt: str) -> Callable[[Request, str], Response]:
    def export(request: Request, asset_id: str) -> Response:
        return _answer(export_record(archive_of(request), fmt, asset_id, _site(request)))

    export.__name__ = f"export_{fmt}"
    export.__doc__ = f"The record exported as {fmt} (public assets only)."
    return export


for _fmt, _suffix in SUFFIXES.items():
    router.add_api_route(f"/assets/{{asset_id}}{_suffix}", _export_route(_fmt), methods=["GET"])


@router.get("/iiif/{asset_id}/manifest.json")
def iiif_manifest(request: Request, asset_id: str) -> Response:
    """The IIIF Presentation 3 manifest of a public asset."""
    return _answer(export_record(archive_of(request), "iiif", asset_id, _site(request)))


@router.get("/iiif/collections/{series}/{year}.json")
def iiif_collection(request: Request, series: str, year: int) -> Response:
    """The IIIF collection of a meeting series (the body's slug) and year."""
    return _answer(export_collection(archive_of(request), series, year, _site(request)))


@router.api_route("/oai", methods=["GET", "POST"])
async def oai(request: Request) -> Response:
    """OAI-PMH 2.0 (GET query or POST form); protocol errors answer 200 with OAI XML."""
    pairs = list(request.query_params.multi_items())
    if request.method == "POST":
        body = await request.body()
        pairs += parse_qsl(body[:MAX_OAI_BODY].decode("utf-8", "replace"),
                           keep_blank_values=True)
    xml = await run_in_threadpool(oai_response, archive_of(request), pairs, _site(request))
    return Response(xml, media_type="text/xml; charset=utf-8",
                    headers={"Access-Control-Allow-Origin": "*"})
