"""The PostgreSQL engine's bulk rebuild: shadow tables loaded without indexes, indexed,
vacuumed, then swapped in with one short transaction. Readers get the old answers until
the swap, a failure leaves the old index serving with no shadow table behind, and the
schema afterwards is the migrated one (autogenerate still proposes nothing)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from hexaglot.catalog import create_engine, upgrade
from hexaglot.catalog.search_shadow import SUFFIX
from hexaglot.search import parse
from hexaglot.search.postgres_engine import PostgresEngine
from tests.catalog_helpers import assert_models_match_migrations
from tests.conftest import postgres_schema
from tests.search_data import meeting_asset

TABLES = ("search_assets", "search_segments")


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL catalogue at the newest revision."""
    with postgres_schema() as url:
        catalogue = create_engine(url)
        upgrade(catalogue)
        catalogue.dispose()
        yield url


def _items(word: str, n: int, fail_at: int | None = None):
    for i in range(n):
        if i == fail_at:
            raise RuntimeError("the catalogue went away")
        yield meeting_asset(asset_id=f"{word.upper()}-{i}",
                            description=f"The Council discussed {word}."), []


def _ids(engine: PostgresEngine, word: str) -> set[str]:
    return {h.asset_id for h in engine.search(parse(word, per_page=50)).hits}


def schema_of(conn: sa.Connection) -> dict[str, object]:
    """Everything the migrations define about the search tables, names included."""
    out: dict[str, object] = {}
    for table in TABLES:
        out[table] = {
            "columns": conn.execute(sa.text(
                "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
                "a.attgenerated, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "WHERE a.attrelid = to_regclass(:t) AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY a.attname"), {"t": table}).all(),
            "indexes": conn.execute(sa.text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = "
                "current_schema() AND tablename = :t ORDER BY 1"), {"t": table}).all(),
            "constraints": conn.execute(sa.text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = to_regclass(:t) ORDER BY 1"), {"t": table}).all(),
            "options": conn.execute(sa.text(
                "SELECT reloptions, pg_get_userbyid(relowner), relacl FROM pg_class "
                "WHERE oid = to_regclass(:t)"), {"t": table}).one(),
        }
    out["relations"] = conn.execute(sa.text(
        "SELECT relname, relkind FROM pg_class WHERE relnamespace = "
        "current_schema()::regnamespace AND relkind IN ('r', 'S', 'v', 'm') "
        "ORDER BY 1")).all()
    return out


def test_rebuild_swaps_in_tables_equal_to_the_migrated_ones(pg_url: str) -> None:
    catalogue = create_engine(pg_url)
    with catalogue.connect() as conn:
        before = schema_of(conn)
    engine = PostgresEngine(pg_url)
    assert engine.rebuild(_items("tuvalu", 5), processes=1) == 5
    assert engine.rebuild(_items("nauru", 4), processes=1) == 4  # a rebuild of a rebuild
    assert _ids(engine, "nauru") == {f"NAURU-{i}" for i in range(4)}
    assert _ids(engine, "tuvalu") == set() and engine.count() == 4
    engine.close()
    with catalogue.connect() as conn:
        assert schema_of(conn) == before
        names = {i[0] for i in before["search_assets"]["indexes"]}  # type: ignore[index]
        assert {"search_assets_pkey", "search_assets_text_gin", "search_assets_bucket"} <= names
        if conn.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'rum'")).first():
            assert "search_assets_text_rum" in names  # the optional index is kept too
    with catalogue.begin() as conn:
        assert_models_match_migrations(conn, "after a rebuild")
    catalogue.dispose()


def test_a_failed_or_killed_rebuild_leaves_the_old_index_serving(pg_url: str) -> None:
    engine = PostgresEngine(pg_url)
    engine.rebuild(_items("tuvalu", 5), processes=1)
    with pytest.raises(RuntimeError, match="went away"):
        engine.rebuild(_items("nauru", 500, fail_at=300), processes=1, batch=100)
    assert _ids(engine, "tuvalu") == {f"TUVALU-{i}" for i in range(5)}
    assert _ids(engine, "nauru") == set()
    catalogue = create_engine(pg_url)
    with catalogue.begin() as conn:
        names = conn.execute(sa.text(
            "SELECT relname FROM pg_class WHERE relnamespace = current_schema()::regnamespace "
            "AND relname LIKE :s"), {"s": f"%{SUFFIX}"}).scalars().all()
        assert names == []
        # what a rebuild killed after loading leaves: committed shadow tables
        for t in TABLES:
            conn.execute(sa.text(f"CREATE TABLE {t}{SUFFIX} (LIKE {t} INCLUDING ALL)"))
    catalogue.dispose()
    assert _ids(engine, "tuvalu") == {f"TUVALU-{i}" for i in range(5)}
    engine.rebuild(_items("nauru", 3), processes=1)  # drops them and succeeds
    assert _ids(engine, "nauru") == {f"NAURU-{i}" for i in range(3)}
    engine.index(meeting_asset(asset_id="LATER", description="The Council discussed nauru."))
    engine.commit()  # the writer lock was released
    assert "LATER" in _ids(engine, "nauru")
    engine.close()


def test_readers_get_the_old_answers_until_the_swap(pg_url: str) -> None:
    writer = PostgresEngine(pg_url)
    writer.rebuild(_items("tuvalu", 5), processes=1)
    reader = PostgresEngine(pg_url)
    seen_while_loading: list[set[str]] = []

    def loading():
        for i, item in enumerate(_items("nauru", 6)):
            if i == 3:  # the shadow tables hold rows now: readers must not see them
                seen_while_loading.append(_ids(reader, "tuvalu") | _ids(reader, "nauru"))
            yield item

    # A reader inside one transaction across the swap: the swap waits for it to end, and
    # everything it reads is the old index.
    held = reader.engine.connect()
    held.execute(sa.text("SELECT count(*) FROM search_assets")).scalar_one()
    errors: list[BaseException] = []

    def rebuild() -> None:
        try:
            writer.rebuild(loading(), processes=1)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=rebuild)
    thread.start()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # until the swap waits for the held reader
        with reader.engine.connect() as probe:
            if probe.execute(sa.text(
                    "SELECT 1 FROM pg_locks WHERE NOT granted AND mode = 'AccessExclusiveLock' "
                    "AND relation = to_regclass('search_assets')")).first():
                break
        time.sleep(0.05)
    else:  # pragma: no cover
        pytest.fail("the swap never waited for the reader")
    assert held.execute(sa.text(
        "SELECT count(*) FROM search_segments WHERE asset_id LIKE 'NAURU-%'")).scalar_one() == 0
    assert held.execute(sa.text(
        "SELECT count(*) FROM search_assets WHERE asset_id LIKE 'TUVALU-%'")).scalar_one() == 5
    assert thread.is_alive()  # still waiting: nothing swapped under the reader
    held.close()
    thread.join(20)
    assert not errors and not thread.is_alive()
    assert seen_while_loading == [{f"TUVALU-{i}" for i in range(5)}]
    assert _ids(reader, "nauru") == {f"NAURU-{i}" for i in range(6)}  # after the swap
    assert _ids(reader, "tuvalu") == set()
    reader.close()
    writer.close()
