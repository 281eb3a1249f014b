"""The catalogue's OAI items, kept by the repository in the same transaction as each write
(SQLite and PostgreSQL): live, deleted for good, never public; datestamps and sets; a
rolled-back write changes nothing; migration 0007 fills the items of an older archive and
leaves `alembic check` with nothing to propose."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic import command

from hexaglot.catalog import Catalog, create_engine
from hexaglot.catalog.harvest_log import HarvestLog
from hexaglot.catalog.migrate import alembic_config, upgrade
from hexaglot.domain import Asset, Meeting
from tests.catalog_helpers import assert_models_match_migrations


@pytest.fixture
def catalog(database_url: str) -> Catalog:
    engine = create_engine(database_url)
    upgrade(engine)
    return Catalog(engine)


def meeting(asset_id: str = "1000001", body: str = "Security Council", access: str = "public",
            parent: str | None = None) -> Asset:
    return Asset(asset_id=asset_id, title=f"Meeting {asset_id}", parent_id=parent, access=access,
                 recorded_on=date(2022, 2, 16), meeting=Meeting(body=body))


def test_live_deleted_back_again(catalog: Catalog) -> None:
    log = HarvestLog(catalog)
    catalog.save(meeting())
    first = log.item("1000001")
    assert first is not None and not first.deleted and first.record is not None
    assert first.sets == ("body:security-council", "year:2022")
    time.sleep(0.01)
    catalog.save(meeting(access="staff"))
    hidden = log.item("1000001")
    assert hidden is not None and hidden.deleted and hidden.record is None
    assert hidden.datestamp > first.datestamp
    catalog.save(meeting(access="staff", body="General Assembly"))  # edited while hidden
    still = log.item("1000001")
    assert still == hidden  # the deletion's time and last sets are kept
    catalog.save(meeting(body="General Assembly"))
    back = log.item("1000001")
    assert back is not None and not back.deleted and back.datestamp > hidden.datestamp
    assert back.sets == ("body:general-assembly", "year:2022")


def test_never_public_deleted_and_clips(catalog: Catalog) -> None:
    log = HarvestLog(catalog)
    catalog.save(meeting("1000002", access="registered"))
    assert log.item("1000002") is None
    catalog.save(meeting("1000003"))
    catalog.save(meeting("1000004", parent="1000003"))
    assert catalog.delete("1000003")
    gone = log.item("1000003")
    assert gone is not None and gone.deleted
    clip = log.item("1000004")  # its parent went: the clip stands on its own, public
    assert clip is not None and not clip.deleted
    catalog.save(meeting("1000005"))
    catalog.save(meeting("1000006", parent="1000005"))
    catalog.save(meeting("1000005", access="staff"))
    hidden_clip = log.item("1000006")
    assert hidden_clip is not None and hidden_clip.deleted  # never more visible than its meeting
    page = log.page(None, None, "body", None, 10)
    assert sorted(i.asset_id for i in page) == ["1000003", "1000004", "1000005", "1000006"]
    keys = [(i.datestamp, i.asset_id) for i in page]
    assert keys == sorted(keys)
    rest = log.page(None, None, None, keys[1], 10)  # strictly after the second
    assert [(i.datestamp, i.asset_id) for i in rest] == keys[2:]


def test_a_rolled_back_write_leaves_the_items_as_they_were(catalog: Catalog) -> None:
    catalog.save(meeting())
    before = HarvestLog(catalog).item("1000001")
    with pytest.raises(RuntimeError), catalog.transaction() as tx:
        tx.save(meeting(access="staff"))
        raise RuntimeError("the use case failed after the save")
    assert HarvestLog(catalog).item("1000001") == before


def test_migration_fills_items_and_alembic_check_is_clean(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0005")
        now = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
        for asset_id, audience in (("2000001", 0), ("2000002", 2)):
            conn.execute(sa.text(
                "INSERT INTO assets (asset_id, kind, title, available_languages, access, status, "
                "audience, translations, created, updated, meeting_body, recorded_on) VALUES "
                "(:i, 'video', 'Old', '[]', 'public', 'published', :a, '{}', :t, :t, "
                "'Security Council', :d)"), {"i": asset_id, "a": audience, "t": now,
                                             "d": date(2021, 3, 4)})
    upgrade(engine)
    log = HarvestLog(Catalog(engine))
    old = log.item("2000001")
    assert old is not None and old.datestamp == datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    assert old.sets == ("body:security-council", "year:2021")
    assert log.item("2000002") is None
    with engine.begin() as conn:
        assert_models_match_migrations(conn)
        conn.execute(sa.text("INSERT INTO preservation_events (asset_id, event_type, date, "
                             "agent, outcome, detail) VALUES ('2000001', 'export', :t, "
                             "'test', 'success', '')"), {"t": now})
    for change in ("DELETE FROM preservation_events", "UPDATE preservation_events SET detail = 'x'"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(sa.text(change))


def test_the_fixity_state_and_the_log_on_both_databases(catalog: Catalog) -> None:
    from hexaglot.catalog.fixity import DAMAGED, INTACT, Finding, FixityStore
    from hexaglot.catalog.preservation import PreservationLog
    from hexaglot.domain import Format, Master, RenditionFile
    from hexaglot.domain.events import PreservationEvent

    a, b, c = ("a" * 64, "b" * 64, "c" * 64)
    catalog.save(meeting())
    catalog.save(meeting("1000002", parent="1000001"))
    with catalog.transaction() as tx:
        for asset_id in ("1000001", "1000002"):
            tx.save_master(Master(asset_id=asset_id, sha256=a, tracks={"original": 1},
                                  height=360, duration=10.0))
        tx.replace_formats("1000001", {"master", "mp4"}, [
            Format(rendition="master", media_type="video/mp4", size=1000, sha256=a),
            Format(rendition="mp4", media_type="video/mp4", size=10, sha256=b)], [
            RenditionFile(rendition="mp4", path="j/proxy.mp4", media_type="video/mp4",
                          sha256=b, size=10),
            RenditionFile(rendition="transcript", language="fr", path="transcripts/fr.vtt",
                          media_type="text/vtt", sha256=c, size=5)])
    store = FixityStore(catalog.engine)
    now = datetime.now(UTC)
    blobs = {x.sha256: x for x in store.blobs(now)}
    assert {k: (v.size, v.master) for k, v in blobs.items()} == \
        {a: (1000, True), b: (10, False), c: (5, False)}
    uses = store.uses([a, c])
    assert sorted(u.asset_id for u in uses[a]) == ["1000001", "1000002"]
    assert [u.label for u in uses[c]] == ["transcript fr transcripts/fr.vtt"]
    run = store.start_run("all", now)
    event = PreservationEvent(asset_id="1000001", event_type="fixity check", date=now,
                              agent="test", outcome="failure", sha256=a)
    store.record(run.id, [Finding(a, DAMAGED, 1000, "d" * 64, now),
                          Finding(b, INTACT, 10, None, now)], 1010, [event])
    assert store.failing() == [a] and store.run(run.id).bytes == 1010  # type: ignore[union-attr]
    assert store.unfinished("all") == store.run(run.id)
    assert PreservationLog(catalog.engine).events("1000001") == [event]
    assert store.schedule("due", "due:2030-01-01", now, lambda s, i: f"job{i}") is not None
    assert store.schedule("due", "due:2030-01-01", now, lambda s, i: f"job{i}") is None
