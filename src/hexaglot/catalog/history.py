"""The history of changes: every write records who, when and what (field by field, the
value before and after) in the append-only `history` table, in the same transaction as
the change itself (`Writer.record`). Nothing updates or deletes an entry (the database
refuses it too, see migration 0010).

Who acts is the transaction's `actor`; a surface that knows better names it
(`Catalog.transaction(actor=...)`), else the actor of the current context (`acting_as`):
the CLI sets `cli:LOGIN` once, a worker `job:KIND` per job.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from hexaglot.catalog.tables import HistoryRow

#: Most entries a listing gives at once.
MAX_ENTRIES = 1000
_ACTOR: ContextVar[str | None] = ContextVar("hexaglot_actor", default=None)


def cli_actor() -> str:
    """The actor of a command run on this machine: `cli:LOGIN`."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        login = "unknown"
    return f"cli:{login}"


def current_actor() -> str:
    """The actor of the current context (`acting_as`), else the machine's user."""
    return _ACTOR.get() or cli_actor()


@contextmanager
def acting_as(actor: str) -> Iterator[None]:
    """Within the block, writes that name no actor are recorded as `actor`."""
    token = _ACTOR.set(actor)
    try:
        yield
    finally:
        _ACTOR.reset(token)


def set_actor(actor: str) -> None:
    """From now on in this context, writes that name no actor are recorded as `actor`."""
    _ACTOR.set(actor)


@dataclass(frozen=True)
class Change:
    """One entry of the history."""

    id: int
    at: datetime
    actor: str
    subject: str
    subject_id: str
    action: str
    changes: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        """The entry as JSON: `changes` maps a field to `{"before": …, "after": …}`."""
        return {"id": self.id, "at": self.at.isoformat(), "actor": self.actor,
                "subject": self.subject, "subject_id": self.subject_id, "action": self.action,
                "changes": {k: {"before": v[0], "after": v[1]} for k, v in self.changes.items()}}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Field by field, `[before, after]` of every field whose value differs."""
    return {k: [before.get(k), after.get(k)] for k in sorted(set(before) | set(after))
            if before.get(k) != after.get(k)}


def record(session: Session, actor: str, subject: str, subject_id: str, action: str,
           changes: dict[str, list[Any]]) -> None:
    """Append one entry in the session's transaction."""
    session.add(HistoryRow(at=datetime.now(UTC), actor=actor[:400], subject=subject,
                           subject_id=subject_id, action=action, changes=changes))


def _change(row: HistoryRow) -> Change:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return Change(row.id, at, row.actor, row.subject, row.subject_id, row.action,
                  dict(row.changes or {}))


def entries(session: Session, subject: str, subject_id: str, after: int | None = None,
            limit: int = MAX_ENTRIES) -> list[Change]:
    """The subject's entries, oldest first (the first `limit`; only those after entry id
    `after` when given)."""
    stmt = sa.select(HistoryRow).where(HistoryRow.subject == subject,
                                       HistoryRow.subject_id == subject_id)
    if after is not None:
        stmt = stmt.where(HistoryRow.id > after)
    return [_change(r) for r in session.scalars(stmt.order_by(HistoryRow.id).limit(limit))]


def entry(session: Session, entry_id: int) -> Change | None:
    """One entry by its id, or None."""
    row = session.get(HistoryRow, entry_id)
    return _change(row) if row is not None else None
