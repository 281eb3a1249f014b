"""Media over HTTP: range requests, access rules, and the player in a real headless
Chromium switching from the floor to French without restarting the video."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.editing import edit_asset, make_edits
from hexaglot.app.ingesting import ingest
from hexaglot.app.jobs import work
from hexaglot.web.app import create_app

from .browser_helpers import HLS_JS, chromium
from .live_server import serving
from .media_helpers import make_media, rendition_path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Archive]]:
    """One archive with one derived 10-second meeting, served over HTTP (derived once, in
    parts as a long recording is: the player plays what the split derive made, the audio
    of every language but the floor from the audio part; test_media_renditions covers
    the one-job derive)."""
    tmp = tmp_path_factory.mktemp("web")
    (tmp / "home").mkdir()
    (tmp / "home" / "profiles.yaml").write_text("split: {min_seconds: 0}\n")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HEXAGLOT_HOME", str(tmp / "home"))
        for name in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL", "HEXAGLOT_STORAGE_URL"):
            env.delenv(name, raising=False)
        archive = open_archive()
        done = ingest(archive, make_media(tmp / "meeting.mkv", seconds=10))
        assert done.asset.status == "draft"  # no record yet: staff only until published
        edit_asset(archive, done.asset.asset_id, make_edits(status="published"))
        assert work(archive, burst=True) == 3  # the derive and its two parts
        with serving(create_app(archive)) as base:
            yield base, done.asset.asset_id, archive
        archive.close()


def _format(asset_id: str, rendition: str, language: str | None = None):
    archive = open_archive()
    try:
        return next(f for f in archive.catalog.get(asset_id).formats
                    if f.rendition == rendition and f.language == language)
    finally:
        archive.close()


def test_range_requests_and_access(site: tuple[str, str, Archive]) -> None:
    base, asset_id, archive = site
    mp4 = _format(asset_id, "mp4", "original")
    data = rendition_path(archive, mp4.url).read_bytes()
    with httpx.Client(base_url=base, timeout=10) as client:
        whole = client.get(mp4.url)
        assert whole.status_code == 200 and whole.content == data
        assert whole.headers["accept-ranges"] == "bytes"
        assert whole.headers["content-type"] == "video/mp4"
        part = client.get(mp4.url, headers={"Range": "bytes=100-1099"})
        assert part.status_code == 206 and part.content == data[100:1100]
        assert part.headers["content-range"] == f"bytes 100-1099/{len(data)}"
        head = client.head(mp4.url)
        assert head.status_code == 200 and head.headers["content-length"] == str(len(data))
        tail = client.get(mp4.url, headers={"Range": "bytes=-500"})
        assert tail.status_code == 206 and tail.content == data[-500:]
        hls = client.get(_format(asset_id, "hls").url)
        assert hls.headers["content-type"].startswith("application/vnd.apple.mpegurl")
        assert client.get(f"/media/{asset_id}/../../masters").status_code == 404
        assert client.get(f"/media/{asset_id}/nothing.mp4").status_code == 404
        assert whole.headers["cache-control"] == "public, max-age=3600"


@pytest.mark.browser
def test_player_switches_floor_to_french_without_restarting(
        site: tuple[str, str, Archive]) -> None:
    base, asset_id, _root = site
    with chromium(HLS_JS) as browser:
        page = browser.new_page(bypass_csp=True)  # the test harness evaluates scripts
        page.goto(f"{base}/assets/{asset_id}?hl=fr")
        page.click(".play-cover")  # nothing loads before play
        page.wait_for_function("window.hexaglotPlayer && hexaglotPlayer.hls "
                               "&& hexaglotPlayer.hls.audioTracks.length === 7")
        names = page.eval_on_selector_all("select.audio-language option",
                                          "els => els.map(e => e.textContent.trim())")
        assert names == ["Original", "Arabe", "Chinois", "Anglais", "Français", "Russe",
                         "Espagnol"]
        page.wait_for_function(  # starts on the preview language (the floor here)
            "document.querySelector('.player').dataset.activeLanguage === 'original'")
        page.evaluate("() => { const v = hexaglotPlayer.video; v.muted = true; v.play(); }")
        page.wait_for_function("hexaglotPlayer.video.currentTime > 1.0", timeout=20000)
        before = page.evaluate("hexaglotPlayer.video.currentTime")
        page.evaluate("""() => { window.lowest = Infinity;
            hexaglotPlayer.video.addEventListener('timeupdate', () => {
              window.lowest = Math.min(window.lowest, hexaglotPlayer.video.currentTime); }); }""")
        page.select_option("select.audio-language", "fr")
        page.wait_for_function("""() => { const h = hexaglotPlayer.hls;
            return h.audioTrack >= 0 && h.audioTracks[h.audioTrack].lang === 'fr'; }""")
        page.wait_for_function(f"hexaglotPlayer.video.currentTime > {before} + 1.5",
                               timeout=20000)
        state = page.evaluate("""() => ({lowest: window.lowest,
            active: document.querySelector('.player').dataset.activeLanguage,
            name: hexaglotPlayer.hls.audioTracks[hexaglotPlayer.hls.audioTrack].name,
            paused: hexaglotPlayer.video.paused, url: location.search})""")
        assert state["lowest"] >= before - 0.05, state  # never went back: no restart
        assert state["active"] == "fr" and state["name"] == "French"
        assert not state["paused"] and "lang=fr" in state["url"]

        page.goto(f"{base}/assets/{asset_id}?lang=es&t=0:00:05")
        page.click(".play-cover")
        page.wait_for_function("""() => { const h = window.hexaglotPlayer && hexaglotPlayer.hls;
            return h && h.audioTrack >= 0 && h.audioTracks[h.audioTrack].lang === 'es'; }""")
        page.evaluate("() => { const v = hexaglotPlayer.video; v.muted = true; v.play(); }")
        page.wait_for_function("hexaglotPlayer.video.currentTime >= 5.0", timeout=20000)


def test_hidden_assets_hide_their_media(site: tuple[str, str, Archive]) -> None:
    base, asset_id, archive = site
    url = _format(asset_id, "mp4", "original").url
    asset = archive.catalog.get(asset_id)
    archive.catalog.save(asset.model_copy(update={"access": "restricted"}))
    try:
        assert httpx.get(base + url, timeout=10).status_code == 404
    finally:
        archive.catalog.save(asset.model_copy(update={"access": "public"}))
