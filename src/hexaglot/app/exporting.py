"""Exports of a record (`interop.registry`: JSON, Dublin Core, MARC 21 XML and binary,
PBCore, JSON-LD, the IIIF manifest) and the IIIF collections of a meeting series and
year, as an anonymous user may see them: what the public may not see is not exported
(`UnknownAsset`, a 404, as if it did not exist); clips the public may not see are left
out of their meeting's manifest.

The `Site` (public base URL) is `HEXAGLOT_PUBLIC_URL` when set, else the URL a web
request came in on, else `DEFAULT_PUBLIC_URL` (the CLI).
"""

from __future__ import annotations

from dataclasses import dataclass

from hexaglot.app.archive import Archive
from hexaglot.app.viewing import children, get_asset
from hexaglot.domain import Asset, Audience
from hexaglot.errors import NotFound
from hexaglot.interop import iiif_collection
from hexaglot.interop.registry import EXPORTERS, exporter
from hexaglot.interop.site import SUFFIXES, Clip, Site

__all__ = ["ENDINGS", "FORMATS", "SUFFIXES", "Clip", "Document", "Site", "clips_of", "export_asset",
           "export_collection",
           "export_record", "site_of"]

DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
ARCHIVE_NAME = "Hexaglot"
#: Every export format, by name (what `hexaglot export FORMAT` takes).
FORMATS: tuple[str, ...] = tuple(e.name for e in EXPORTERS)
#: The file name ending of each format's export (`1000001.marcxml`).
ENDINGS: dict[str, str] = {**SUFFIXES, "iiif": ".iiif.json"}
IIIF_MEDIA_TYPE = exporter("iiif").media_type


@dataclass(frozen=True)
class Document:
    """An exported document: its bytes, media type and a file name for it."""

    body: bytes
    media_type: str
    filename: str


def site_of(archive: Archive, request_base: str | None = None) -> Site:
    """Where the archive is published (see the module docstring)."""
    base = archive.settings.public_url or request_base or DEFAULT_PUBLIC_URL
    return Site(base, ARCHIVE_NAME)


def clips_of(archive: Archive, asset: Asset, viewer: Audience) -> list[Clip]:
    """The asset's statement clips `viewer` may see, with their spans in its recording."""
    out = []
    for clip in children(archive, asset, viewer):
        master = archive.catalog.master(clip.asset_id)
        if master is not None and master.end is not None and master.start < master.end:
            out.append(Clip(clip, master.start, master.end))
    return out


def export_record(archive: Archive, fmt: str, asset_id: str, site: Site,
                  viewer: Audience = Audience.PUBLIC) -> Document:
    """One asset's record in format `fmt` (NotFound for an unknown format or an asset
    `viewer` may not see; `NotExportable` when the record lacks what the format needs)."""
    exporter(fmt)  # an unknown format is not found before the asset is read
    asset = get_asset(archive, asset_id, viewer)
    return export_asset(fmt, asset, site, clips_of(archive, asset, viewer))


def export_asset(fmt: str, asset: Asset, site: Site, clips: list[Clip]) -> Document:
    """The record of an asset already read as its viewer (`get_asset`), with the clips
    that viewer may see (`clips_of`), in format `fmt`."""
    found = exporter(fmt)
    body = found.render(asset, site, clips)
    return Document(body, found.media_type, f"{asset.asset_id}{ENDINGS[fmt]}")


def _in_series(asset: Asset, series: str, year: int) -> bool:
    found = iiif_collection.series_of(asset)
    return found is not None and found[:2] == (series, year)


def export_collection(archive: Archive, series: str, year: int, site: Site) -> Document:
    """The IIIF collection of a meeting series and year: its meetings anyone may see
    (NotFound when there are none)."""
    ids = archive.harvest.live_in(f"body:{series}", f"year:{year}")
    assets = [a for a in (archive.catalog.get(i, Audience.PUBLIC) for i in ids)
              if a is not None and a.parent_id is None and _in_series(a, series, year)]
    if not assets:
        raise NotFound(f"no IIIF collection {series}/{year}: no public meeting of that "
                       "series and year")
    return Document(iiif_collection.render(assets, site), IIIF_MEDIA_TYPE,
                    f"{series}-{year}.iiif.json")
