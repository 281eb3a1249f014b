"""Every bad input of issue 4 gets one clear error naming the file, exit 2, nothing stored."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from hexaglot.app.archive import open_archive
from hexaglot.cli import app

from .media_helpers import hexaglot, make_media, sha256

runner = CliRunner()


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_media(tmp_path_factory.mktemp("media") / "meeting.mkv", seconds=3)


def _stored_files(home: Path) -> list[Path]:
    blobs = home / "blobs"
    return [p for p in blobs.rglob("*") if p.is_file()] if blobs.exists() else []


def _fails(args: list[str], path: Path, problem: str, home: Path) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.stderr.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: ") and str(path) in lines[0] and problem in lines[0]
    assert _stored_files(home) == []
    archive = open_archive()
    assert archive.catalog.count() == 0
    archive.close()


def _bad_files(d: Path, good: Path) -> dict[str, tuple[Path, str]]:
    empty = d / "empty.mkv"
    empty.write_bytes(b"")
    truncated = d / "truncated.mkv"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    text = d / "notes.mp4"
    text.write_text("Minutes of the meeting, not a recording.\n" * 50)
    return {
        "zero-byte": (empty, "empty (0 bytes)"),
        "truncated": (truncated, "truncated"),
        "not-media": (text, "not a media file"),
        "audio-only": (make_media(d / "audio.mka", 2, video=False), "no video stream"),
        "video-only": (make_media(d / "video.mkv", 2, tags=()), "no audio stream"),
        "untagged": (make_media(d / "untagged.mkv", 2, tags=(None, None)), "no language tag"),
        "17 tracks": (make_media(d / "many.mkv", 1, tags=("eng",) * 17), "at most 16"),
        "foreign tag": (make_media(d / "german.mkv", 1, tags=("mul", "deu")),
                        "language tag 'deu' is not one of"),
        "same language twice": (make_media(d / "twice.mkv", 1, tags=("fra", "fra")),
                                "are both 'fr'"),
        "directory": (d, "is a directory"),
        "missing": (d / "nowhere.mkv", "no such file"),
    }


def test_bad_inputs(sqlite_home: Path, good: Path, tmp_path: Path) -> None:
    for _name, (path, problem) in _bad_files(tmp_path, good).items():
        _fails(["ingest", str(path)], path, problem, sqlite_home)


def test_language_map_naming_a_missing_stream(sqlite_home: Path, good: Path) -> None:
    _fails(["ingest", str(good), "--language-map", "9=fr"], good, "audio stream 9", sqlite_home)
    _fails(["ingest", str(good), "--language-map", "1=klingon"], good, "language-map",
           sqlite_home)


def test_language_map_fills_missing_tags(sqlite_home: Path, tmp_path: Path) -> None:
    path = make_media(tmp_path / "untagged.mkv", 2, tags=(None, None))
    result = runner.invoke(app, ["ingest", str(path), "--language-map", "1=original,2=French"])
    assert result.exit_code == 0, result.output
    asset_id = result.stdout.strip().splitlines()[-1]
    archive = open_archive()
    assert archive.catalog.get(asset_id).available_languages == ["original", "fr"]
    assert archive.catalog.master(asset_id).tracks == {"original": 1, "fr": 2}
    archive.close()


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(sqlite_home: Path, good: Path, tmp_path: Path) -> None:
    path = tmp_path / "locked.mkv"
    path.write_bytes(good.read_bytes())
    path.chmod(0)
    _fails(["ingest", str(path)], path, "permission denied", sqlite_home)


def test_disk_full_leaves_nothing_and_keeps_the_earlier_master(
        sqlite_home: Path, good: Path, tmp_path: Path) -> None:
    """A write failure while storing the master (a file-size limit makes the write fail as
    a full disk would) leaves no blob, and the earlier master stays intact."""
    import resource
    import signal

    first = runner.invoke(app, ["ingest", str(good)])
    assert first.exit_code == 0, first.output
    asset_id = first.stdout.strip().splitlines()[-1]
    before = sorted(_stored_files(sqlite_home))
    big = make_media(tmp_path / "big.mkv", 3, size="1280x720",
                     container_args=("-c:v", "mjpeg", "-q:v", "1"))
    assert big.stat().st_size > 2 << 20

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2 << 20, 2 << 20))

    done = hexaglot("ingest", str(big), "--asset", asset_id, preexec_fn=limit)
    assert done.returncode == 2, done.stderr
    assert str(big) in done.stderr and "blob store" in done.stderr
    assert sorted(_stored_files(sqlite_home)) == before
    archive = open_archive()
    master = archive.catalog.master(asset_id)
    assert master.sha256 == sha256(good)
    assert archive.blobs.verify(master.sha256)
    archive.close()
