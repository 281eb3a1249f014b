"""The catalogue repository on SQLite and PostgreSQL: records round-trip whole."""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from hexaglot.catalog import ParentCycle, UnknownParent, accounts, create_engine, open_catalog
from hexaglot.catalog.migrate import current_revision, head_revision, upgrade
from hexaglot.domain import Asset, Audience, Format, Meeting, Segment, Speaker, Subject, Subjects


def full_asset(asset_id: str) -> Asset:
    return Asset(
        asset_id=asset_id,
        title="Test meeting - Security Council, 9000th Meeting",
        summary="One sentence.",
        description="Headline\n\nBody.",
        recorded_on=date(2024, 1, 2),
        duration_seconds=3723,
        preview_language="Six Official",
        available_languages=["original", "en", "fr"],
        meeting=Meeting(body="Security Council", number=9000, record_symbol="S/PV.9000",
                        began="10:00", ended="11:02"),
        speakers=[
            Speaker(name="Ana Pérez", role="Minister for Foreign Affairs", affiliation="Chile",
                    affiliation_id="CHL", language="es", start=12.5, end=300.0, status="confirmed"),
            Speaker(affiliation="Japan", affiliation_id="JPN", role="representative"),
        ],
        subjects=Subjects(
            geographic=[Subject(id="KAZ", label="Kazakhstan", labels={"ru": "Казахстан"})],
            topical=[Subject(id="topic:terrorism", label="terrorism")],
        ),
        formats=[Format(rendition="mp4", language="en", media_type="video/mp4", size=10,
                        sha256="a" * 64, url="/media/x.mp4")],
        source="SC/99999",
        access="public",
    )


def test_save_and_get_round_trip(home: Path) -> None:
    catalog = open_catalog()
    asset_id = catalog.new_asset_id()
    stored = catalog.save(full_asset(asset_id))
    again = catalog.get(asset_id)
    assert again == stored
    expected = full_asset(asset_id).model_dump(exclude={"created", "updated"})
    assert again.model_dump(exclude={"created", "updated"}) == expected
    assert again.duration == "01:02:03"
    assert again.created is not None and again.updated >= again.created


def test_save_updates_in_place_and_keeps_created(home: Path) -> None:
    catalog = open_catalog()
    first = catalog.save(full_asset("A1"))
    changed = first.model_copy(update={"title": "Renamed", "speakers": []})
    second = catalog.save(changed)
    assert catalog.count() == 1
    assert second.title == "Renamed" and second.speakers == []
    assert second.created == first.created and second.updated >= first.updated


def test_new_ids_are_unique_and_unknown_ids_are_none(home: Path) -> None:
    catalog = open_catalog()
    ids = {catalog.new_asset_id() for _ in range(5)}
    assert len(ids) == 5
    assert catalog.get("999999") is None


def test_children_and_parent(home: Path) -> None:
    catalog = open_catalog()
    catalog.save(full_asset("P1"))
    catalog.save(Asset(asset_id="C2", parent_id="P1", title="clip 2"))
    catalog.save(Asset(asset_id="C1", parent_id="P1", title="clip 1"))
    assert catalog.get("P1").children == ["C1", "C2"]
    assert [c.title for c in catalog.children("P1")] == ["clip 1", "clip 2"]
    with pytest.raises(UnknownParent, match="parent asset NOPE is not in the catalogue"):
        catalog.save(Asset(asset_id="C3", parent_id="NOPE", title="orphan"))
    assert catalog.get("C3") is None


def test_find_meeting_ignores_clips(home: Path) -> None:
    catalog = open_catalog()
    catalog.save(full_asset("P1"))
    catalog.save(full_asset("C1").model_copy(update={"parent_id": "P1"}))
    assert catalog.find_meeting("security council", 9000).asset_id == "P1"
    assert catalog.find_meeting("Security Council", 9001) is None


def test_replace_formats_is_per_rendition(home: Path) -> None:
    catalog = open_catalog()
    catalog.save(full_asset("A1"))
    hls = Format(rendition="hls", media_type="application/vnd.apple.mpegurl", url="/m/x.m3u8")
    catalog.replace_formats("A1", {"hls"}, [hls])
    catalog.replace_formats("A1", {"hls"}, [hls])
    assert [f.rendition for f in catalog.get("A1").formats] == ["mp4", "hls"]
    catalog.replace_formats("A1", {"mp4", "hls"}, [])
    assert catalog.get("A1").formats == []


def test_every_change_writes_the_outbox(home: Path) -> None:
    catalog = open_catalog()
    catalog.save(full_asset("A1"))
    catalog.save(Asset(asset_id="C1", parent_id="A1", title="clip"))
    catalog.replace_formats("A1", {"mp4"}, [])
    catalog.add_segments("A1", [Segment(asset_id="A1", language="fr", start=1, end=2, text="Bonjour")])
    catalog.delete("C1")
    pending = catalog.outbox_pending()
    assert [e.asset_id for e in pending] == ["A1", "C1", "A1", "A1", "A1", "C1"]
    catalog.outbox_ack([e.id for e in pending[:3]])
    assert [e.asset_id for e in catalog.outbox_pending()] == ["A1", "A1", "C1"]


def test_segments_replace_per_language(home: Path) -> None:
    catalog = open_catalog()
    catalog.save(full_asset("A1"))
    seg = lambda lang, start, text: Segment(asset_id="A1", language=lang, start=start,  # noqa: E731
                                            end=start + 1, text=text)
    catalog.add_segments("A1", [seg("fr", 5, "deux"), seg("fr", 1, "un"), seg("en", 1, "one")])
    catalog.add_segments("A1", [seg("fr", 3, "trois")])
    assert [s.text for s in catalog.segments("A1")] == ["one", "trois"]
    assert [s.text for s in catalog.segments("A1", "en")] == ["one"]


