"""The PostgreSQL engine at scale: facet counts exact up to a threshold of matches,
estimated from sampling buckets beyond it (flagged, bounded, never counting what the
viewer may not see), and the migration that adds the buckets to an index already full."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from hexaglot.catalog import create_engine, upgrade
from hexaglot.domain import Audience, Meeting
from hexaglot.search import parse
from hexaglot.search.postgres_engine import PostgresEngine
from tests.conftest import postgres_schema
from tests.search_data import meeting_asset

#: Visible assets per body (one body each), and the hidden ones.
BODIES = {"Security Council": 200, "General Assembly": 120, "Economic and Social Council": 40,
          "Trusteeship Council": 40}
VISIBLE = sum(BODIES.values())


@pytest.fixture
def bare_pg_url() -> Iterator[str]:
    """An empty PostgreSQL schema (no tables)."""
    with postgres_schema() as url:
        yield url


@pytest.fixture
def pg_url(bare_pg_url: str) -> str:
    """A PostgreSQL catalogue at the newest revision."""
    catalogue = create_engine(bare_pg_url)
    upgrade(catalogue)
    catalogue.dispose()
    return bare_pg_url


@pytest.fixture(scope="module")
def indexed() -> Iterator[str]:
    """400 visible assets over four bodies and 30 hidden ones (restricted or embargoed),
    every one of them matching "kazakhstan" (made once for the tests that only read)."""
    with postgres_schema() as pg_url:
        catalogue = create_engine(pg_url)
        upgrade(catalogue)
        catalogue.dispose()
        yield _index_bodies(pg_url)


def _index_bodies(pg_url: str) -> str:
    engine = PostgresEngine(pg_url)
    n = 0
    for body, count in BODIES.items():
        for _ in range(count):
            engine.index(meeting_asset(asset_id=f"V-{n:04d}", meeting=Meeting(body=body)))
            n += 1
    for i in range(30):
        access = "restricted" if i % 2 else "embargoed until 2999-01-01"
        engine.index(meeting_asset(asset_id=f"H-{i:04d}", access=access,
                                   meeting=Meeting(body="Hidden Board")))
    engine.commit()
    engine.close()
    return pg_url


def _bodies(engine: PostgresEngine, audience: Audience = Audience.PUBLIC):
    results = engine.search(parse("kazakhstan"), audience=audience)
    return results, dict(results.facets["body"])


def test_facets_are_exact_up_to_the_threshold(indexed: str) -> None:
    for threshold in (VISIBLE, 10_000):  # at the threshold itself: still exact
        engine = PostgresEngine(indexed, exact_facets=threshold)
        results, bodies = _bodies(engine)
        engine.close()
        assert results.total == VISIBLE
        assert bodies == BODIES
        assert results.facets_approximate is False
        assert results.to_dict()["facets_approximate"] is False


def test_facets_beyond_the_threshold_are_sampled_flagged_and_bounded(indexed: str) -> None:
    engine = PostgresEngine(indexed, exact_facets=60)
    results, bodies = _bodies(engine)
    staff, staff_bodies = _bodies(engine, Audience.STAFF)
    engine.close()
    assert results.facets_approximate is True
    assert results.to_dict()["facets_approximate"] is True
    assert results.total == VISIBLE  # the total stays exact
    assert "Hidden Board" not in bodies  # what the viewer may not see is not counted
    assert set(bodies) <= set(BODIES)
    # one body per asset: the estimates add up to the exact total (up to rounding)
    assert abs(sum(bodies.values()) - VISIBLE) <= len(bodies)
    assert all(0 < c <= VISIBLE for c in bodies.values())
    for body in ("Security Council", "General Assembly"):  # the large values, within 50 %
        assert abs(bodies[body] - BODIES[body]) <= BODIES[body] / 2, bodies
    assert staff.total == VISIBLE + 30 and staff.facets_approximate is True
    years = dict(staff.facets["year"])
    assert abs(sum(years.values()) - staff.total) <= len(years)


def test_migration_adds_buckets_to_a_full_index(bare_pg_url: str) -> None:
    """An index written at revision 0010 keeps serving after the upgrade, every row with
    its bucket, the text index without a pending list."""
    catalogue = create_engine(bare_pg_url)
    upgrade(catalogue, "0010")
    engine = PostgresEngine(bare_pg_url)
    for i in range(3):
        engine.index(meeting_asset(asset_id=f"OLD-{i}"))
    engine.commit()
    upgrade(catalogue)
    with catalogue.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT bucket, hashtext(asset_id) & 63 FROM search_assets")).all()
        options = conn.execute(sa.text(
            "SELECT reloptions FROM pg_class WHERE oid = to_regclass('search_assets_text_gin')")).scalar()
    catalogue.dispose()
    assert len(rows) == 3 and all(b == h and 0 <= b < 64 for b, h in rows)
    assert options == ["fastupdate=off"]
    results = engine.search(parse("kazakhstan"))
    engine.close()
    assert {h.asset_id for h in results.hits} == {"OLD-0", "OLD-1", "OLD-2"}
    assert results.total == 3 and dict(results.facets["body"]) == {"Security Council": 3}


def test_ranking_is_the_same_with_and_without_the_rum_index(pg_url: str) -> None:
    """Where the migrations made the RUM index the hits come from it, in the order ts_rank
    gives without it (ties by date, then id); without the index the engine still works."""
    engine = PostgresEngine(pg_url)
    for i in range(12):
        words = " ".join(["Kazakhstan"] * (1 + i % 4))
        engine.index(meeting_asset(asset_id=f"R-{i:02d}", description=f"{words} peace.",
                                   recorded_on=date(2020, 1, 1 + i)))
    engine.commit()
    pages = [parse("kazakhstan peace", per_page=5, page=p) for p in (1, 2)]
    ranked = [[h.asset_id for h in engine.search(q).hits] for q in pages]
    with_rum = engine._distance  # noqa: SLF001 - which path ran
    engine.close()
    catalogue = create_engine(pg_url)
    with catalogue.begin() as conn:
        has_extension = conn.execute(sa.text(
            "SELECT 1 FROM pg_extension WHERE extname = 'rum'")).first() is not None
        conn.execute(sa.text("DROP INDEX IF EXISTS search_assets_text_rum"))
    catalogue.dispose()
    assert bool(with_rum) == has_extension
    plain = PostgresEngine(pg_url)
    assert [[h.asset_id for h in plain.search(q).hits] for q in pages] == ranked
    assert plain._distance == ""  # noqa: SLF001
    plain.close()
    assert [len(p) for p in ranked] == [5, 5] and not set(ranked[0]) & set(ranked[1])
    assert ranked[0][0] in {"R-11", "R-07", "R-03"}  # the most mentions of the word
