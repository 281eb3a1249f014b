"""Hostile input and crashes (issue 9): one test per defect found on the archive before it
was hardened, numbered as the issue numbers them. Each failed on that version."""

from __future__ import annotations

import http.client
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import sqlalchemy as sa

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.importing import import_pages
from hexaglot.app.viewing import get_asset
from hexaglot.catalog import UnknownAsset
from hexaglot.domain import Asset, Audience, Meeting
from hexaglot.pages.catalogue_page import read_catalogue_page
from hexaglot.pages.errors import InputError
from hexaglot.pages.press_summary import read_press_summary
from hexaglot.pages.text_file import MAX_TEXT_BYTES, read_text
from hexaglot.search.captions import MAX_CAPTION_BYTES, CaptionError, read_captions
from hexaglot.web.app import create_app

from .live_server import serve_process, serving
from .media_helpers import make_media, register_file, sha256

PAGES = Path(__file__).parent / "fixtures" / "pages"
HEXAGLOT = [sys.executable, "-m", "hexaglot"]
TOKEN = "editor-s3cret"


def hx(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in a child process, as a user runs it."""
    return subprocess.run([*HEXAGLOT, *args], capture_output=True, text=True,
                          env=os.environ.copy(), timeout=120)


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """The command in this process (Typer's runner): the same exit code and stderr as
    `hx`, without a child's start-up."""
    from typer.testing import CliRunner

    from hexaglot.cli import app

    result = CliRunner().invoke(app, list(args))
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def raw_get(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET with the path exactly as written (no client normalises `..` or `%2e`)."""
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=20)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def page_text(asset_id: str = "", parent_id: str = "", number: int = 9001) -> str:
    return (f"A statement - Security Council, {number}th Meeting\n\nPreview Language:   English\n"
            "16-Feb-2022 00:10:00\nA summary.\n\nAvailable Languages: English\nOther Formats\n"
            "A headline\n\nThe representative of Ghana said peace mattered.\n\n"
            "Personal Subjects\n"
            f"Parent ID {parent_id}\nAsset ID {asset_id}\n")


@pytest.fixture
def site(home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Archive, str]]:
    monkeypatch.setenv("HEXAGLOT_EDITOR_TOKEN", TOKEN)
    with open_archive() as archive, serving(create_app(archive)) as base:
        yield archive, base


# 1. One anonymous GET aborted the default server ------------------------------------------

def test_1_unbounded_paging_is_refused_and_the_server_lives(sqlite_home: Path) -> None:
    import_pages_cli = hx("import", "page", str(PAGES / "sc-meeting.txt"))
    assert import_pages_cli.returncode == 0, import_pages_cli.stderr
    with serve_process() as (base, proc):
        for path in ("/api/search?q=water&page=100000000&per_page=100",
                     "/search?q=water&page=100000000",
                     "/api/search?q=council&page=461168601842738791",
                     "/api/search?q=council&page=99999999999999999999",
                     "/api/search?q=council&per_page=100&page=101",
                     "/api/assets?offset=9223372036854775808", "/?page=9223372036854775807"):
            status, body = raw_get(base, path)
            assert 400 <= status < 500, (path, status, body[:200])
            assert proc.poll() is None, f"the server died on {path}"
        assert raw_get(base, "/api/search?q=council&page=100&per_page=100")[0] == 200
        assert raw_get(base, "/")[0] == 200


# 2. `Asset ID ..` opened every blob ---------------------------------------------------------

def test_2_path_like_ids_are_refused_at_every_entry(home: Path, tmp_path: Path) -> None:
    for bad in ("..", "../x", "a/b", "%2e%2e"):
        page = tmp_path / "bad.txt"
        page.write_text(page_text(asset_id=bad), encoding="utf-8")
        done = cli("import", "page", str(page))
        assert done.returncode == 2 and "not an asset id" in done.stderr, (bad, done.stderr)
        assert done.stderr.count("\n") == 1
    parent = tmp_path / "parent.txt"
    parent.write_text(page_text(parent_id=".."), encoding="utf-8")
    assert cli("import", "page", str(parent)).returncode == 2
    assert cli("show", "..").returncode == 2 and cli("edit", "../x", "--title", "t").returncode == 2
    assert hx("import", "page", str(page)).returncode == 2  # and so in a process of its own
    with open_archive() as archive:
        assert archive.catalog.count() == 0


def test_2_media_are_served_only_from_registered_files(site: tuple[Archive, str],
                                                       tmp_path: Path) -> None:
    archive, base = site
    [asset] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    path = register_file(archive, asset.asset_id, b"rendition bytes")
    master = archive.blobs.put(io.BytesIO(b"the master, never served"))
    shard = f"{master.sha256[:2]}/{master.sha256[2:4]}/{master.sha256}"
    assert raw_get(base, f"/media/{asset.asset_id}/{path}") == (200, b"rendition bytes")
    for hostile in (f"/media/%2e%2e/sha256/{shard}", f"/media/../sha256/{shard}",
                    f"/media/{asset.asset_id}/../../sha256/{shard}",
                    f"/media/{asset.asset_id}/%2e%2e/%2e%2e/sha256/{shard}",
                    f"/media/{asset.asset_id}/..%2f..%2fsha256%2f{master.sha256}",
                    f"/media/..%2fmasters/{shard}", f"/media/{asset.asset_id}/%00",
                    f"/media/{asset.asset_id}/" + "a" * 5000,
                    f"/media/{asset.asset_id}/run1/../run1/proxy.mp4",
                    f"/media/{asset.asset_id}/{shard}"):
        status, body = raw_get(base, hostile)
        assert status == 404 and b"never served" not in body, (hostile, status)


# 3. A restricted parent leaked through its children -----------------------------------------

def test_3_a_clip_hides_with_its_parent_on_every_surface(site: tuple[Archive, str]) -> None:
    archive, base = site
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    clip = archive.catalog.save(Asset(asset_id="CLIP9", parent_id=meeting.asset_id,
                                      title="Statement clip", meeting=meeting.meeting))
    path = register_file(archive, clip.asset_id, b"clip bytes")
    archive.changed()
    symbol = meeting.meeting.record_symbol
    surfaces = [f"/assets/{clip.asset_id}", f"/api/assets/{clip.asset_id}",
                f"/media/{clip.asset_id}/{path}"]
    assert [raw_get(base, s)[0] for s in surfaces] == [200, 200, 200]
    found = httpx.get(f"{base}/api/search", params={"q": symbol}).json()
    assert {h["asset_id"] for h in found["hits"]} == {meeting.asset_id, clip.asset_id}

    r = httpx.patch(f"{base}/api/assets/{meeting.asset_id}", json={"access": "staff"},
                    headers={"Authorization": f"Bearer {TOKEN}"})
    assert r.status_code == 200, r.text
    assert [raw_get(base, s)[0] for s in surfaces] == [404, 404, 404]
    for q in (symbol, "Statement clip"):
        found = httpx.get(f"{base}/api/search", params={"q": q}).json()
        assert found["hits"] == [] and found["total"] == 0, q
    listed = httpx.get(f"{base}/api/assets").json()
    assert listed["total"] == 0 and listed["assets"] == []
    staff = httpx.get(f"{base}/api/assets/{clip.asset_id}",
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert staff.status_code == 200  # staff still see both


# 4. An impossible embargo date was stored and broke pages ------------------------------------

def test_4_an_impossible_embargo_date_is_refused(site: tuple[Archive, str]) -> None:
    archive, base = site
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    url = f"{base}/api/assets/{meeting.asset_id}"
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for bad in ("embargoed until 2099-13-45", "embargoed until 2099-02-30", "secret"):
        r = httpx.patch(url, json={"access": bad}, headers=auth)
        assert r.status_code == 422 and r.json()["error"]["code"] == "bad_input", bad
    done = cli("edit", meeting.asset_id, "--access", "embargoed until 2099-13-45")
    assert done.returncode == 2 and "not a calendar day" in done.stderr
    for path in (f"/assets/{meeting.asset_id}", f"/api/assets/{meeting.asset_id}", "/"):
        assert httpx.get(base + path).status_code == 200
    assert archive.catalog.get(meeting.asset_id).access == "public"


# 5. Other 500s from input --------------------------------------------------------------------

def test_5_hostile_requests_are_4xx(site: tuple[Archive, str]) -> None:
    archive, base = site
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    paths = ["/assets/%00", "/api/assets/%00", f"/media/{meeting.asset_id}/%00",
             "/api/search?q=" + "x" * 5000, "/api/search?q=S/PV." + "9" * 400,
             "/api/search?q=body:%22" + "x" * 3000 + "%22", "/api/search?q=%00%01",
             "/search?q=" + "y" * 121, "/api/search?year=99999", "/api/search?lang=xx",
             "/api/search?sort=" + "z" * 5000, "/api/assets?limit=abc"]
    for path in paths:
        status, body = raw_get(base, path)
        assert status in (200, 400, 404, 422), (path[:60], status, body[:200])
    r = httpx.patch(f"{base}/api/assets/{meeting.asset_id}", content=b"{}",
                    headers={b"Authorization": b"Bearer s3cr\xc3\xa9t",
                             b"Content-Type": b"application/json"})
    assert r.status_code == 401
    trace = httpx.request("TRACE", f"{base}/api/assets")
    assert trace.status_code == 405 and "GET" in trace.headers["allow"]


def test_5_caption_text_with_nul_is_refused_on_both_databases(home: Path,
                                                              tmp_path: Path) -> None:
    asset_id = cli("import", "page", str(PAGES / "sc-meeting.txt")).stdout.strip()
    bad = tmp_path / "nul.vtt"
    bad.write_bytes(b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello \x00 world\n")
    done = cli("import", "captions", asset_id, str(bad), "--language", "fr")
    assert done.returncode == 2 and "binary" in done.stderr and "Traceback" not in done.stderr


# 6. Readers in quadratic time -----------------------------------------------------------------

def _timed(fn: object, *args: object) -> tuple[float, object]:
    """CPU seconds of this process spent on `fn(*args)` (what other processes do to the
    machine does not count), and its result or the reader's error."""
    t0 = time.process_time()
    try:
        result = fn(*args)  # type: ignore[operator]
    except (InputError, CaptionError) as exc:
        result = exc
    return time.process_time() - t0, result


SEED_LIKE = page_text(number=8967).replace("Personal Subjects\n", "Personal Subjects\n{}\n")


@pytest.mark.parametrize("content", [
    SEED_LIKE.format("Guterres," + " " * 1_000_000 + "x"),
    SEED_LIKE.format(";" * 1_000_000),
    SEED_LIKE.format("; ".join(["Guterres, António"] * 60_000)),
    page_text() + "Asset ID " + "9" * 1_000_000 + "\n",
    "Title\n\nPreview Language:" + " " * 1_500_000 + "x\n16-Feb-2022 00:10:00\n",
    "Title\nAvailable Languages: " + "English, " * 200_000 + "\n16-Feb-2022\n",
    "T\n" + "Preview Language: x\n" * 90_000 + "16-Feb-2022 00:10:00\n",
])
def test_6_catalogue_pages_read_in_linear_time(tmp_path: Path, content: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(content[:MAX_TEXT_BYTES], encoding="utf-8")
    took, _ = _timed(lambda p: read_catalogue_page(read_text(p), str(p)), path)
    assert took < 2.0, took


def test_6_every_reader_refuses_10_mb_fast(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("Security Council\n" + "The representative said. " * 420_000, encoding="utf-8")
    assert big.stat().st_size > 10_000_000
    took, result = _timed(read_text, big)
    assert took < 2.0 and isinstance(result, InputError) and "too large" in str(result)
    vtt = tmp_path / "big.vtt"
    vtt.write_text("WEBVTT\n\n" + "00:00:01.000 --> 00:00:02.000\nword\n\n" * 300_000)
    assert vtt.stat().st_size > MAX_CAPTION_BYTES
    took, result = _timed(read_captions, vtt, "A", "en")
    assert took < 2.0 and isinstance(result, CaptionError) and "too large" in str(result)


@pytest.mark.parametrize("name,content", [
    ("cues.vtt", "WEBVTT\n\n" + "".join(f"00:{i // 60 % 60:02d}:{i % 60:02d}.000 --> "
                                          f"00:{i // 60 % 60:02d}:{i % 60:02d}.500\n"
                                          "<v Someone>a few words <b>here</b>\n\n"
                                          for i in range(120_000))),
    ("digits.srt", "9" * 7_000_000 + "\n00:00:01,000 --> 00:00:02,000\nhello\n"),
    ("spaces.srt", "1\n00:00:01,000 --> 00:00:02,000" + " " * 7_000_000 + "x\nhello\n"),
    ("tags.vtt", "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n" + "<v " * 2_000_000 + "\n"),
    ("blank.vtt", "WEBVTT\n" + "\n" * 7_000_000),
])
def test_6_captions_read_in_linear_time_under_the_cap(tmp_path: Path, name: str,
                                                      content: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert path.stat().st_size <= MAX_CAPTION_BYTES
    took, _ = _timed(read_captions, path, "A", "en")
    # About 1-2.5 CPU seconds for 120,000 cues (20 us a cue, more on a loaded machine's
    # caches); a reader that is quadratic on any of these inputs takes minutes.
    assert took < 6.0, took


def test_6_press_summaries_read_in_linear_time(tmp_path: Path) -> None:
    for text in ("Security Council\n" + " " * 2_000_000, "SC/1\n" + "x" * 2_000_000,
                 "\n".join(["9095th Meeting (PM)"] * 100_000) + "\nBody text here."):
        took, _ = _timed(read_press_summary, text[:MAX_TEXT_BYTES], "p.txt")
        assert took < 2.0, took


# 8. A corrupted blob was trusted ---------------------------------------------------------------

def test_8_reingesting_the_original_repairs_a_damaged_master(sqlite_home: Path,
                                                             tmp_path: Path) -> None:
    media = make_media(tmp_path / "m.mkv", seconds=1)
    first = hx("ingest", str(media))
    assert first.returncode == 0, first.stderr
    asset_id = first.stdout.strip().splitlines()[-1]
    with open_archive() as archive:
        master = archive.catalog.master(asset_id)
        blob = archive.blobs.path(master.sha256)  # type: ignore[attr-defined]
        os.chmod(blob, 0o644)
        blob.write_bytes(b"damaged" + blob.read_bytes()[7:])
        assert not archive.blobs.verify(master.sha256)
    again = hx("ingest", str(media), "--asset", asset_id)
    assert again.returncode == 0, again.stderr
    with open_archive() as archive:
        assert archive.blobs.verify(master.sha256) and sha256(blob) == sha256(media)


def test_8_a_damaged_rendition_is_not_served(site: tuple[Archive, str]) -> None:
    archive, base = site
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    path = register_file(archive, meeting.asset_id, b"proxy bytes " * 100)
    url = f"{base}/media/{meeting.asset_id}/{path}"
    assert httpx.get(url).status_code == 200
    sha = archive.catalog.rendition_file(meeting.asset_id, path).sha256  # type: ignore[union-attr]
    blob = archive.blobs.path(sha)  # type: ignore[attr-defined]
    os.chmod(blob, 0o644)
    blob.write_bytes(b"PROXY bytes " * 100)  # same size, other bytes
    r = httpx.get(url)
    assert r.status_code == 503 and b"PROXY" not in r.content
    assert r.json()["error"]["code"] == "damaged"


# 9. Existence was observable; no limits; no headers ----------------------------------------------

def test_9_hidden_and_absent_assets_cost_the_same(home: Path) -> None:
    with open_archive() as archive:
        archive.catalog.save(Asset(asset_id="HIDDEN", title="closed", access="staff",
                                   meeting=Meeting(body="Security Council", number=1)))
        statements: list[str] = []
        sa.event.listen(archive.catalog.engine, "before_cursor_execute",
                        lambda *a: statements.append(a[2]))
        for asset_id in ("HIDDEN", "ABSENT"):
            statements.clear()
            with pytest.raises(UnknownAsset, match=f"no asset with id '{asset_id}'"):
                get_asset(archive, asset_id, Audience.PUBLIC)
            assert len(statements) == 1, statements  # no related rows loaded when hidden


def test_9_tokens_are_checked_first_and_throttled(site: tuple[Archive, str]) -> None:
    archive, base = site
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    url = f"{base}/api/assets/{meeting.asset_id}"
    r = httpx.patch(url, content=b'{"nonsense": [', headers={"Content-Type": "application/json"})
    assert r.status_code == 401 and "schema" not in r.text.lower()
    codes = [httpx.patch(url, json={}, headers={"Authorization": f"Bearer wrong{i}"}).status_code
             for i in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    right = httpx.patch(url, json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 429  # the address is blocked for the window, right token or not


def test_9_security_headers_head_options_and_cache(site: tuple[Archive, str]) -> None:
    archive, base = site
    [meeting] = import_pages(archive, [PAGES / "sc-meeting.txt"])
    path = register_file(archive, meeting.asset_id, b"media")
    page = httpx.get(f"{base}/assets/{meeting.asset_id}")
    for name in ("content-security-policy", "x-content-type-options", "referrer-policy"):
        assert name in page.headers, name
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "unsafe-inline" not in page.headers["content-security-policy"].split("script-src")[1]
    head = httpx.head(f"{base}/assets/{meeting.asset_id}")
    assert head.status_code == 200 and head.content == b""
    options = httpx.options(f"{base}/api/assets/{meeting.asset_id}")
    assert options.status_code == 204
    assert set(options.headers["allow"].split(", ")) == {"GET", "HEAD", "PATCH", "OPTIONS"}
    assert httpx.get(f"{base}/media/{meeting.asset_id}/{path}").headers["cache-control"] \
        .startswith("public")
    archive.catalog.save(archive.catalog.get(meeting.asset_id).model_copy(
        update={"access": "staff"}))
    staff = httpx.get(f"{base}/media/{meeting.asset_id}/{path}",
                      headers={"Authorization": f"Bearer {TOKEN}"})
    assert staff.status_code == 200 and staff.headers["cache-control"] == "private, no-store"
