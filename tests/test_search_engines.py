"""Both engines (SQLite home → Tantivy, PostgreSQL home → PostgreSQL FTS) give the same hits."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from hexaglot.app.archive import Archive, open_archive
from hexaglot.domain import Audience
from hexaglot.search import parse
from hexaglot.search.sync import drain, one_drain_at_a_time
from tests.search_data import french_cues, meeting_asset, other_assets, restricted_assets

QUERIES: list[tuple[str, set[str]]] = [
    ("Казахстан", {"A-1001"}),
    ("哈萨克斯坦", {"A-1001"}),
    ("كازاخستان", {"A-1001"}),
    ("OTSC", {"A-1001"}),
    ("ОДКБ миротворческие", {"A-1001"}),
    ("S/PV.9001", {"A-1001"}),
    ("s/pv.9001", {"A-1001"}),
    ("S/PV.9012", {"A-1002"}),
    ("S/RES/2645", {"A-1001"}),
    ("S/RES/2645 (2022)", {"A-1001"}),
    ("SC/14798", {"A-1001"}),
    ("A/73/L.63", {"A-1001"}),
    ("A/73/L.64", {"A-1003"}),
    ("symbol:S/PV.9002", {"A-1002"}),
    ("speaker:Guterres", {"A-1001"}),
    ("speaker:Antonio", {"A-1001", "A-1002"}),
    ("country:Kazakhstan", {"A-1001"}),
    ("country:Portugal", {"A-1002"}),
    ("subject:peacekeeping", {"A-1001"}),
    ("peacekeeping Kazakhstan", {"A-1001"}),
    ("CSTO peacekeeping", {"A-1001"}),
    ("Antonio", {"A-1001", "A-1002"}),
    ("security council -humanitarian", {"A-1001"}),
    ('"Security Council"', {"A-1001", "A-1002"}),
    ('"Council Security"', set()),
    ('"soldats de la paix"', {"A-1001"}),
    ("déployés Kazakhstan", {"A-1001"}),
    ('body:"General Assembly"', {"A-1003"}),
    ("lang:es", {"A-1001", "A-1003"}),
    ("kind:audio", {"A-1003"}),
    ("date:2021", {"A-1002"}),
    ("date:2020..2022-02-16", {"A-1001", "A-1002"}),
    ("date:..2020", {"A-1003"}),
    ("Kazakhstan lang:fr date:2022", {"A-1001"}),
    ("elections", {"A-1003"}),
    ("election", {"A-1003"}),
    ("nothingmatchesthis", set()),
]


def build(archive: Archive) -> None:
    """Catalogue the test records and let the index catch up through the outbox."""
    catalog = archive.catalog
    for asset in [meeting_asset(), *other_assets(), *restricted_assets()]:
        catalog.save(asset)
    catalog.add_segments("A-1001", french_cues())
    drain(catalog, archive.search)


@pytest.fixture
def archive(home: Path) -> Iterator[Archive]:
    arch = open_archive()
    build(arch)
    yield arch
    arch.close()


def ids(archive: Archive, text: str, **kw: object) -> set[str]:
    results = archive.search.search(parse(text, per_page=50), **kw)  # type: ignore[arg-type]
    return {h.asset_id for h in results.hits}


def test_queries_find_exactly_the_expected_assets(archive: Archive) -> None:
    wrong = {}
    for text, expected in QUERIES:
        got = ids(archive, text)
        if got != expected:
            wrong[text] = (sorted(got), sorted(expected))
    assert not wrong, f"(got, expected) per query: {wrong}"
    assert archive.catalog.outbox_pending(10) == []


def test_restricted_assets_never_reach_anonymous_users(archive: Archive) -> None:
    results = archive.search.search(parse("Kazakhstan", per_page=50))
    assert {h.asset_id for h in results.hits} == {"A-1001"}
    assert results.total == 1
    bodies = dict(results.facets["body"])
    assert bodies == {"Security Council": 1}
    everyone = archive.search.search(parse("Kazakhstan", per_page=50), audience=Audience.STAFF)
    assert {h.asset_id for h in everyone.hits} == {"A-1001", "A-2001", "A-2002"}
    assert dict(everyone.facets["body"])["Secret Committee"] == 1
    assert ids(archive, "Closed consultations") == set()


def test_facets_count_every_matching_asset(archive: Archive) -> None:
    results = archive.search.search(parse("", per_page=1))
    assert results.total == 3 and len(results.hits) == 1
    f = {k: dict(v) for k, v in results.facets.items()}
    assert f["body"] == {"Security Council": 2, "General Assembly": 1}
    assert f["year"] == {"2022": 1, "2021": 1, "2019": 1}
    assert f["kind"] == {"video": 2, "audio": 1}
    assert f["lang"]["en"] == 2 and f["lang"]["es"] == 2 and f["lang"]["original"] == 3
    # headings and affiliations count by id (the speakers here name no vocabulary id)
    assert f["affiliation"]["Kazakhstan"] == 1 and f["affiliation"]["Portugal"] == 1
    assert f["geographic"] == {"geo:kz": 1}
    assert f["corporate"] == {"org:csto": 1}
    assert f["personal"] == {"person:guterres": 1}
    assert f["topical"] == {"topic:pk": 1}
    narrowed = archive.search.search(parse("", filters={"body": ["Security Council"],
                                                        "year": ["2021"]}))
    assert [h.asset_id for h in narrowed.hits] == ["A-1002"]


def test_french_cue_found_with_deep_link(archive: Archive) -> None:
    results = archive.search.search(parse('"soldats de la paix" lang:fr'))
    [hit] = results.hits
    [moment] = hit.moments
    assert (moment.asset_id, moment.language, moment.start) == ("A-1001", "fr", 754.2)
    assert moment.speaker == "Stanislav Zas"
    assert moment.link == "/assets/A-1001?t=754&lang=fr"
    assert "<mark>soldats</mark>" in moment.snippet


def test_moments_are_grouped_under_their_asset_in_time_order(archive: Archive) -> None:
    [hit] = archive.search.search(parse("Kazakhstan")).hits
    assert [(m.language, m.start) for m in hit.moments] == [("en", 754.2), ("fr", 754.2)]
    assert "<mark>Kazakhstan</mark>" in hit.snippet


def test_sort_by_date_and_pagination(archive: Archive) -> None:
    first = archive.search.search(parse("", sort="date", per_page=2))
    second = archive.search.search(parse("", sort="date", per_page=2, page=2))
    assert [h.asset_id for h in first.hits] == ["A-1001", "A-1002"]
    assert [h.asset_id for h in second.hits] == ["A-1003"]
    assert first.total == second.total == 3
    assert first.took_ms >= 0


def test_outbox_keeps_index_in_step(archive: Archive) -> None:
    catalog = archive.catalog
    catalog.save(meeting_asset(asset_id="A-1004", title="Renamed briefing on fisheries",
                               description="Fisheries", subjects={}, speakers=[]))
    drain(catalog, archive.search)
    assert ids(archive, "fisheries") == {"A-1004"}
    catalog.save(meeting_asset(asset_id="A-1004", title="Briefing on forests",
                               description="Forests", subjects={}, speakers=[]))
    drain(catalog, archive.search)
    assert ids(archive, "fisheries") == set()
    assert ids(archive, "forests") == {"A-1004"}
    catalog.delete("A-1004")
    drain(catalog, archive.search)
    assert ids(archive, "forests") == set()
    assert catalog.outbox_pending(10) == []


def test_cached_answers_follow_changes_made_elsewhere(archive: Archive) -> None:
    """Answers are cached per process; a change indexed by another engine (another web
    process, the worker) must still reach this one's next search, totals and facets too."""
    query = parse("fisheries")
    assert archive.search.search(query).total == 0
    assert archive.search.search(query).total == 0  # now answered from the cache
    elsewhere = open_archive()
    try:
        elsewhere.catalog.save(meeting_asset(asset_id="A-1004", title="Briefing on fisheries",
                                             description="Fisheries", subjects={},
                                             speakers=[]))
        drain(elsewhere.catalog, elsewhere.search)
    finally:
        elsewhere.close()
    results = archive.search.search(query)
    assert [h.asset_id for h in results.hits] == ["A-1004"] and results.total == 1
    assert dict(results.facets["body"]) == {"Security Council": 1}
    assert archive.search.search(parse("", per_page=1)).total == 4


