"""Preservation: the events use cases record, an intact copy of a master (the primary
blob store, else the replica), and what staff see of an asset's preservation state.

Every use case that stores, derives, repairs, checks, exports or imports an asset's files
appends its events to the asset's log in the same transaction as the change
(`archive.events.append(..., session=tx.session)`), each made by `event`. A master is
never overwritten or deleted by any of them: when the primary copy fails its checksum,
`intact_copy` answers the replica's (if one is configured and intact) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hexaglot import __version__
from hexaglot.app.archive import Archive
from hexaglot.app.viewing import get_asset
from hexaglot.catalog.fixity import FAILING, MASTER, BlobUse
from hexaglot.domain import Audience
from hexaglot.domain.events import EventType, Outcome, PreservationEvent
from hexaglot.errors import Forbidden, HexaglotError
from hexaglot.storage import BlobStore


class MasterDamaged(HexaglotError):
    """A master is missing or fails its checksum (and no intact replica exists): it is
    never derived from, exported, or replaced."""

    code = "master_damaged"
    permanent = True


def agent(action: str) -> str:
    """Who acts: `hexaglot 0.1.0 audit`."""
    return f"hexaglot {__version__} {action}"


def event(asset_id: str, event_type: EventType, action: str, detail: str,
          outcome: Outcome = "success", sha256: str | None = None) -> PreservationEvent:
    """An event of now, by this program doing `action`."""
    return PreservationEvent(asset_id=asset_id, event_type=event_type,
                             date=datetime.now(UTC), agent=agent(action), outcome=outcome,
                             detail=detail, sha256=sha256)


def intact_copy(archive: Archive, sha256: str, what: str) -> BlobStore:
    """The store holding an intact copy of blob `sha256`: the primary, else the replica;
    `MasterDamaged` naming `what` when neither does."""
    if archive.blobs.verify(sha256):
        return archive.blobs
    replica = archive.replica
    if replica is not None and replica.verify(sha256):
        return replica
    where = "nor in the replica" if replica is not None else "and no replica is configured"
    raise MasterDamaged(f"{what} {sha256} is missing or fails its checksum in the blob store "
                        f"{where}; it was not used")


def preservation_log(archive: Archive, asset_id: str, viewer: Audience
                     ) -> list[PreservationEvent]:
    """An asset's preservation events, oldest first (staff only)."""
    if viewer < Audience.STAFF:
        raise Forbidden("the preservation log is for staff only")
    asset = get_asset(archive, asset_id, viewer)
    return archive.events.events(asset.asset_id)


@dataclass(frozen=True)
class FixityStatus:
    """What staff see of an asset's files: how many the audit knows, which fail."""

    files: int
    checked: int
    last_checked: datetime | None
    failing: list[tuple[BlobUse, str]]

    @property
    def master_flagged(self) -> bool:
        """True when the asset's master fails its fixity check."""
        return any(use.role == MASTER for use, _ in self.failing)


def fixity_status(archive: Archive, asset_id: str) -> FixityStatus:
    """The fixity state of an asset's master, renditions and transcripts."""
    uses = archive.fixity.uses(asset_id=asset_id)
    states = archive.fixity.states(uses)
    checked = [s.checked for s in states.values() if s.checked is not None]
    failing = [(use, states[sha].outcome or "")
               for sha, found in sorted(uses.items()) for use in found
               if sha in states and states[sha].outcome in FAILING]
    return FixityStatus(len(uses), len(checked), max(checked) if checked else None, failing)
