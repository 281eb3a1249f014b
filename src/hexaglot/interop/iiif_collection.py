"""IIIF Presentation 3 collections: one per meeting series (the body) and year, listing
the manifests of its assets (`/iiif/collections/{series}/{year}.json`)."""

from __future__ import annotations

import json
from collections.abc import Sequence

import iiif_prezi3 as p3

from hexaglot.domain import Asset
from hexaglot.domain.text import slug
from hexaglot.errors import BadInput
from hexaglot.interop.site import Site


def series_of(asset: Asset) -> tuple[str, int, str] | None:
    """(series slug, year, label) of the collection an asset belongs to, or None when it
    has no body or no date: `("security-council", 2022, "Security Council, 2022")`."""
    body, day = asset.meeting.body, asset.recorded_on
    if not body or not day or not slug(body):
        return None
    return slug(body), day.year, f"{body}, {day.year}"


def collection(assets: Sequence[Asset], site: Site) -> p3.Collection:
    """The collection of these assets, which must share one series and year (BadInput
    naming the first that does not)."""
    if not assets:
        raise BadInput("a IIIF collection needs at least one asset")
    first = series_of(assets[0])
    for a in assets:
        if series_of(a) is None or series_of(a) != first:
            raise BadInput(f"asset {a.asset_id} is not in the series and year of asset "
                           f"{assets[0].asset_id} ({first[2] if first else 'none'})")
    assert first is not None
    items = [p3.ManifestRef(id=site.iiif(a.asset_id), type="Manifest", label={"en": [a.title]})
             for a in sorted(assets, key=lambda a: (a.recorded_on, a.asset_id))]
    return p3.Collection(id=site.collection(first[0], first[1]), label={"en": [first[2]]},
                         items=items)


def render(assets: Sequence[Asset], site: Site) -> bytes:
    """The collection as JSON-LD."""
    data = json.loads(collection(assets, site).json())
    return json.dumps(data, ensure_ascii=False, indent=2).encode()
