"""Ingest with a catalogue page, into an existing asset, and on a Redis queue."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.jobs import work
from hexaglot.cli import app

from .media_helpers import make_media, sha256

runner = CliRunner()
PAGE = Path(__file__).parent / "fixtures" / "pages" / "sc-meeting.txt"


def test_ingest_with_page_keeps_page_fields(sqlite_home: Path, tmp_path: Path) -> None:
    media = make_media(tmp_path / "m.mkv", seconds=2, tags=("mul", "fra"))
    result = runner.invoke(app, ["ingest", str(media), "--page", str(PAGE)])
    assert result.exit_code == 0, result.output
    asset_id = result.stdout.strip().splitlines()[-1]
    archive = open_archive()
    asset = archive.catalog.get(asset_id)
    assert asset.meeting.number == 9512
    assert asset.duration_seconds == 1 * 3600 + 46 * 60 + 9  # the page's, not the probe's
    assert asset.available_languages == ["original", "ar", "zh", "en", "fr", "ru", "es"]
    again = runner.invoke(app, ["ingest", str(media), "--asset", asset_id])
    assert again.exit_code == 0 and again.stdout.strip().splitlines()[-1] == asset_id
    masters = [f for f in archive.catalog.get(asset_id).formats if f.rendition == "master"]
    assert [m.sha256 for m in masters] == [sha256(media)]
    archive.close()
    both = runner.invoke(app, ["ingest", str(media), "--asset", asset_id, "--page", str(PAGE)])
    assert both.exit_code == 2 and "not both" in both.stderr
    nowhere = runner.invoke(app, ["ingest", str(media), "--asset", "123"])
    assert nowhere.exit_code == 2 and "no asset with id '123'" in nowhere.stderr


def test_redis_queue(redis_queue: str, tmp_path: Path) -> None:
    media = make_media(tmp_path / "m.mkv", seconds=2)
    result = runner.invoke(app, ["ingest", str(media)])
    assert result.exit_code == 0, result.output
    archive = open_archive()
    assert type(archive.queue.huey).__name__ == "RedisHuey"
    assert archive.queue.huey.pending_count() == 1
    assert work(archive, burst=True) == 1
    assert archive.jobs.list()[0].status == "done"
    archive.close()
