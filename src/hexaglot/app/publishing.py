"""Publish, embargo and unpublish records, one or a selection at once (the workspace's
bulk actions: publish, set access, add a subject), each selection in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hexaglot.app.archive import Archive
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset
from hexaglot.enrich.edit import EditError, Edits, apply_edits, parse_edits

__all__ = ["ACTIONS", "bulk_edit", "edits_for", "publish"]

#: The bulk actions on a selection of assets.
ACTIONS = ("publish", "unpublish", "embargo", "access", "add_subject")


def edits_for(action: str, value: str | None = None) -> Edits:
    """The edits one action makes: publish, unpublish, embargo (until `value`,
    YYYY-MM-DD), access (`value`), add_subject (`value`, KIND:LABEL)."""
    value = (value or "").strip()
    if action == "publish":
        return parse_edits({"status": "published"})
    if action == "unpublish":
        return parse_edits({"status": "draft"})
    if action == "embargo":
        try:
            until = date.fromisoformat(value)
        except ValueError:
            raise EditError(f"embargo: {value!r} is not a day (want YYYY-MM-DD)") from None
        return parse_edits({"status": "published", "access": f"embargoed until {until}"})
    if action == "access":
        return parse_edits({"access": value})
    if action == "add_subject":
        return parse_edits({"add_subjects": [value]})
    raise EditError(f"action: {action!r} is not one of {', '.join(ACTIONS)}")


def bulk_edit(archive: Archive, asset_ids: Sequence[str], edits: Edits,
              actor: str | None = None) -> list[Asset]:
    """Apply the same edits to every selected asset, all in one transaction (one bad
    asset, and none changes); the history names `actor`."""
    ids = list(dict.fromkeys(asset_ids))
    if not ids:
        raise EditError("selection: choose at least one asset")
    if len(ids) > 500:
        raise EditError(f"selection: {len(ids)} assets at once is more than 500")
    with archive.catalog.transaction(actor, "bulk") as tx:
        for asset_id in ids:
            asset = tx.get(asset_id)
            if asset is None:
                raise UnknownAsset(asset_id)
            tx.save(apply_edits(asset, edits))
    archive.changed()
    return [archive.catalog.require(i) for i in ids]


def publish(archive: Archive, asset_id: str, action: str, value: str | None = None,
            actor: str | None = None) -> Asset:
    """One asset published, embargoed or unpublished (see `edits_for`)."""
    return bulk_edit(archive, [asset_id], edits_for(action, value), actor)[0]