def test_iter_assets_reads_everything_in_batches(home: Path) -> None:
    catalog = open_catalog()
    for i in range(7):
        catalog.save(Asset(asset_id=f"X{i}", title=f"t{i}"))
    assert [a.asset_id for a in catalog.iter_assets(batch=3)] == [f"X{i}" for i in range(7)]
    assert [a.asset_id for a in catalog.list(limit=2, offset=0)] == ["X6", "X5"]


def test_restricted_assets_are_not_listed_publicly(home: Path) -> None:
    catalog = open_catalog()
    with catalog.transaction() as tx:  # an archive with an account: drafts are staff only
        accounts.add_user(tx, "cat@example.org", "$argon2id$not-a-real-hash", "cataloguer")
    catalog.save(Asset(asset_id="A", title="open"))
    catalog.save(Asset(asset_id="B", title="closed", access="restricted"))
    catalog.save(Asset(asset_id="C", title="embargo lifted", access="embargoed until 2001-01-01"))
    catalog.save(Asset(asset_id="D", title="embargoed", access="embargoed until 2999-01-01"))
    catalog.save(Asset(asset_id="E", title="readers", access="registered"))
    catalog.save(Asset(asset_id="F", title="a draft", status="draft"))
    anyone, readers = Audience.PUBLIC, Audience.REGISTERED
    assert sorted(a.asset_id for a in catalog.list(viewer=anyone)) == ["A", "C"]
    assert sorted(a.asset_id for a in catalog.list(viewer=readers)) == ["A", "C", "E"]
    assert catalog.count(anyone) == 2 and catalog.count() == 6
    assert catalog.get("B").access == "staff"  # the former name of the level
    assert catalog.get("B", anyone) is None and catalog.get("F", readers) is None
    assert [a.visibility.allows(anyone) for a in catalog.iter_assets()] == \
        [True, False, True, False, False, False]


def test_access_values_are_checked() -> None:
    with pytest.raises(ValueError, match="access must be public, registered, staff or"):
        Asset(asset_id="X", title="t", access="secret")
    with pytest.raises(ValueError, match="embargo date '2099-13-45' is not a calendar day"):
        Asset(asset_id="X", title="t", access="embargoed until 2099-13-45")


def test_asset_ids_have_one_form() -> None:
    for bad in ("..", "a/b", "", "x" * 65, "-x", "a b", "%2e"):
        with pytest.raises(ValueError, match="not an asset id"):
            Asset(asset_id=bad, title="t")
    with pytest.raises(ValueError, match="not an asset id"):
        Asset(asset_id="ok", parent_id="../x", title="t")
    assert Asset(asset_id="S-PV_8967", title="t").asset_id == "S-PV_8967"


def test_a_clip_is_never_more_visible_than_its_parent(home: Path) -> None:
    """Visibility follows the parent chain, both ways: a clip made while its meeting was
    public hides when the meeting is restricted, and shows again when it is public."""
    catalog = open_catalog()
    catalog.save(Asset(asset_id="P", title="meeting"))
    catalog.save(Asset(asset_id="K", parent_id="P", title="clip"))
    catalog.save(Asset(asset_id="G", parent_id="K", title="clip of a clip"))
    assert catalog.get("K", Audience.PUBLIC) is not None
    meeting = catalog.get("P")
    catalog.save(meeting.model_copy(update={"access": "staff"}))
    for asset_id in ("P", "K", "G"):
        assert catalog.get(asset_id, Audience.PUBLIC) is None, asset_id
    assert catalog.count(Audience.PUBLIC) == 0 and catalog.get("P").children == ["K"]
    assert catalog.get("P", Audience.STAFF).children == ["K"]
    catalog.save(catalog.get("P").model_copy(update={"access": "embargoed until 2999-01-01"}))
    assert catalog.get("G").visibility.visible_from.year == 2999
    catalog.save(catalog.get("P").model_copy(update={"access": "public"}))
    assert catalog.count(Audience.PUBLIC) == 3
    with pytest.raises(ParentCycle):
        catalog.save(catalog.get("P").model_copy(update={"parent_id": "G"}))


def test_migration_upgrades_an_older_archive_in_place(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO assets (asset_id, kind, title, available_languages, access, translations,"
            " created, updated) VALUES ('OLD1', 'video', 'made by 0001', '[]', 'public', '{}',"
            " '2024-01-01 00:00:00', '2024-01-01 00:00:00')"))
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    engine.dispose()
    catalog = open_catalog_at(database_url)
    assert catalog.get("OLD1").title == "made by 0001"


def open_catalog_at(url: str):
    from hexaglot.config import Settings

    return open_catalog(Settings(database_url=url))


def test_new_ids_skip_ids_a_page_brought(home: Path) -> None:
    catalog = open_catalog()
    catalog.save(Asset(asset_id="1000001", title="an id of its own"))
    catalog.save(Asset(asset_id="1000002", title="another"))
    assert catalog.new_asset_id() == "1000003"


def _migrate_in_child(url: str, start: object) -> None:
    start.wait()  # type: ignore[attr-defined]
    engine = create_engine(url)
    upgrade(engine)
    engine.dispose()


def test_processes_starting_at_once_on_a_new_catalogue_migrate_it_once(
        database_url: str) -> None:
    """Two workers and a web process started together on a new archive: none crashes on
    tables another is creating, and the catalogue ends at the newest revision."""
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(3)
    children = [ctx.Process(target=_migrate_in_child, args=(database_url, start))
                for _ in range(3)]
    for child in children:
        child.start()
    for child in children:
        child.join(120)
    assert [c.exitcode for c in children] == [0, 0, 0]
    engine = create_engine(database_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()
