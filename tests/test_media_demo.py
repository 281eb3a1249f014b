"""The demo meeting: seven tagged audio tracks that ingest as the archive's languages."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hexaglot.media.demo_media import SENTENCES, _speak, make_demo_meeting
from hexaglot.media.probe import probe

from .media_helpers import LANGS


def test_demo_meeting_has_seven_languages(tmp_path: Path) -> None:
    path = make_demo_meeting(tmp_path / "demo.mkv", seconds=6)
    p = probe(path)
    assert p.languages == LANGS
    assert abs(p.duration - 6) < 0.2 and p.video.height == 360


def test_demo_speech_uses_espeak_ng_when_installed(tmp_path: Path) -> None:
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng): tones are used")
    voice, text = SENTENCES["fr"]
    assert _speak(voice, text, tmp_path / "fr.wav")
    assert (tmp_path / "fr.wav").stat().st_size > 20_000


def test_add_demo_media_is_idempotent(sqlite_home: Path) -> None:
    from hexaglot.app.archive import open_archive
    from hexaglot.app.demo import add_demo_media
    from hexaglot.domain import Asset

    archive = open_archive()
    archive.catalog.save(Asset(asset_id="DEMO1", title="Sample meeting"))
    assert add_demo_media(archive, "DEMO1", seconds=3) is True
    assert add_demo_media(archive, "DEMO1", seconds=3) is False
    assert archive.catalog.get("DEMO1").available_languages == LANGS
    assert [j.status for j in archive.jobs.list()] == ["queued"]
    archive.close()
