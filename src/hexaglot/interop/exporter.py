"""The exporter contract: one record in, one document out.

An exporter is data: its `name` (what `hexaglot export NAME` takes), the `media_type`
it answers with, `render(asset, site, clips)` giving the document's bytes, and `url`
giving where the site publishes it. `render` reads nothing but its arguments: the
record with its formats, the `Site` (public base URL and name) and, for the formats
that describe them (IIIF ranges, JSON-LD `hasPart`, PBCore parts), the asset's
statement clips. It raises `NotExportable` when the record lacks what the format needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hexaglot.domain import Asset
from hexaglot.errors import Conflict
from hexaglot.interop.site import Clip, Site


class NotExportable(Conflict):
    """The record lacks something this format needs (names the asset and what)."""

    code = "not_exportable"


Render = Callable[[Asset, Site, Sequence[Clip]], bytes]


@dataclass(frozen=True)
class Exporter:
    """One export format (see the module docstring)."""

    name: str
    media_type: str
    render: Render
    url: Callable[[Site, str], str]
    summary: str = ""
