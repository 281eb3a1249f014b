"""Rebuilding from scratch swaps atomically; a crash midway leaves the old index serving."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from hexaglot.app.archive import open_archive
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


_OTHER_PROCESS = """
from hexaglot.app.archive import open_archive
from tests.search_data import meeting_asset
archive = open_archive()
first = archive.catalog.get("A-1001")
first.title = "Zanzibar ferry safety"
archive.catalog.save(first)
archive.catalog.save(meeting_asset(asset_id="A-1009", title="Zanzibar harbour"))
assert archive.changed() == 2
archive.close()
"""


def test_writes_indexed_by_another_process_during_a_reindex_survive_the_swap(
        sqlite_home: Path) -> None:
    archive = open_archive()
    catalog, search = archive.catalog, archive.search
    for asset in [meeting_asset(), *other_assets()]:
        catalog.save(asset)
    drain(catalog, search)
    calls: list[int] = []

    def progress(k: int) -> None:
        if not calls:  # the rebuild has read A-1001: another process edits and indexes it
            subprocess.run([sys.executable, "-c", _OTHER_PROCESS], check=True,
                           cwd=Path(__file__).parent.parent, env=os.environ.copy())
            assert hit_ids(TantivyEngine(search.root), "Zanzibar") == {"A-1001", "A-1009"}
        calls.append(k)

    reindex(catalog, search, progress)
    assert hit_ids(search, "Zanzibar") == {"A-1001", "A-1009"}
    titles = {h.asset_id: h.title for h in search.search(parse("Zanzibar")).hits}
    assert titles["A-1001"] == "Zanzibar ferry safety"
    assert catalog.outbox_pending(10) == []
    assert not (search.root / "rebuilding").exists()
    archive.close()


def test_a_large_rebuild_analyses_in_worker_processes_with_the_same_result(home: Path) -> None:
    """Past `INLINE_FIRST` assets the text is analysed in worker processes; the index must
    be the one a single process builds, in the same order."""
    from hexaglot.search.parallel import INLINE_FIRST

    n = INLINE_FIRST + 130
    items = [(meeting_asset(asset_id=f"A-{i:05d}", title=f"Meeting {i} on topic{i % 7}",
                            description=f"Kazakhstan briefing number{i % 11}"), [])
             for i in range(n)]
    archive = open_archive()
    search = archive.search
    answers = {}
    for processes in (1, 2):
        assert search.rebuild(iter(items), processes=processes) == n  # type: ignore[call-arg]
        assert search.count() == n
        answers[processes] = [search.search(parse(q, per_page=100)) for q in
                              ("topic3", "number5 Kazakhstan", "")]
    for single, multi in zip(answers[1], answers[2], strict=True):
        assert single.total == multi.total > 0 and single.facets == multi.facets
        if single.total <= 100:  # every hit on the page (ties may order differently)
            assert {h.asset_id for h in single.hits} == {h.asset_id for h in multi.hits}
    assert answers[2][0].total == len([i for i in range(n) if i % 7 == 3])
    archive.close()
