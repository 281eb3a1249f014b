"""A cataloguer's edits to a record, from any surface (CLI, API, workspace): applied,
saved, and the index brought in step, in one place."""

from __future__ import annotations

from hexaglot.app.archive import Archive
from hexaglot.catalog import ParentCycle, UnknownAsset, UnknownParent
from hexaglot.domain import Asset
from hexaglot.enrich.edit import EditError, Edits, SpeakerEdit, apply_edits, parse_edits

__all__ = ["PARENT_ERRORS", "EditError", "Edits", "SpeakerEdit", "edit_asset", "make_edits",
           "parse_edits"]

#: What an edit of the parent raises when the parent does not exist or would make a loop.
PARENT_ERRORS = (UnknownParent, ParentCycle)


def make_edits(**values: object) -> Edits:
    """`Edits` from named values, an `EditError` saying which value is wrong."""
    return parse_edits(values)


def _action(edits: Edits) -> str:
    """The history's name for an edit: `access`, `publish`/`unpublish` when that is all it
    changes, else `edit`."""
    given = edits.model_dump(exclude_defaults=True)
    if set(given) == {"access"}:
        return "access"
    if set(given) == {"status"}:
        return "publish" if edits.status == "published" else "unpublish"
    return "edit"


def edit_asset(archive: Archive, asset_id: str, edits: Edits,
               actor: str | None = None) -> Asset:
    """Apply `edits` to an asset and store it (entered in the history as `actor`'s);
    edited speakers and subjects become `confirmed`. Raises `UnknownAsset` or `EditError`
    (changing nothing)."""
    with archive.catalog.transaction(actor, _action(edits)) as tx:
        asset = tx.get(asset_id)
        if asset is None:
            raise UnknownAsset(asset_id)
        tx.save(apply_edits(asset, edits))
    archive.changed()
    return archive.catalog.require(asset_id)
