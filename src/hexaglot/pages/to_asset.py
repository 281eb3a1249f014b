"""Turn what a catalogue page says into a catalogue record."""

from __future__ import annotations

import re
import unicodedata

from hexaglot.domain import Asset, Meeting, Subject
from hexaglot.pages.catalogue_page import CataloguePage


def slug(text: str) -> str:
    """A stable ASCII id fragment for a label (`António Guterres` -> `antonio-guterres`)."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_text = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def page_to_asset(page: CataloguePage, asset_id: str, existing: Asset | None = None) -> Asset:
    """The record a page describes. Fields the page does not speak of (formats, speakers,
    subjects of other kinds, access) are kept from `existing`."""
    base = existing.model_dump() if existing else {"asset_id": asset_id}
    base.pop("duration", None)
    base.pop("children", None)
    asset = Asset.model_validate(base | {"asset_id": asset_id, "title": page.title})
    asset.parent_id = page.parent_id or asset.parent_id
    asset.summary = page.summary
    asset.description = page.description
    asset.recorded_on = page.recorded_on
    if page.duration_seconds is not None:
        asset.duration_seconds = page.duration_seconds
    asset.preview_language = page.preview_language
    if page.available_languages:
        asset.available_languages = page.available_languages
    asset.meeting = Meeting(
        body=page.meeting_body,
        number=page.meeting_number,
        record_symbol=page.record_symbol,
        began=page.began,
        ended=page.ended,
    )
    if page.source:
        asset.source = page.source
    for kind, labels in page.subjects.items():
        current = getattr(asset.subjects, kind)
        known = {s.label for s in current}
        prefix = "person" if kind == "personal" else kind
        current.extend(
            Subject(id=f"{prefix}:{slug(label)}", label=label, labels={"en": label},
                    status="confirmed")
            for label in labels
            if label not in known
        )
    return asset
