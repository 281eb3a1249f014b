"""OAI-PMH over the catalogue: the `OaiSource` the provider (`interop.oai`) reads, made of
the catalogue's OAI items (`catalog.harvest_log`: deletions kept for good, datestamps,
sets in SQL), and one request answered. Only what an anonymous user may see carries a
record; resumption tokens hold the request and where the last page ended, so they
survive a restart of the server."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from hexaglot.app.archive import Archive
from hexaglot.catalog.harvest_log import HarvestItem, HarvestLog
from hexaglot.interop.oai import OaiProvider
from hexaglot.interop.oai_source import Cursor, OaiItem, OaiSet, Window
from hexaglot.interop.site import Site


def _item(h: HarvestItem) -> OaiItem:
    return OaiItem(h.asset_id, h.datestamp, h.sets, h.deleted, h.record)


class CatalogSource:
    """The catalogue as an `OaiSource`."""

    def __init__(self, log: HarvestLog) -> None:
        self.log = log

    def earliest_datestamp(self) -> datetime | None:
        """The earliest datestamp of any item, deleted ones included."""
        return self.log.earliest()

    def sets(self) -> list[OaiSet]:
        """Every leaf set with an item."""
        return [OaiSet(spec, name) for spec, name in self.log.sets()]

    def item(self, asset_id: str) -> OaiItem | None:
        """One asset's item, deleted or not; None if never published."""
        found = self.log.item(asset_id)
        return _item(found) if found is not None else None

    def page(self, window: Window, after: Cursor | None, limit: int) -> list[OaiItem]:
        """The next items of a window, in (datestamp, asset_id) order."""
        cursor = (after.datestamp, after.asset_id) if after is not None else None
        return [_item(h) for h in self.log.page(window.since, window.before, window.set_spec,
                                                cursor, limit)]


def oai_response(archive: Archive, params: Sequence[tuple[str, str]], site: Site) -> bytes:
    """The OAI-PMH XML answering one request (its query or form pairs, repeated keys
    kept), errors included; sent as `text/xml` with HTTP 200."""
    provider = OaiProvider(CatalogSource(archive.harvest), site,
                           page_size=archive.settings.oai_page_size)
    return provider.respond(params)
