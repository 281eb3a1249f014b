"""Reading the OAI-PMH items of the catalogue (kept by `catalog.harvest`): what the
OAI-PMH provider asks (the `OaiSource` questions of `interop.oai_source`, in catalogue
terms). Sets, datestamps and the (datestamp, asset id) order are in SQL; a live item's
record is read with the anonymous viewer's rule, so an item the public may not see never
carries a record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hexaglot.catalog.harvest import HARVESTED, LIVE, set_rows
from hexaglot.catalog.mapping import row_to_asset
from hexaglot.catalog.repository import Catalog, visible_clause
from hexaglot.catalog.tables import AssetRow, OaiItemRow, OaiSetRow
from hexaglot.domain import Asset, Audience


@dataclass(frozen=True)
class HarvestItem:
    """One asset as harvesters see it: `record` is the public record (None when deleted)."""

    asset_id: str
    datestamp: datetime
    sets: tuple[str, ...]
    deleted: bool
    record: Asset | None


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


class HarvestLog:
    """The OAI items of a catalogue, read (see the module docstring)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def _lift_embargoes(self, s: Session) -> None:
        """Items whose embargo ended become live, dated the day it ended."""
        today = datetime.now(UTC).date()
        due = s.scalars(sa.select(OaiItemRow).where(OaiItemRow.public_from <= today)).all()
        for item in due:
            row = s.get(AssetRow, item.asset_id)
            if row is not None and row.audience == int(Audience.PUBLIC):
                item.state, item.datestamp = LIVE, _midnight(item.public_from or today)
                set_rows(item, row)
            item.public_from = None

    def _session(self) -> Session:
        s = self.catalog.session()
        with s.begin():
            self._lift_embargoes(s)
        return s

    def earliest(self) -> datetime | None:
        """The smallest datestamp of any harvested item (live or deleted)."""
        with self._session() as s:
            found = s.scalar(sa.select(sa.func.min(OaiItemRow.datestamp))
                             .where(OaiItemRow.state.in_(HARVESTED)))
            return _aware(found) if found is not None else None

    def sets(self) -> list[tuple[str, str]]:
        """(spec, name) of every leaf set with a harvested item."""
        with self._session() as s:
            stmt = (sa.select(OaiSetRow.spec, sa.func.min(OaiSetRow.name))
                    .join(OaiItemRow, OaiItemRow.asset_id == OaiSetRow.asset_id)
                    .where(OaiItemRow.state.in_(HARVESTED))
                    .group_by(OaiSetRow.spec).order_by(OaiSetRow.spec))
            return [(spec, name) for spec, name in s.execute(stmt).all()]

    def item(self, asset_id: str) -> HarvestItem | None:
        """One asset's item, live or deleted; None when it was never public."""
        with self._session() as s:
            row = s.scalars(sa.select(OaiItemRow).where(
                OaiItemRow.asset_id == asset_id, OaiItemRow.state.in_(HARVESTED))).first()
            return self._items(s, [row])[0] if row is not None else None

    def page(self, since: datetime | None, before: datetime | None, set_spec: str | None,
             after: tuple[datetime, str] | None, limit: int) -> list[HarvestItem]:
        """At most `limit` harvested items in (datestamp, asset id) order, strictly after
        `after`, with `since <= datestamp < before`, in `set_spec` or a set below it."""
        stmt = sa.select(OaiItemRow).where(OaiItemRow.state.in_(HARVESTED))
        if since is not None:
            stmt = stmt.where(OaiItemRow.datestamp >= since)
        if before is not None:
            stmt = stmt.where(OaiItemRow.datestamp < before)
        if after is not None:
            stamp, last = after
            stmt = stmt.where(sa.or_(OaiItemRow.datestamp > stamp,
                                     sa.and_(OaiItemRow.datestamp == stamp,
                                             OaiItemRow.asset_id > last)))
        if set_spec is not None:
            stmt = stmt.where(sa.exists().where(
                OaiSetRow.asset_id == OaiItemRow.asset_id,
                sa.or_(OaiSetRow.spec == set_spec,
                       OaiSetRow.spec.startswith(set_spec + ":", autoescape=True))))
        stmt = stmt.order_by(OaiItemRow.datestamp, OaiItemRow.asset_id).limit(limit)
        with self._session() as s:
            return self._items(s, list(s.scalars(stmt).all()))

    def live_in(self, *specs: str) -> list[str]:
        """Ids of the live items in every one of these leaf sets, in id order."""
        stmt = sa.select(OaiItemRow.asset_id).where(OaiItemRow.state == LIVE)
        for spec in specs:
            stmt = stmt.where(sa.exists().where(OaiSetRow.asset_id == OaiItemRow.asset_id,
                                                OaiSetRow.spec == spec))
        with self._session() as s:
            return list(s.scalars(stmt.order_by(OaiItemRow.asset_id)))

    def _items(self, s: Session, rows: list[OaiItemRow]) -> list[HarvestItem]:
        """Items with the public records of the live ones (read in one go); a live item
        whose record the public may not see after all is given as deleted."""
        records = _public_records(s, [r.asset_id for r in rows if r.state == LIVE])
        out = []
        for r in rows:
            record = records.get(r.asset_id) if r.state == LIVE else None
            out.append(HarvestItem(r.asset_id, _aware(r.datestamp),
                                   tuple(x.spec for x in r.sets), record is None, record))
        return out


def _public_records(s: Session, ids: list[str]) -> dict[str, Asset]:
    """The records anyone may see among `ids`, each with the clips anyone may see."""
    if not ids:
        return {}
    public = visible_clause(Audience.PUBLIC)
    rows = s.scalars(sa.select(AssetRow).where(AssetRow.asset_id.in_(ids), public)).all()
    kids: dict[str, list[str]] = {}
    for kid, parent in s.execute(sa.select(AssetRow.asset_id, AssetRow.parent_id).where(
            AssetRow.parent_id.in_(ids), public).order_by(AssetRow.asset_id)).all():
        kids.setdefault(parent or "", []).append(kid)
    return {r.asset_id: row_to_asset(r, kids.get(r.asset_id, [])) for r in rows}
