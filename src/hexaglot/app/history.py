"""The history of an asset's record: every change, who made it, when, field by field
(`catalog.history`); and reverting a record to an earlier version, itself entered as a
new change (nothing in the history is ever rewritten)."""

from __future__ import annotations

from typing import Any

from hexaglot.app.archive import Archive
from hexaglot.app.viewing import valid_id
from hexaglot.catalog import UnknownAsset, history
from hexaglot.catalog.history import Change
from hexaglot.catalog.repository import tracked
from hexaglot.domain import Asset
from hexaglot.errors import Conflict, NotFound

__all__ = ["Change", "asset_history", "revert_asset"]


class UnknownChange(NotFound):
    """No entry with this id in the asset's history."""


def asset_history(archive: Archive, asset_id: str) -> list[Change]:
    """The asset's changes, oldest first (staff only: callers check who asks). An asset
    that no longer exists keeps its history; an id nothing ever happened to is unknown."""
    asset_id = valid_id(asset_id)
    with archive.catalog.session() as s:
        found = history.entries(s, "asset", asset_id)
    if not found and archive.catalog.get(asset_id) is None:
        raise UnknownAsset(asset_id)
    return found


def revert_asset(archive: Archive, asset_id: str, change_id: int,
                 actor: str | None = None) -> Asset:
    """Put the record back as it was right after change `change_id` (an entry of its
    history): every later change is undone field by field, and the result is saved as a
    new change (`revert`)."""
    asset_id = valid_id(asset_id)
    with archive.catalog.transaction(actor, "revert") as tx:
        current = tx.get(asset_id)
        if current is None:
            raise UnknownAsset(asset_id)
        target = history.entry(tx.session, change_id)
        if target is None or target.subject != "asset" or target.subject_id != asset_id:
            raise UnknownChange(f"asset {asset_id} has no change {change_id} in its history")
        values: dict[str, Any] = tracked(current)
        for later in reversed(history.entries(tx.session, "asset", asset_id, after=change_id)):
            for field, (before, _after) in later.changes.items():
                if field in values:
                    values[field] = before
        values.update(asset_id=asset_id, formats=current.formats, created=current.created)
        try:
            reverted = Asset.model_validate(values)
        except ValueError as exc:
            raise Conflict(f"asset {asset_id} cannot be put back as of change {change_id}: "
                           f"{exc}") from None
        tx.save(reverted)
    archive.changed()
    return archive.catalog.require(asset_id)
