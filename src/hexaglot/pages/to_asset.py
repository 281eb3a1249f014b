"""Turn what a catalogue page says into a catalogue record."""

from __future__ import annotations

from hexaglot.domain import Asset, Meeting
from hexaglot.domain.text import fold_key
from hexaglot.pages.catalogue_page import CataloguePage
from hexaglot.vocab import subject_for


def page_to_asset(page: CataloguePage, asset_id: str, existing: Asset | None = None) -> Asset:
    """The record a page describes. Fields the page does not speak of (formats, speakers,
    subjects of other kinds, access) are kept from `existing`. Subject headings resolve
    through the vocabularies (one id, six labels), as an edit's do."""
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
        for label in labels:
            subject = subject_for(kind, label)
            known = {s.id for s in current} | {fold_key(s.label) for s in current}
            if subject.id not in known and fold_key(subject.label) not in known:
                current.append(subject)
    return asset
