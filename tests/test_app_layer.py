"""The application layer: one id per concept, every surface bringing the index in step,
every facet link of a real result page answering with hits, one error shape, exit codes,
all tables under one metadata (autogenerate proposes nothing), jobs failing or retrying by
the kind of their error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
import sqlalchemy as sa

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.importing import import_pages
from hexaglot.catalog import create_engine, upgrade
from hexaglot.enrich import extract_text
from hexaglot.errors import BadInput
from hexaglot.jobs import runner
from hexaglot.web.app import create_app

from .catalog_helpers import assert_models_match_migrations
from .conftest import SHARED
from .live_server import serving

PAGES = Path(__file__).parent / "fixtures" / "pages"
HEXAGLOT = [sys.executable, "-m", "hexaglot"]
KAZ_PAGE = """Shared Rivers of the Aral Basin - Security Council, 9901st Meeting

Preview Language:   English
03-Apr-2025 01:10:05
Delegates discuss shared rivers and a drying inland sea.

Available Languages: Original, English
Other Formats
Council Hears Briefing on Shared Rivers

The Security Council today heard a briefing on shared rivers.

For further details please see SOURCE below.
Geographic Subjects
Kazakhstan; Atlantis Shoals
Personal Subjects
Parent ID
Asset ID
"""


def hx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*HEXAGLOT, *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


def test_a_page_heading_gets_the_id_extraction_gives(home: Path, tmp_path: Path) -> None:
    seed = SHARED / "seed" / "catalogue-page-sc8967.txt"
    if not seed.exists():
        pytest.skip(f"seed page {seed} is absent")
    kaz = next(s for s in extract_text(seed.read_text(encoding="utf-8")).subjects["geographic"]
               if s["label"] == "Kazakhstan")
    page = tmp_path / "kz.txt"
    page.write_text(KAZ_PAGE, encoding="utf-8")
    with open_archive() as archive:
        [asset] = import_pages(archive, [page])
        stored = [s for s in asset.subjects.geographic if s.label == "Kazakhstan"]
        assert [s.id for s in stored] == [kaz["id"]] == ["KAZ"]
        assert stored[0].labels["ru"] == "Казахстан" and len(stored[0].labels) == 6
        [local] = [s for s in asset.subjects.geographic if s.local]
        assert (local.id, local.label) == ("local:atlantis-shoals", "Atlantis Shoals")
        with serving(create_app(archive)) as base:
            found = httpx.get(f"{base}/api/search", params={"q": "Казахстан"}).json()
            assert asset.asset_id in [h["asset_id"] for h in found["hits"]]
    edited = hx("edit", asset.asset_id, "--subject", "geographic:Atlantis   Shoals")
    assert edited.returncode == 0, edited.stderr
    with open_archive() as archive:
        ids = [s.id for s in archive.catalog.get(asset.asset_id).subjects.geographic]
        assert ids.count("local:atlantis-shoals") == 1 and "KAZ" in ids


def test_migration_rewrites_the_ids_already_stored(database_url: str) -> None:
    """An archive of revision 0004 stored page headings as `geographic:kazakhstan` with an
    English label only; upgrading gives them the vocabulary's id and six labels."""
    engine = create_engine(database_url)
    upgrade(engine, "0004")
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO assets (asset_id, kind, title, available_languages, access, "
            "translations, created, updated) VALUES ('OLD', 'video', 'old', '[]', "
            "'restricted', '{}', '2024-01-01 00:00:00', '2024-01-01 00:00:00')"))
        for i, (sid, label) in enumerate([("geographic:kazakhstan", "Kazakhstan"),
                                          ("place:atlantis", "Atlantis")]):
            conn.execute(sa.text(
                "INSERT INTO subjects (asset_id, kind, position, subject_id, label, labels, "
                "status) VALUES ('OLD', 'geographic', :p, :s, :l, :ls, 'confirmed')"),
                {"p": i, "s": sid, "l": label, "ls": json.dumps({"en": label})})
    upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT subject_id, labels, local FROM subjects "
                                    "ORDER BY position")).all()
        access, audience = conn.execute(sa.text(
            "SELECT access, audience FROM assets WHERE asset_id = 'OLD'")).one()
    engine.dispose()
    assert [r[0] for r in rows] == ["KAZ", "local:atlantis"]
    labels = rows[0][1] if isinstance(rows[0][1], dict) else json.loads(rows[0][1])
    assert labels["zh"] == "哈萨克斯坦" and len(labels) == 6
    assert [bool(r[2]) for r in rows] == [False, True]
    assert (access, audience) == ("staff", 2)