def test_a_second_page_reuses_the_counts_and_shows_other_hits(archive: Archive) -> None:
    first = archive.search.search(parse("", per_page=2))
    second = archive.search.search(parse("", per_page=2, page=2))
    again = archive.search.search(parse("", per_page=2))
    assert second.total == first.total == 3 and second.facets == first.facets
    assert {h.asset_id for h in first.hits}.isdisjoint(h.asset_id for h in second.hits)
    assert [h.asset_id for h in again.hits] == [h.asset_id for h in first.hits]


def test_one_drain_at_a_time_across_processes(archive: Archive) -> None:
    """A drain waits while another holds the archive's drain lock (a file lock beside the
    SQLite catalogue, an advisory lock on PostgreSQL), then applies what is pending."""
    catalog = archive.catalog
    catalog.save(meeting_asset(asset_id="A-1004", title="Briefing on fisheries",
                               description="Fisheries", subjects={}, speakers=[]))
    done = threading.Event()

    def drain_now() -> None:
        drain(catalog, archive.search)
        done.set()

    with one_drain_at_a_time(catalog):  # what another process's drain holds
        waiting = threading.Thread(target=drain_now)
        waiting.start()
        assert not done.wait(0.5), "a second drain ran while the lock was held"
    assert done.wait(30)
    waiting.join()
    assert ids(archive, "fisheries") == {"A-1004"}
    assert catalog.outbox_pending(10) == []
