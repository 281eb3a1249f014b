"""What the OAI-PMH provider asks of the catalogue: the `OaiSource` protocol.

The catalogue implements it (with its deletion tracking and the visibility rule: only
what an anonymous user may see has a record; an asset withdrawn or made non-public is
kept as *deleted*, never dropped). All datetimes are timezone-aware UTC.

- `earliest_datestamp()`: the smallest datestamp of any item, deleted ones included
  (None for an empty archive).
- `sets()`: every leaf set that has an item (`sets_of` computes an asset's sets).
- `item(asset_id)`: the item of one asset, deleted or not; None when the archive never
  published it.
- `page(window, after, limit)`: at most `limit` items, ordered by (datestamp, asset_id),
  strictly after `after` in that order (from the start when None), with
  `window.since <= datestamp < window.before` (each bound optional) and, when
  `window.set_spec` is given, in that set or below it (`set_matches`).

An item's datestamp is when its record last changed, or when it was deleted or hidden;
its `sets` are its current ones (for a deleted item, the ones it had last); its
`record` is the public record, None when deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from hexaglot.domain import Asset
from hexaglot.domain.sets import harvest_sets, in_set
from hexaglot.errors import BadInput


@dataclass(frozen=True)
class OaiSet:
    """A set: its spec (`body:security-council`, `year:2022`) and its name."""

    spec: str
    name: str


@dataclass(frozen=True)
class OaiItem:
    """One asset as the provider sees it (see the module docstring)."""

    asset_id: str
    datestamp: datetime
    sets: tuple[str, ...]
    deleted: bool
    record: Asset | None

    def __post_init__(self) -> None:
        if self.datestamp.tzinfo is None:
            raise BadInput(f"OAI datestamp of asset {self.asset_id} has no time zone")
        if not self.deleted and self.record is None:
            raise BadInput(f"OAI item {self.asset_id} is not deleted but has no record")


@dataclass(frozen=True)
class Window:
    """Which items a list request selects: `since <= datestamp < before`, in a set."""

    since: datetime | None = None
    before: datetime | None = None
    set_spec: str | None = None


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the (datestamp, asset_id) of its last item."""

    datestamp: datetime
    asset_id: str


@runtime_checkable
class OaiSource(Protocol):
    """The catalogue as the OAI-PMH provider reads it (see the module docstring)."""

    def earliest_datestamp(self) -> datetime | None:
        """The earliest datestamp of any item."""
        ...

    def sets(self) -> list[OaiSet]:
        """Every leaf set with at least one item."""
        ...

    def item(self, asset_id: str) -> OaiItem | None:
        """One asset's item, deleted or not."""
        ...

    def page(self, window: Window, after: Cursor | None, limit: int) -> list[OaiItem]:
        """The next items of a window, in (datestamp, asset_id) order."""
        ...


def sets_of(asset: Asset) -> list[OaiSet]:
    """The sets an asset is in: its body (`body:{slug}`) and recording year (`year:YYYY`)
    (the rule of `domain.sets`)."""
    return [OaiSet(spec, name) for spec, name in harvest_sets(asset.meeting.body,
                                                              asset.recorded_on)]


def set_matches(spec: str, item_sets: tuple[str, ...] | list[str]) -> bool:
    """True when an item with these sets is in set `spec` (the set itself or one below
    it: `body` holds `body:security-council`)."""
    return in_set(spec, item_sets)
