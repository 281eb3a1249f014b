"""OAI-PMH items: what harvesters see of each asset, kept in step with the catalogue.

Writing: `track(session, row, now)` is called by the repository's `Writer` in the same
transaction as every change to an asset's public record or its effective visibility
(a save, a descendant's visibility brought in step, its formats replaced), and
`track_gone` when an asset is deleted. An asset anyone may see is `live`, with the
datestamp of that change and its current sets; one that was live and no longer is
(withdrawn, made non-public, deleted) becomes `deleted` with the datestamp of that
moment and the sets it had last, and stays so for good (a harvester is told, never left
to guess); one that never was public is `unseen`, which harvesters never see. A public
asset under embargo keeps `public_from`, the day it becomes live by itself: the first
read on or after that day makes it live with that day as its datestamp.

Reading: `harvest_log.HarvestLog(catalog)` answers what the OAI-PMH provider asks (the `OaiSource`
questions of `interop.oai_source`, in catalogue terms): sets, datestamps and the
(datestamp, asset id) order are in SQL, and a live item's record is read with the
anonymous viewer's rule, so an item the public may not see never carries a record.

A datestamp is taken when the write happens, inside its transaction: a harvest running
at that very moment sees it only after the commit, with that (slightly earlier)
datestamp; harvesters that ask `from` their last harvest's start, as the protocol
advises, miss nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from hexaglot.catalog.tables import AssetRow, OaiItemRow, OaiSetRow
from hexaglot.domain import Audience
from hexaglot.domain.sets import harvest_sets

LIVE, DELETED, UNSEEN = "live", "deleted", "unseen"
HARVESTED = (LIVE, DELETED)


def set_rows(item: OaiItemRow, row: AssetRow) -> None:
    """Give a live item its asset's current sets (rows rewritten only when they change)."""
    wanted = harvest_sets(row.meeting_body, row.recorded_on)
    if [(s.spec, s.name) for s in item.sets] != sorted(wanted):
        item.sets = [OaiSetRow(spec=spec, name=name) for spec, name in sorted(wanted)]


def track(session: Session, row: AssetRow, now: datetime) -> None:
    """Bring the OAI item of an asset in step with its row (record and effective
    visibility as they are now in this transaction)."""
    item = session.get(OaiItemRow, row.asset_id)
    if item is None:
        item = OaiItemRow(asset_id=row.asset_id, state=UNSEEN, datestamp=now)
        session.add(item)
    public = row.audience == int(Audience.PUBLIC)
    if public and (row.visible_from is None or row.visible_from <= now.date()):
        item.state, item.datestamp, item.public_from = LIVE, now, None
        set_rows(item, row)
        return
    if item.state == LIVE:
        item.state, item.datestamp = DELETED, now
    item.public_from = row.visible_from if public else None


def track_gone(session: Session, asset_id: str, now: datetime) -> None:
    """An asset deleted from the catalogue: its item, if it was live, becomes deleted."""
    item = session.get(OaiItemRow, asset_id)
    if item is None:
        return
    if item.state == LIVE:
        item.state, item.datestamp = DELETED, now
    item.public_from = None


