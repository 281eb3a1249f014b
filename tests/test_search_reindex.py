"""Rebuilding from scratch swaps atomically; a crash midway leaves the old index serving."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from hexaglot.archive import open_archive
from hexaglot.search import parse
from hexaglot.search.sync import drain, everything, reindex
from hexaglot.search.tantivy_engine import TantivyEngine
from tests.search_data import meeting_asset, other_assets


def hit_ids(engine, text: str) -> set[str]:
    return {h.asset_id for h in engine.search(parse(text, per_page=50)).hits}


def test_reindex_rebuilds_from_catalogue_and_survives_a_crash(home: Path) -> None:
    archive = open_archive()
    catalog, search = archive.catalog, archive.search
    for asset in [meeting_asset(), *other_assets()]:
        catalog.save(asset)
    drain(catalog, search)
    assert search.count() == 3

    def crashing() -> Iterator:
        for i, item in enumerate(everything(catalog)):
            if i == 2:
                raise RuntimeError("power cut")
            yield item

    before = search.current_directory if isinstance(search, TantivyEngine) else None
    with pytest.raises(RuntimeError, match="power cut"):
        search.rebuild(crashing())
    assert search.count() == 3
    assert hit_ids(search, "Kazakhstan") == {"A-1001"}
    if isinstance(search, TantivyEngine):
        assert search.current_directory == before
        assert sorted(p.name for p in search.root.glob("index-*")) == [before.name]

    catalog.save(meeting_asset(asset_id="A-1005", title="Oceans and the law of the sea"))
    seen: list[int] = []
    assert reindex(catalog, search, seen.append) == 4
    assert len(seen) == 4 and catalog.outbox_pending(10) == []
    assert hit_ids(search, "oceans") == {"A-1005", "A-1003"}
    if isinstance(search, TantivyEngine):
        assert search.current_directory != before and not before.exists()
    archive.close()


def test_a_second_process_sees_the_swap(sqlite_home: Path) -> None:
    root = sqlite_home / "search"
    writer, reader = TantivyEngine(root), TantivyEngine(root)
    writer.index(meeting_asset())
    writer.commit()
    assert hit_ids(reader, "Kazakhstan") == {"A-1001"}
    writer.rebuild((a, []) for a in other_assets())
    assert hit_ids(reader, "Kazakhstan") == set()
    assert hit_ids(reader, "humanitarian") == {"A-1002"}
