"""The record as JSON, exactly as the API and `hexaglot show --json` give it."""

from __future__ import annotations

import json
from collections.abc import Sequence

from hexaglot.domain import Asset
from hexaglot.interop.exporter import Exporter
from hexaglot.interop.site import Clip, Site


def render(asset: Asset, site: Site, clips: Sequence[Clip] = ()) -> bytes:
    """The record's JSON (UTF-8, indented)."""
    return json.dumps(asset.model_dump(mode="json"), ensure_ascii=False, indent=2).encode()


EXPORTER = Exporter("json", "application/json", render,
                    lambda site, asset_id: site.export(asset_id, "json"),
                    "the catalogue record as JSON")
