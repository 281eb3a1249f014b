"""A long recording's video ladder split by time window (issue 17, item 3): window parts
encode [t0, t1) of every rung; the derive joins each rung's windows into one playlist that
plays on across the boundaries (segments numbered on, timestamps continuous, the right
total), remuxes the MP4 proxy from it, and registers everything at once."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import av
import pytest

from hexaglot.app.archive import Archive, open_archive
from hexaglot.app.editing import edit_asset, make_edits
from hexaglot.app.ingesting import ingest
from hexaglot.app.jobs import work
from hexaglot.media.playlist import join_media_playlists, parse_media_playlist
from hexaglot.media.profiles import Profiles, load_profiles
from hexaglot.media.renditions import Source, plan, window_args, windows
from hexaglot.web.app import create_app

from .browser_helpers import HLS_JS, chromium
from .live_server import serving
from .media_helpers import make_media, rendition_path

SECONDS, FPS = 5, 25
#: Two rungs of a 180-line test pattern, 1 s segments, 2 s windows: windows [0, 2), [2, 4),
#: [4, 5) and an audio part, on a 5 s recording.
PROFILES = """\
hls:
  segment_seconds: 1
  video:
    - {name: 120p, height: 120, bitrate: 200k, maxrate: 300k}
    - {name: 180p, height: 180, bitrate: 300k, maxrate: 400k}
mp4: {video: 120p}
split: {min_seconds: 0, audio_parts: 1, window_seconds: 2, window_min_seconds: 0}
"""


def _source(seconds: float, tracks: int = 2) -> Source:
    langs = ["original", "fr", "es"][:tracks]
    return Source(Path("m.mkv"), seconds, 720, {lang: i + 1 for i, lang in enumerate(langs)},
                  "original")


def test_the_windows_of_a_long_recording() -> None:
    profiles = load_profiles()
    three_hours = windows(_source(3 * 3600), profiles)
    assert len(three_hours) == 9 and three_hours[0] == (0.0, 1200.0)
    assert three_hours[-1] == (9600.0, 10800.0)
    assert windows(_source(2399), profiles) == []  # below window_min_seconds
    assert windows(_source(2403), profiles)[-1] == (1200.0, 2403.0)  # a 3 s tail joins
    names = [p.name for p in plan(_source(3 * 3600), profiles)]
    assert names == ["video", *(f"window-{i}" for i in range(1, 10)), "audio-1"]
    [video] = [p for p in plan(_source(3 * 3600), profiles) if p.name == "video"]
    assert (video.languages, video.video, video.ladder) == (("original",), True, False)
    one_track = plan(_source(3 * 3600, tracks=1), profiles)  # windows, no audio part
    assert [p.name for p in one_track][:2] == ["video", "window-1"] and len(one_track) == 10
    assert [p.name for p in plan(_source(1200), profiles)] == ["video", "audio-1"]
    short = replace(_source(3 * 3600), height=360)  # one rung: ffmpeg fills in no %v
    args = window_args(short, profiles, plan(short, profiles)[1], Path("out"))
    assert args[args.index("-hls_fmp4_init_filename") + 1] == "init-window-1-360p.mp4"
    data = load_profiles().model_dump()
    data["split"]["window_seconds"] = 1201  # not a multiple of the 6 s segments
    with pytest.raises(ValueError, match="multiple of hls.segment_seconds"):
        Profiles.model_validate(data)


def test_windows_join_only_when_numbered_on() -> None:
    def window(first: int, n: int) -> str:
        segs = "".join(f"#EXTINF:1.000000,\nseg{first + i:05d}.m4s\n" for i in range(n))
        return ("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:"
                f"{first}\n#EXT-X-MAP:URI=\"init-{first}.mp4\"\n{segs}#EXT-X-ENDLIST\n")

    joined = parse_media_playlist(join_media_playlists([window(0, 2), window(2, 2)]))
    assert [u for _, u in joined.segments] == [f"seg{i:05d}.m4s" for i in range(4)]
    assert joined.seconds == 4
    one_init = join_media_playlists([window(0, 2), window(2, 1)], "init-0.mp4")
    assert one_init.count("#EXT-X-MAP") == 1
    with pytest.raises(ValueError, match="not numbered one after another"):
        join_media_playlists([window(0, 2), window(3, 2)])  # a segment missing
    with pytest.raises(ValueError, match="not numbered one after another"):
        join_media_playlists([window(0, 2), window(1, 2)])  # an overlap


def _frames(path: Path) -> tuple[list[int], float]:
    """The video's presentation timestamps in order (as ticks of 1/FPS s) and its time base."""
    with av.open(str(path), options={"allowed_extensions": "ALL"}) as c:
        stream = c.streams.video[0]
        tb = float(stream.time_base)
        pts = sorted(p.pts for p in c.demux(stream) if p.pts is not None)
    return [round(p * tb * FPS) for p in pts], tb


