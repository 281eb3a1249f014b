"""The sets an asset is harvested in (OAI-PMH) and grouped by (IIIF collections): its
meeting series, by body (`body:security-council`), and the year of its recording
(`year:2022`). One rule, read by the catalogue (which stores each item's sets, so a
harvest filters by set in SQL) and by the interop formats."""

from __future__ import annotations

from datetime import date

from hexaglot.domain.text import slug

#: The parent sets and their names.
PARENT_SETS: dict[str, str] = {"body": "Meeting series (by body)",
                               "year": "Year of the recording"}


def harvest_sets(body: str | None, recorded_on: date | None) -> list[tuple[str, str]]:
    """(spec, name) of each set of an asset with this body and recording date:
    `[("body:security-council", "Security Council"), ("year:2022", "2022")]`."""
    out = []
    if body and slug(body):
        out.append((f"body:{slug(body)}", body))
    if recorded_on:
        out.append((f"year:{recorded_on.year}", str(recorded_on.year)))
    return out


def in_set(spec: str, item_sets: tuple[str, ...] | list[str]) -> bool:
    """True when an item with these sets is in set `spec` (the set itself or one below
    it: `body` holds `body:security-council`)."""
    return any(s == spec or s.startswith(spec + ":") for s in item_sets)
