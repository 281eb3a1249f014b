"""Ingest keeps the master byte-for-byte; the worker derives every rendition; the HLS
master playlist names each language properly, with DEFAULT on the preview language."""

from __future__ import annotations

import json
import re
from pathlib import Path

import av
import pytest
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.jobs import work
from hexaglot.cli import app

from .media_helpers import LANGS, make_media, rendition_path, sha256

runner = CliRunner()


@pytest.fixture(scope="module")
def meeting(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_media(tmp_path_factory.mktemp("media") / "meeting.mkv", seconds=3,
                      size="1280x720")


def _media_attrs(playlist: str) -> list[dict[str, str]]:
    rows = []
    for line in playlist.splitlines():
        if line.startswith("#EXT-X-MEDIA:"):
            rows.append(dict(re.findall(r'([A-Z-]+)="?([^",]*)"?', line.split(":", 1)[1])))
    return rows


def test_ingest_and_renditions(home: Path, meeting: Path) -> None:
    result = runner.invoke(app, ["ingest", str(meeting)])
    assert result.exit_code == 0, result.output
    asset_id = result.stdout.strip().splitlines()[-1]
    assert asset_id.isdigit()

    archive = open_archive()
    asset = archive.catalog.get(asset_id)
    assert asset.available_languages == LANGS
    assert asset.duration_seconds == 3
    master = [f for f in asset.formats if f.rendition == "master"]
    assert len(master) == 1 and master[0].sha256 == sha256(meeting)
    assert archive.blobs.path(master[0].sha256).read_bytes() == meeting.read_bytes()
    assert [j.status for j in archive.jobs.list()] == ["queued"]

    assert work(archive, burst=True) == 1
    assert [j.status for j in archive.jobs.list()] == ["done"]
    asset = archive.catalog.get(asset_id)
    by = {(f.rendition, f.language): f for f in asset.formats}
    expected = {("master", None), ("hls", None), ("mp4", "original"), ("poster", None),
                ("thumbnails", None), ("waveform", "original")}
    expected |= {(kind, lang) for lang in LANGS for kind in ("audio-m4a", "audio-mp3")}
    assert set(by) == expected
    for f in asset.formats:
        if f.rendition == "master":
            continue
        file = rendition_path(archive, f.url)
        assert file.is_file() and sha256(file) == f.sha256, f
    assert not any((archive.settings.resolved_home / "work").iterdir())

    hls = rendition_path(archive, by[("hls", None)].url)
    attrs = _media_attrs(hls.read_text())
    names = ["Original", "Arabic", "Chinese", "English", "French", "Russian", "Spanish"]
    assert [a["NAME"] for a in attrs] == names
    assert [a["LANGUAGE"] for a in attrs] == ["mul", "ar", "zh", "en", "fr", "ru", "es"]
    assert [a["DEFAULT"] for a in attrs] == ["YES"] + ["NO"] * 6
    variants = re.findall(r"RESOLUTION=(\d+x\d+)", hls.read_text())
    assert variants == ["640x360", "1280x720"]
    assert "a-fr/index.m3u8" not in hls.read_text().split("#EXT-X-STREAM-INF")[1]

    with av.open(str(rendition_path(archive, by[("mp4", "original")].url))) as c:
        assert c.streams.video[0].codec_context.name == "h264"
        assert c.streams.audio[0].codec_context.name == "aac"
        assert abs(c.duration / av.time_base - 3) < 0.2
    with av.open(str(rendition_path(archive, by[("audio-mp3", "fr")].url))) as c:
        assert c.metadata.get("language") == "fra"
    peaks = json.loads((rendition_path(archive, by[("waveform", "original")].url))
                       .read_text())
    assert abs(len(peaks["peaks"]) - 30) <= 1 and max(peaks["peaks"]) > 0.05
    archive.close()


def test_preview_language_gets_default(sqlite_home: Path, meeting: Path) -> None:
    archive = open_archive()
    first = runner.invoke(app, ["ingest", str(meeting)])
    asset_id = first.stdout.strip().splitlines()[-1]
    asset = archive.catalog.get(asset_id)
    asset.preview_language = "French"
    archive.catalog.save(asset)
    work(archive, burst=True)
    hls = next(f for f in archive.catalog.get(asset_id).formats if f.rendition == "hls")
    text = rendition_path(archive, hls.url).read_text()
    defaults = [a["NAME"] for a in _media_attrs(text) if a["DEFAULT"] == "YES"]
    assert defaults == ["French"]
    mp4 = next(f for f in archive.catalog.get(asset_id).formats if f.rendition == "mp4")
    assert mp4.language == "fr"
    archive.close()


def test_profiles_can_be_overridden_by_the_deployment(sqlite_home: Path, meeting: Path) -> None:
    (sqlite_home / "profiles.yaml").write_text(
        "hls:\n  video:\n    - {name: 240p, height: 240, bitrate: 300k, maxrate: 400k}\n")
    archive = open_archive()
    runner.invoke(app, ["ingest", str(meeting)])
    work(archive, burst=True)
    asset = archive.catalog.list()[0]
    hls = next(f for f in asset.formats if f.rendition == "hls")
    text = rendition_path(archive, hls.url).read_text()
    assert re.findall(r"RESOLUTION=(\d+x\d+)", text) == ["426x240"]
    archive.close()