@pytest.fixture(scope="module")
def windowed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Archive, str, Path]]:
    """One archive whose published 5 s meeting was derived in windows (once for the
    module): the archive, the asset id and its home."""
    tmp = tmp_path_factory.mktemp("windows")
    home = tmp / "home"
    home.mkdir()
    (home / "profiles.yaml").write_text(PROFILES)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("HEXAGLOT_HOME", str(home))
        for name in ("HEXAGLOT_DATABASE_URL", "HEXAGLOT_QUEUE_URL", "HEXAGLOT_STORAGE_URL"):
            env.delenv(name, raising=False)
        archive = open_archive()
        done = ingest(archive, make_media(tmp / "meeting.mkv", seconds=SECONDS,
                                          tags=("mul", "fra")))
        edit_asset(archive, done.asset.asset_id, make_edits(status="published"))
        work(archive, burst=True)
        try:
            yield archive, done.asset.asset_id, home
        finally:
            archive.close()


@pytest.mark.slow
def test_a_windowed_derive_joins_into_one_stream(windowed: tuple[Archive, str, Path],
                                                  tmp_path: Path) -> None:
    archive, asset_id, home = windowed
    jobs = archive.jobs.list(asset_id=asset_id)
    [derive] = [j for j in jobs if j.kind == "derive"]
    assert derive.status == "done", derive
    parts = {j.params["part"]: j for j in jobs if j.kind == "derive-part"}
    assert sorted(parts) == ["audio-1", "video", "window-1", "window-2", "window-3"]
    assert all(p.status == "done" for p in parts.values())
    span = archive.catalog.master(asset_id).duration  # 5 s and the audio's padding
    assert [parts[f"window-{i}"].params["window"] for i in (1, 2, 3)] == [
        [0, 2], [2, 4], [4, span]]

    files = {f.path.removeprefix(f"{derive.id}/"): f
             for f in archive.catalog.rendition_files(asset_id)}
    assert all(archive.blobs.verify(f.sha256) for f in files.values())
    assert not [p for p in files if p.endswith("window.m3u8")]
    asset = archive.catalog.get(asset_id)
    by = {(f.rendition, f.language): f for f in asset.formats}
    assert {k for k in by if k[0] != "master"} == {
        ("hls", None), ("mp4", "original"), ("poster", None), ("thumbnails", None),
        ("waveform", "original"), *((k, lang) for lang in ("original", "fr")
                                    for k in ("audio-m4a", "audio-mp3"))}
    master = rendition_path(archive, by[("hls", None)].url).read_text()
    variants = re.findall(r"#EXT-X-STREAM-INF:([^\n]*)\n([^\n]*)", master)
    assert [uri for _, uri in variants] == ["120p/index.m3u8", "180p/index.m3u8"]
    assert all('AUDIO="audio"' in inf and "mp4a.40.2" in inf for inf, _ in variants)
    assert master.count("#EXT-X-MEDIA:TYPE=AUDIO") == 2

    copy = tmp_path / "hls"  # the registered HLS package, as a player fetches it
    for rel, f in files.items():
        if rel.startswith("hls/"):
            (copy / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(archive.blobs.path(f.sha256), copy / rel)
    for rung in ("120p", "180p"):
        text = (copy / "hls" / rung / "index.m3u8").read_text()
        joined = parse_media_playlist(text)
        assert [u for _, u in joined.segments] == [f"seg{i:05d}.m4s"
                                                   for i in range(SECONDS)]
        assert all(abs(d - 1) < 1e-3 for d, _ in joined.segments), joined.segments
        assert abs(joined.seconds - SECONDS) < 1e-3 and joined.target == 1
        assert text.count("#EXT-X-MAP") == 1 and joined.init is not None
        assert (copy / "hls" / rung / joined.init).is_file()
        frames, _ = _frames(copy / "hls" / rung / "index.m3u8")
        # every frame once, from 0, no gap or overlap at the window boundaries
        assert frames == list(range(SECONDS * FPS)), frames
        with av.open(str(copy / "hls" / rung / "index.m3u8")) as c:
            assert sum(1 for _ in c.decode(video=0)) == SECONDS * FPS

    proxy = rendition_path(archive, by[("mp4", "original")].url)
    frames, _ = _frames(proxy)
    assert frames == list(range(SECONDS * FPS))
    with av.open(str(proxy)) as c:
        assert abs(c.duration / av.time_base - SECONDS) < 2 / FPS
        assert c.streams.video[0].height == 120 and len(c.streams.audio) == 1
    for lang in ("original", "fr"):
        with av.open(str(rendition_path(archive, by[("audio-m4a", lang)].url))) as c:
            assert abs(c.duration / av.time_base - SECONDS) < 0.1
    # the video part decodes keyframes only; the strip still has all its thumbnails (the
    # test recording has one keyframe: the last is held to the end)
    with av.open(str(rendition_path(archive, by[("thumbnails", None)].url))) as c:
        strip = c.streams.video[0].codec_context
        assert (strip.width, strip.height) == (20 * 160, 90)
    [made] = [e for e in archive.events.events(asset_id) if e.event_type == "derivation"]
    assert "in 5 parts" in made.detail
    assert not list((home / "work").glob("*/*"))


@pytest.mark.browser
def test_the_player_plays_on_across_the_window_boundaries(
        windowed: tuple[Archive, str, Path]) -> None:
    archive, asset_id, _home = windowed
    with serving(create_app(archive)) as base, chromium(HLS_JS) as browser:
        page = browser.new_page(bypass_csp=True)
        page.goto(f"{base}/assets/{asset_id}")
        page.click(".play-cover")
        page.wait_for_function("window.hexaglotPlayer && hexaglotPlayer.hls "
                               "&& hexaglotPlayer.hls.levels.length === 2")
        page.evaluate("""() => { window.seen = []; window.errors = [];
            const v = hexaglotPlayer.video, h = hexaglotPlayer.hls;
            h.on('hlsError', (_, e) => window.errors.push(e.details));
            v.addEventListener('timeupdate', () => window.seen.push(v.currentTime));
            v.muted = true; v.playbackRate = 4; v.currentTime = 0; v.play(); }""")
        page.wait_for_function(f"hexaglotPlayer.video.currentTime >= {SECONDS - 0.3}",
                               timeout=20000)
        state = page.evaluate("""() => ({errors: window.errors,
            seen: [...window.seen, hexaglotPlayer.video.currentTime],
            frames: hexaglotPlayer.video.getVideoPlaybackQuality().totalVideoFrames})""")
    seen = state["seen"]
    assert seen == sorted(seen), seen  # played on, never back to a window's start
    assert seen and seen[0] < 2 and seen[-1] > 4, seen  # through both boundaries
    assert not state["errors"], state
    assert state["frames"] >= (SECONDS - 1) * FPS, state
