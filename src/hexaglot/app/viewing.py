"""Reading the archive as one viewer: what an `Audience` may not see is absent (a 404 on
every surface), with the same rule as search and media."""

from __future__ import annotations

from dataclasses import dataclass

from hexaglot.app.archive import Archive
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Audience
from hexaglot.domain.languages import ordered
from hexaglot.domain.records import Segment, check_asset_id, preferred_segments
from hexaglot.errors import BadInput

#: The deepest offset a list of assets is served to (like search's depth bound).
MAX_OFFSET = 100_000


def valid_id(asset_id: str) -> str:
    """`asset_id` when it has the one documented form; else `UnknownAsset` (no such id can
    exist, so a malformed id is simply not found)."""
    try:
        return check_asset_id(asset_id)
    except ValueError:
        raise UnknownAsset(asset_id[:80]) from None


def get_asset(archive: Archive, asset_id: str, viewer: Audience) -> Asset:
    """The asset when `viewer` may see it; else `UnknownAsset`, whether it exists or not."""
    return archive.catalog.require(valid_id(asset_id), viewer)


def children(archive: Archive, asset: Asset, viewer: Audience) -> list[Asset]:
    """The asset's statement clips `viewer` may see."""
    return archive.catalog.children(asset.asset_id, viewer)


def parent(archive: Archive, asset: Asset, viewer: Audience) -> Asset | None:
    """The asset's parent, when there is one and `viewer` may see it."""
    return archive.catalog.get(asset.parent_id, viewer) if asset.parent_id else None


@dataclass(frozen=True)
class AssetPage:
    """A page of assets and how many `viewer` may see in all."""

    assets: list[Asset]
    total: int
    limit: int
    offset: int


def list_assets(archive: Archive, viewer: Audience, limit: int = 20,
                offset: int = 0) -> AssetPage:
    """Assets `viewer` may see, most recently updated first."""
    if not 1 <= limit <= 200:
        raise BadInput(f"limit must be between 1 and 200, not {limit}")
    if not 0 <= offset <= MAX_OFFSET:
        raise BadInput(f"offset must be between 0 and {MAX_OFFSET}, not {offset}")
    catalog = archive.catalog
    return AssetPage(catalog.list(limit=limit, offset=offset, viewer=viewer),
                     catalog.count(viewer), limit, offset)


def transcripts(archive: Archive, asset: Asset) -> dict[str, list[Segment]]:
    """The transcript per language of an asset read as its viewer (`get_asset`), as shown
    and searched (a human transcript of a language over a machine one), in time order."""
    shown: dict[str, list[Segment]] = {}
    for seg in preferred_segments(archive.catalog.segments(asset.asset_id)):
        shown.setdefault(seg.language, []).append(seg)
    return {lang: shown[lang] for lang in ordered(list(shown))}
