"""Preservation events (PREMIS-style): what happened to an asset's files, when, by whom,
with what outcome. The catalogue keeps them in an append-only log per asset; a bag
carries them as `events.jsonl`."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import field_validator

from hexaglot.domain.records import Record

#: What happened (the issue's words; PREMIS eventType: ingestion, creation, fixity check,
#: recovery, deletion, dissemination/packing, unpacking, replication).
EventType = Literal["ingestion", "derivation", "fixity check", "repair", "deletion", "export",
                    "import", "replication"]
Outcome = Literal["success", "failure", "warning"]


class PreservationEvent(Record):
    """One event of an asset's preservation log.

    `agent` names who or what acted (`hexaglot 0.1.0 audit`, a user name); `detail` says
    what was found or done, in a sentence; `sha256` names the file it concerns, if one."""

    asset_id: str
    event_type: EventType
    date: datetime
    agent: str
    outcome: Outcome
    detail: str = ""
    sha256: str | None = None

    @field_validator("date")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("an event date must carry its time zone (use UTC)")
        return value
