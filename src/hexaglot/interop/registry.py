"""Every export format, one line each. Adding a format is one module and one line here."""

from __future__ import annotations

from hexaglot.errors import NotFound
from hexaglot.interop import dublin_core, iiif, jsonld, marc, pbcore, record_json
from hexaglot.interop.exporter import Exporter

EXPORTERS: tuple[Exporter, ...] = (
    record_json.EXPORTER,
    dublin_core.EXPORTER,
    marc.MARCXML,
    marc.BINARY,
    pbcore.EXPORTER,
    jsonld.EXPORTER,
    iiif.EXPORTER,
)


def exporter(name: str) -> Exporter:
    """The exporter called `name` (NotFound listing the names there are)."""
    for e in EXPORTERS:
        if e.name == name:
            return e
    raise NotFound(f"no export format {name!r} (there are: "
                   f"{', '.join(e.name for e in EXPORTERS)})")