def test_autogenerate_proposes_nothing_on_a_fresh_archive(database_url: str) -> None:
    engine = create_engine(database_url)
    upgrade(engine)
    with engine.begin() as conn:
        assert_models_match_migrations(conn)
    engine.dispose()


@pytest.fixture
def demo_site(home: Path) -> Iterator[tuple[Archive, str]]:
    with resources.as_file(resources.files("hexaglot.demo")) as folder:
        paths = sorted(folder.glob("*.txt"))
        with open_archive() as archive:
            import_pages(archive, paths)
            with serving(create_app(archive)) as base:
                yield archive, base


def test_every_facet_link_of_a_result_page_answers_with_hits(
        demo_site: tuple[Archive, str]) -> None:
    _archive, base = demo_site
    page = httpx.get(f"{base}/search", params={"q": "council"})
    assert page.status_code == 200
    facet_links = [h for h in dict.fromkeys(links(page.text))
                   if urlsplit(h).path == "/search" and any(
                       k not in ("q", "hl", "sort", "page") for k, _ in
                       parse_qsl(urlsplit(h).query))]
    assert len(facet_links) >= 10, facet_links
    for href in facet_links:
        answer = httpx.get(base + href)
        hits = [h for h in links(answer.text) if h.startswith("/assets/")]
        assert answer.status_code == 200 and hits, href
        api = httpx.get(f"{base}/api/search?{urlsplit(href).query}")
        assert api.status_code == 200 and api.json()["total"] >= 1, (href, api.text[:200])


def test_a_speaker_changed_over_http_is_found_at_once(home: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEXAGLOT_EDITOR_TOKEN", "s3cret")
    with open_archive() as archive:
        [asset] = import_pages(archive, [PAGES / "sc-meeting.txt"])
        with serving(create_app(archive)) as base:
            auth = {"Authorization": "Bearer s3cret"}
            httpx.get(f"{base}/api/search", params={"q": "council"})  # warm the caches
            r = httpx.patch(f"{base}/api/assets/{asset.asset_id}", headers=auth, json={
                "speakers": [{"number": 1, "name": "Xylander Quimby",
                              "affiliation": "Казахстан"}]})
            assert r.status_code == 200, r.text
            assert r.json()["speakers"][0]["affiliation_id"] == "KAZ"
            for q in ("speaker:Quimby", "Xylander"):
                found = httpx.get(f"{base}/api/search", params={"q": q}).json()
                assert [h["asset_id"] for h in found["hits"]] == [asset.asset_id], q


def test_one_error_shape_on_every_json_route(demo_site: tuple[Archive, str]) -> None:
    _archive, base = demo_site
    for path, status in (("/api/assets/999999", 404), ("/api/assets?limit=0", 422),
                         ("/api/search?q=council&page=x", 400), ("/api/assets/%2e%2e", 404),
                         ("/media/..%2fmasters/x", 404)):
        r = httpx.get(base + path)
        body = r.json()
        assert r.status_code == status, (path, r.text)
        assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, path
        assert body["error"]["code"] and body["error"]["message"], path


def test_unknown_ids_exit_2_on_every_command(home: Path) -> None:
    for args in (["show", "999999"], ["show", "999999", "--json"],
                 ["edit", "999999", "--title", "x"], ["clip", "999999", "--start", "1",
                                                      "--end", "2"]):
        done = hx(*args)
        assert done.returncode == 2 and done.stderr.startswith("error:"), (args, done.stderr)


def test_jobs_fail_at_once_on_bad_input_and_retry_on_faults(
        sqlite_home: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The runner reads the kind of an error: bad input fails the job (its message kept),
    a fault is queued again while retries remain and its traceback is logged."""
    calls: list[str] = []

    def bad(context: object, job: object, progress: object) -> None:
        calls.append("bad")
        raise BadInput("this master cannot be read")

    def fault(context: object, job: object, progress: object) -> None:
        calls.append("fault")
        raise RuntimeError("database went away")

    handlers: runner.Handlers = {"bad": bad, "fault": fault}
    with open_archive() as archive:
        store = archive.jobs
        first, second = store.create("bad", None, {}), store.create("fault", None, {})
        runner.run_job(store, handlers, archive, first, retries_left=3)
        assert (store.get(first).status, store.get(first).error) == (
            "failed", "this master cannot be read")
        with pytest.raises(RuntimeError):
            runner.run_job(store, handlers, archive, second, retries_left=3)
        assert store.get(second).status == "queued"
        assert "RuntimeError: database went away" in store.get(second).error
        assert any(r.exc_info for r in caplog.records if "will retry" in r.getMessage())
        runner.run_job(store, handlers, archive, second, retries_left=0)
        assert store.get(second).status == "failed"
    assert calls == ["bad", "fault", "fault"]
