"""Statement clips: a child asset cut frame-accurately, with renditions in every language."""

from __future__ import annotations

from pathlib import Path

import av
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.app.jobs import work
from hexaglot.cli import app
from hexaglot.domain import Speaker

from .media_helpers import LANGS, make_media, rendition_path

runner = CliRunner()


def _frames(path: Path) -> int:
    with av.open(str(path)) as c:
        return sum(1 for _ in c.decode(video=0))


def test_clip_by_times_and_by_speaker(sqlite_home: Path, tmp_path: Path) -> None:
    ingest = runner.invoke(app, ["ingest", str(make_media(tmp_path / "m.mkv", seconds=4))])
    parent_id = ingest.stdout.strip().splitlines()[-1]
    archive = open_archive()
    parent = archive.catalog.get(parent_id)
    parent.speakers = [Speaker(name="Ms. Example", start=0.4, end=2.0)]
    archive.catalog.save(parent)

    made = runner.invoke(app, ["clip", parent_id, "--start", "00:00:01", "--end", "00:00:03",
                               "--title", "Statement by the President"])
    assert made.exit_code == 0, made.output
    clip_id = made.stdout.strip().splitlines()[-1]
    by_speaker = runner.invoke(app, ["clip", parent_id, "--speaker", "1"])
    assert by_speaker.exit_code == 0, by_speaker.output
    speaker_clip_id = by_speaker.stdout.strip().splitlines()[-1]
    assert work(archive, burst=True) == 3

    clip = archive.catalog.get(clip_id)
    assert clip.parent_id == parent_id and clip.title == "Statement by the President"
    assert clip.available_languages == LANGS and clip.duration_seconds == 2
    assert clip_id in archive.catalog.get(parent_id).children
    langs = {f.language for f in clip.formats if f.rendition == "audio-m4a"}
    assert langs == set(LANGS)
    mp4 = next(f for f in clip.formats if f.rendition == "mp4")
    assert _frames(rendition_path(archive, mp4.url)) == 50  # 2 s at 25 fps, exactly

    spoken = archive.catalog.get(speaker_clip_id)
    assert spoken.title == f"Ms. Example - {parent.title}"
    assert [s.name for s in spoken.speakers] == ["Ms. Example"]
    mp4 = next(f for f in spoken.formats if f.rendition == "mp4")
    assert _frames(rendition_path(archive, mp4.url)) == 40  # 0.4 s to 2.0 s
    archive.close()


def test_bad_clips(sqlite_home: Path, tmp_path: Path) -> None:
    ingest = runner.invoke(app, ["ingest", str(make_media(tmp_path / "m.mkv", seconds=2))])
    parent_id = ingest.stdout.strip().splitlines()[-1]
    for args, problem in [
        (["--start", "00:00:03", "--end", "00:00:01"], "start before it ends"),
        (["--start", "00:00:01", "--end", "00:09:00"], "recording lasts"),
        (["--speaker", "4"], "no speaker 4"),
        (["--start", "1:xx"], "not a duration"),
    ]:
        result = runner.invoke(app, ["clip", parent_id, *args])
        assert result.exit_code == 2 and problem in result.stderr, (args, result.output)
    missing = runner.invoke(app, ["clip", "999", "--start", "0:00:00", "--end", "0:00:01"])
    assert missing.exit_code == 2 and "no asset" in missing.stderr
    archive = open_archive()
    assert archive.catalog.count() == 1
    archive.close()
